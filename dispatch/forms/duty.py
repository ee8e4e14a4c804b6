"""Forms of the duty desk: a shift, copying a week, a log entry, the handover note, the archive's
filters. Dates and times accept the ways Chinese offices write them (2026-01-05, 2026/1/5,
2026年1月5日 …) and what a phone's date and time pickers send."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dispatch.models import DutyLogEntry, DutyShift
from dispatch.selectors.duty import duty_people
from dispatch.services.duty import needs_b_post
from emergency.formats.zh_Hans import formats as zh_formats
from grids import limits
from grids.models import GridUnit, User

DATE_INPUT_FORMATS = list(zh_formats.DATE_INPUT_FORMATS)
DATETIME_INPUT_FORMATS = list(zh_formats.DATETIME_INPUT_FORMATS)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} {obj.mobile}".strip()


class CentreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: GridUnit) -> str:
        return "\u3000" * obj.level + obj.name


def _datetime_field(label) -> forms.DateTimeField:
    return limits.BoundedDateTimeFormField(
        label=label,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _date_field(label, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            format="%Y-%m-%d",
            attrs={"placeholder": _("e.g. 2026-01-05 or 2026年1月5日"), "inputmode": "numeric", "size": 12},
        ),
    )


class ShiftForm(forms.Form):
    """A shift of one centre; the people offered are those who may stand duty there."""

    starts_at = _datetime_field(_("From"))
    ends_at = _datetime_field(_("To"))
    leader = PersonChoiceField(queryset=User.objects.none(), label=_("Leader on duty"))
    post_a = PersonChoiceField(queryset=User.objects.none(), label=_("A post"))
    post_b = PersonChoiceField(queryset=User.objects.none(), label=_("B post"), required=False)
    note = forms.CharField(label=_("Note"), max_length=limits.max_length(DutyShift, "note"), required=False)

    def __init__(self, *args, unit: GridUnit, **kwargs):
        super().__init__(*args, **kwargs)
        people = duty_people(unit)
        for name in ("leader", "post_a", "post_b"):
            self.fields[name].queryset = people
        if needs_b_post(unit):
            self.fields["post_b"].required = True
        self.fields["post_b"].help_text = (
            _("Townships and parks keep A and B posts (AB岗).")
            if needs_b_post(unit)
            else _("Optional at the county centre.")
        )


class WeekCopyForm(forms.Form):
    week = _date_field(_("Week beginning"), required=True)


class LogEntryForm(forms.Form):
    unit = CentreChoiceField(queryset=GridUnit.objects.none(), label=_("Dispatch centre"), empty_label=None)
    at = _datetime_field(_("Time"))
    kind = forms.ChoiceField(label=_("Kind"), choices=DutyLogEntry.Kind.choices)
    summary = forms.CharField(label=_("Summary"), max_length=limits.max_length(DutyLogEntry, "summary"))
    caller = forms.CharField(
        label=_("Caller and number"),
        max_length=limits.max_length(DutyLogEntry, "caller"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 陇雅村 陆信息 13800000000")}),
    )
    details = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = GridUnit.objects.filter(pk__in=[c.pk for c in centres]).order_by(
            "-level", "tree_id", "lft"
        )


class LogEntryChangeForm(LogEntryForm):
    """Editing an entry: its centre stays."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, centres=[], **kwargs)
        del self.fields["unit"]


class HandoverForm(forms.Form):
    summary = forms.CharField(label=_("Summary"), max_length=limits.max_length(DutyLogEntry, "summary"))
    details = forms.CharField(
        label=_("Handover note"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What is still open, whom to call back, warnings in force, anything the next shift must know."),
    )


class LogFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Summary, details or caller")}),
    )
    unit = CentreChoiceField(
        queryset=GridUnit.objects.none(), label=_("Dispatch centre"), required=False, empty_label=_("All my centres")
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *DutyLogEntry.Kind.choices])
    date_from = _date_field(_("From date"))
    date_to = _date_field(_("To date"))

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = centres

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned
