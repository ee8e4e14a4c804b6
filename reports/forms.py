"""Forms of the tier-report pages: they turn input into typed values; the services decide the rest."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from emergency.formats.zh_Hans.formats import DATE_INPUT_FORMATS
from grids import limits
from grids.models import GridUnit
from hazards.models import HazardCategory, RiskLevel
from reports.models import Countermeasure, MonthlyReport


class UnitChoiceField(forms.ModelChoiceField):
    """A unit select indented by tier, so a subtree reads as a tree."""

    def label_from_instance(self, obj: GridUnit) -> str:
        return "　" * obj.level + obj.name


MONTH_PATTERN = re.compile(r"(?P<year>\d{4})(?:[-/.]|年)?(?P<month>\d{1,2})月?")


class MonthField(forms.CharField):
    """A month as ``2026-10``, ``2026/10``, ``2026.10``, ``202610`` or ``2026年10月``: the first day of it."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        match = MONTH_PATTERN.fullmatch(value)
        if match and 1 <= int(match["month"]) <= 12:
            if not limits.MIN_YEAR <= int(match["year"]) <= limits.MAX_YEAR:
                raise ValidationError(limits.out_of_range_date(), code="out_of_range")
            return datetime.date(int(match["year"]), int(match["month"]), 1)
        raise ValidationError(_("Give a month such as 2026-10."), code="invalid")


def date_widget() -> forms.DateInput:
    return forms.DateInput(
        format="%Y-%m-%d",
        attrs={"placeholder": _("e.g. 2026-01-05 or 2026年1月5日"), "inputmode": "numeric", "autocomplete": "off"},
    )


# --- monthly reports ------------------------------------------------------------------------------


class MonthlyFilterForm(forms.Form):
    month = MonthField(
        label=_("Month"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "2026-10", "inputmode": "numeric"}),
    )
    unit = UnitChoiceField(
        label=_("Grid unit"), queryset=GridUnit.objects.none(), required=False, empty_label=_("All units in my grid")
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Current versions"))] + MonthlyReport.State.choices
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class MonthlySignForm(forms.Form):
    """The draft's notes and the signer's name; the button pressed says "save" or "submit"."""

    annotation = forms.CharField(
        label=_("Notes of the unit"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": _("What the figures do not say: causes, measures, help needed.")}
        ),
    )
    signer_name = forms.CharField(
        label=_("Your name (signature)"),
        required=False,
        max_length=limits.max_length(MonthlyReport, "signer_name"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class ReissueForm(forms.Form):
    reason = forms.CharField(
        label=_("What the new version corrects"),
        max_length=limits.max_length(MonthlyReport, "correction_reason"),
        error_messages={"required": _("Say what the new version corrects.")},
    )


# --- consultations --------------------------------------------------------------------------------


class ConsultationRecordForm(forms.Form):
    held_on = forms.DateField(
        label=_("Held on"),
        input_formats=DATE_INPUT_FORMATS,
        widget=date_widget(),
        error_messages={
            "required": _("Give the date of the meeting."),
            "invalid": _("Give a date such as 2026-01-05 or 2026年1月5日."),
        },
    )
    participants = forms.CharField(
        label=_("Participants"),
        max_length=4000,
        help_text=_("Departments, experts and lower governments present."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("List who took part.")},
    )
    summary = forms.CharField(
        label=_("Trend analysis"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )


class CountermeasureForm(forms.Form):
    """One line of the judgement list (研判一张单)."""

    risk = forms.CharField(label=_("Risk"), max_length=limits.max_length(Countermeasure, "risk"))
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=HazardCategory.objects.filter(is_active=True).order_by("family", "order", "code"),
        required=False,
        empty_label=_("(any)"),
    )
    level = forms.TypedChoiceField(label=_("Risk level"), choices=RiskLevel.choices, coerce=int)
    trend = forms.ChoiceField(label=_("Trend"), choices=Countermeasure.Trend.choices)
    measure = forms.CharField(label=_("Countermeasure"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    responsible_unit = UnitChoiceField(label=_("Responsible unit"), queryset=GridUnit.objects.none(), empty_label=None)
    deadline = forms.DateField(
        label=_("Deadline"),
        input_formats=DATE_INPUT_FORMATS,
        widget=date_widget(),
        error_messages={"invalid": _("Give a date such as 2026-01-05 or 2026年1月5日.")},
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["responsible_unit"].queryset = units


class CountermeasureDoneForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what was done.")},
    )


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: field errors beside their field, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
