"""Forms of the warning pages: they turn input into typed values; the services check the rules."""

from __future__ import annotations

import datetime
import re
from functools import reduce
from operator import or_

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dispatch.models import EvacuationReport, Level, Warning, WarningType
from dispatch.services.warnings import unknown_codes_message
from grids import limits
from grids.models import GridUnit, within_q
from grids.widgets import UnitTreeCheckboxes

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_INPUT, **kwargs)


def _datetime_field(label) -> forms.DateTimeField:
    return limits.BoundedDateTimeFormField(
        label=label,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"],
    )


def default_validity(now: datetime.datetime | None = None) -> dict:
    """A new warning's 生效/失效时间: from now (local time, to the minute) for
    ``WARNING_DEFAULT_VALID_HOURS`` hours (24 by default)."""
    start = timezone.localtime(now).replace(second=0, microsecond=0)
    hours = int(getattr(settings, "WARNING_DEFAULT_VALID_HOURS", 24))
    return {"valid_from": start, "valid_to": start + datetime.timedelta(hours=hours)}


class UnitLabelChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: GridUnit) -> str:
        return f"{'— ' * obj.level}{obj.name}"


class WarningForm(forms.Form):
    """Draft a warning, edit a draft, or (``active=True``) update a warning in force, whose type and
    target area no longer change."""

    issuer_unit = forms.ModelChoiceField(label=_("Issued by unit"), queryset=GridUnit.objects.none(), empty_label=None)
    type = forms.ModelChoiceField(
        label=_("Type"), queryset=WarningType.objects.filter(is_active=True), empty_label=None
    )
    level = forms.TypedChoiceField(label=_("Level"), choices=Level.choices, coerce=int)
    title = forms.CharField(
        label=_("Headline"),
        max_length=limits.max_length(Warning, "title"),
        required=False,
        help_text=_("Left empty: “<issuer> issues a <type> <colour> warning”."),
    )
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 5}))
    instructions = forms.CharField(
        label=_("Instructions to the public"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    valid_from = _datetime_field(_("Valid from"))
    valid_to = _datetime_field(_("Valid to"))
    areas = UnitLabelChoiceField(
        label=_("Target area"),
        queryset=GridUnit.objects.none(),
        required=False,
        widget=UnitTreeCheckboxes,
        help_text=_("Each unit stands for its whole subtree: ticking a township ticks every unit under it."),
    )
    area_codes = forms.CharField(
        label=_("More units by code"),
        required=False,
        help_text=_("Division codes of villages or other units, separated by spaces or commas."),
    )
    report_evacuation = forms.BooleanField(label=_("Villages report people evacuated and sheltered"), required=False)
    sender_name = forms.CharField(
        label=_("Issuing authority"), max_length=limits.max_length(Warning, "sender_name"), required=False
    )

    def __init__(self, *args, issuers=None, active: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.active = active
        issuers = issuers if issuers is not None else GridUnit.objects.none()
        self.issuers = issuers
        self.fields["issuer_unit"].queryset = issuers
        issuer_ids = list(issuers.values_list("pk", flat=True)[:20])
        first = issuers.first()
        if first is not None:
            self.fields["areas"].queryset = GridUnit.objects.filter(
                tree_id__in=issuers.values("tree_id"), level__lte=2, is_active=True
            ).order_by("tree_id", "lft")
        if len(issuer_ids) <= 1:
            self.fields["issuer_unit"].widget = forms.HiddenInput()
            if first is not None:
                self.fields["issuer_unit"].initial = first.pk
        if active:
            for name in ("issuer_unit", "type", "areas", "area_codes"):
                del self.fields[name]

    def clean_area_codes(self) -> list[GridUnit]:
        codes = [code for code in re.split(r"[\s,，、;；]+", self.cleaned_data.get("area_codes") or "") if code]
        if not codes:
            return []
        # Only units in the grid of an issuer the person may issue for: a code of another county is
        # "unknown", never named (dispatch.services.warnings.unknown_codes_message).
        grids = [within_q(issuer) for issuer in self.issuers]
        found = GridUnit.objects.filter(reduce(or_, grids), code__in=codes, is_active=True) if grids else []
        units = {unit.code: unit for unit in found}
        unknown = [code for code in codes if code not in units]
        if unknown:
            raise ValidationError(unknown_codes_message(unknown))
        return list(units.values())

    def clean(self):
        data = super().clean()
        if not self.active:
            areas = {unit.pk: unit for unit in list(data.get("areas") or []) + list(data.get("area_codes") or [])}
            data["all_areas"] = list(areas.values())
            if not areas and not self.errors:
                self.add_error("areas", _("Choose at least one target unit."))
        return data

    def changes(self, warning: Warning) -> dict:
        """The fields as ``warning_update`` takes them."""
        data = dict(self.cleaned_data)
        names = [
            "title",
            "content",
            "instructions",
            "level",
            "valid_from",
            "valid_to",
            "report_evacuation",
            "sender_name",
        ]
        changes = {name: data[name] for name in names if name in data}
        if not changes.get("title"):
            changes.pop("title", None)
        if not self.active:
            changes.update(type=data["type"], issuer_unit=data["issuer_unit"], areas=data["all_areas"])
        return changes

    @classmethod
    def initial_for(cls, warning: Warning) -> dict:
        return {
            "issuer_unit": warning.issuer_unit_id,
            "type": warning.type_id,
            "level": warning.level,
            "title": warning.title,
            "content": warning.content,
            "instructions": warning.instructions,
            "valid_from": warning.valid_from,
            "valid_to": warning.valid_to,
            "areas": [unit.pk for unit in warning.areas.all()],
            "report_evacuation": warning.report_evacuation,
            "sender_name": warning.sender_name,
        }


class UnitChoiceForm(forms.Form):
    """The unit one acts for (acknowledge, local instructions, evacuation figures)."""

    unit = forms.ModelChoiceField(queryset=GridUnit.objects.none(), empty_label=None, label=_("For unit"))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else GridUnit.objects.none()


class LocalInstructionForm(UnitChoiceForm):
    text = forms.CharField(label=_("Local instructions for the units below"), widget=forms.Textarea(attrs={"rows": 3}))


class EvacuationForm(UnitChoiceForm):
    evacuated = limits.model_int_form_field(EvacuationReport, "evacuated", label=_("People evacuated"), min_value=0)
    sheltered = limits.model_int_form_field(EvacuationReport, "sheltered", label=_("People sheltered"), min_value=0)


class CapUploadForm(forms.Form):
    file = forms.FileField(label=_("CAP message (XML)"), required=False)
    xml = forms.CharField(label=_("…or paste the XML"), widget=forms.Textarea(attrs={"rows": 6}), required=False)

    def clean(self):
        from dispatch.cap import max_bytes

        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > max_bytes():
                raise ValidationError(
                    _("The file is %(size)d KB; at most %(limit)d KB are accepted.")
                    % {"size": -(-upload.size // 1024), "limit": max_bytes() // 1024}
                )
            data["payload"] = upload.read(max_bytes() + 1)
        elif data.get("xml"):
            data["payload"] = data["xml"].encode("utf-8")
        else:
            raise ValidationError(_("Choose a CAP file or paste its XML."))
        return data
