"""Forms of the hazard pages: they turn input into typed values; the services decide the rest."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from grids import limits
from grids.models import Department, GridUnit
from grids.outside import OutsideGridQuestion, confirm_outside_field
from hazards.models import Family, Grade, Hazard, HazardCategory, Method, RiskLevel, RootCause, Source
from hazards.photos import check_photo_batch


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one ``<input type=file multiple>``; the service checks each one."""

    def __init__(self, *args, capture: bool = True, **kwargs):
        attrs = {"accept": "image/*", "multiple": True}
        if capture:
            attrs["capture"] = "environment"
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        check_photo_batch(files)  # how many and how many bytes: the limits of hazards.photos
        return files  # each photo's size, type and dimensions are checked when the service runs


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: GridUnit) -> str:
        return "　" * obj.level + obj.name


class ReportForm(OutsideGridQuestion, forms.Form):
    """The phone's report (网格隐患报告): a minute's work with a thumb. A GPS point outside the unit's
    boundary is asked about before it is filed (``grids.outside``)."""

    client_key = forms.UUIDField(widget=forms.HiddenInput)
    unit = UnitChoiceField(label=_("Grid unit"), queryset=GridUnit.objects.none(), empty_label=None)
    category = forms.ModelChoiceField(
        label=_("What kind of danger"),
        queryset=HazardCategory.objects.filter(is_active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Tap the kind of danger.")},
    )
    title = forms.CharField(
        label=_("In a few words"),
        max_length=limits.max_length(Hazard, "title"),
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. crack in the slope behind the school"), "autocomplete": "off"}
        ),
    )
    description = limits.note_form_field(
        label=_("What you saw"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = PhotosField(label=_("Photos"))
    lng = limits.lng_form_field(required=False, widget=forms.HiddenInput)
    lat = limits.lat_form_field(required=False, widget=forms.HiddenInput)
    address = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=limits.max_length(Hazard, "address"),
        widget=forms.TextInput(attrs={"placeholder": _("e.g. behind the village school")}),
    )
    source = forms.ChoiceField(label=_("How it was found"), choices=Source.choices, initial=Source.PATROL)
    fixed_on_spot = forms.BooleanField(label=_("Fixed on the spot"), required=False)
    evidence_photos = PhotosField(label=_("Photos of the result"))
    evidence_note = limits.note_form_field(label=_("What was done"), required=False)
    confirm_outside = confirm_outside_field()

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        if (data.get("lng") is None) != (data.get("lat") is None):
            data["lng"] = data["lat"] = None
        self.ask_if_outside(data)
        return data

    def categories_by_family(self) -> list[tuple[str, list]]:
        """The category radio buttons grouped under their family, in the rule table's order."""
        field = self["category"]
        selected = str(field.value() or "")
        groups: dict[str, list] = {value: [] for value in Family.values}
        for category in field.field.queryset.order_by("family", "order", "code"):
            groups.setdefault(category.family, []).append((category, str(category.pk) == selected))
        return [(Family(family).label, items) for family, items in groups.items() if items]


# --- the loop's steps ----------------------------------------------------------------------------


def _reason(label):
    return limits.note_form_field(label=label)


def _note(label=None):
    return limits.note_form_field(label=label or _("Note"), required=False)


class ConfirmForm(forms.Form):
    """Confirm (核实) a reported danger: grade, risk level by LEC, matrix or directly."""

    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices, initial=Grade.GENERAL, widget=forms.RadioSelect)
    risk_method = forms.ChoiceField(
        label=_("How the risk level is set"), choices=Method.choices, initial=Method.LEC, widget=forms.RadioSelect
    )
    lec_l = forms.ChoiceField(label=_("L: likelihood"), required=False)
    lec_e = forms.ChoiceField(label=_("E: exposure"), required=False)
    lec_c = forms.ChoiceField(label=_("C: consequence"), required=False)
    ls_l = forms.ChoiceField(label=_("L: likelihood"), required=False)
    ls_s = forms.ChoiceField(label=_("S: severity"), required=False)
    risk_level = forms.TypedChoiceField(
        label=_("Risk level"), required=False, coerce=int, empty_value=None, choices=[("", "—"), *RiskLevel.choices]
    )
    risk_reason = forms.CharField(
        label=_("Reason for the level"), required=False, max_length=limits.max_length(Hazard, "risk_reason")
    )
    root_cause = forms.ChoiceField(label=_("Root cause"), required=False, choices=[("", "—"), *RootCause.choices])
    note = _note()

    LEC_FACTORS = ("lec_l", "lec_e", "lec_c")
    LS_FACTORS = ("ls_l", "ls_s")

    def __init__(self, *args, options=(), family: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        choices: dict[str, list] = {name: [("", "—")] for name in (*self.LEC_FACTORS, *self.LS_FACTORS)}
        for option in options:
            if option.factor in choices:
                value = format(option.value.normalize(), "f")  # 100, not 1E+2
                choices[option.factor].append((value, f"{value} — {option.label}"))
        for name, field_choices in choices.items():
            self.fields[name].choices = field_choices
        if family != Family.PRODUCTION:
            del self.fields["root_cause"]

    def clean(self):
        data = super().clean()
        method = data.get("risk_method")
        factors = {Method.LEC: self.LEC_FACTORS, Method.LS: self.LS_FACTORS}.get(method, ())
        for name in factors:
            if not data.get(name):
                self.add_error(name, _("Choose a value."))
        if method == Method.DIRECT:
            if not data.get("risk_level"):
                self.add_error("risk_level", _("Choose a risk level."))
            if not (data.get("risk_reason") or "").strip():
                self.add_error("risk_reason", _("Say why this risk level was set directly."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        method = data["risk_method"]
        factors = {Method.LEC: self.LEC_FACTORS, Method.LS: self.LS_FACTORS}.get(method, ())
        return {
            "grade": data["grade"],
            "risk_method": method,
            "risk_level": data.get("risk_level"),
            "risk_inputs": {name: data[name] for name in factors},
            "risk_reason": data.get("risk_reason", ""),
            "root_cause": data.get("root_cause", ""),
            "note": data.get("note", ""),
        }


class RejectForm(forms.Form):
    reason = _reason(_("Why this is not a hazard"))


class PlanForm(forms.Form):
    """五落实: measures, responsibility, funds, deadline, contingency."""

    measures = limits.long_text_form_field(label=_("Rectification measures"))
    responsible_unit = forms.CharField(
        label=_("Responsible unit"), max_length=limits.max_length(Hazard, "responsible_unit")
    )
    responsible_person = forms.CharField(
        label=_("Responsible person"), max_length=limits.max_length(Hazard, "responsible_person")
    )
    responsible_phone = forms.CharField(
        label=_("Their phone"),
        required=False,
        max_length=limits.max_length(Hazard, "responsible_phone"),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    funds = forms.DecimalField(
        label=_("Funds (yuan)"),
        required=False,
        **limits.decimal_limits(Hazard, "funds"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    deadline = forms.DateField(
        label=_("Rectification deadline"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    contingency = limits.long_text_form_field(label=_("Contingency measures"), widget=forms.Textarea(attrs={"rows": 2}))
    note = _note()


class EvidenceForm(forms.Form):
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)  # the phone's resend key
    note = limits.note_form_field(label=_("What was done"), required=False)
    photos = PhotosField(label=_("Photos of the rectified place"), required=True)


class AcceptForm(forms.Form):
    note = _note(_("Acceptance note"))


class FailForm(forms.Form):
    reason = _reason(_("What is still wrong"))


class EscalateForm(forms.Form):
    reason = _reason(_("Why this is beyond your tier"))


class SuperviseForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Supervising department"), queryset=Department.objects.none())
    deadline = forms.DateField(
        label=_("Supervision deadline"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    requirements = limits.long_text_form_field(label=_("Requirements"))
    order_no = forms.CharField(
        label=_("Order number"),
        required=False,
        max_length=limits.max_length(Hazard, "supervision_order_no"),
        help_text=_("Left empty, a number is given from the hazard's number."),
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class FeedbackForm(forms.Form):
    feedback = limits.long_text_form_field(label=_("What the department did"))


def new_client_key() -> uuid.UUID:
    return uuid.uuid4()
