"""Forms of the library pages: they parse types; the limits come from the model fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dispatch.models import IncidentType
from drills.models import DrillForm
from grids.choices import UnitChooserField
from grids.limits import BoundedDateFormField
from hazards.models import HazardCategory
from library.access import edit_units, visible_regulations
from library.models import Case, Regulation
from plans.access import visible_plans

DATE = forms.DateInput(attrs={"type": "date"})


def _text(model, name: str, *, required: bool = False, rows: int | None = None) -> forms.CharField:
    field = model._meta.get_field(name)
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(
        label=field.verbose_name, max_length=field.max_length, required=required, widget=widget, strip=True
    )


class CaseForm(forms.Form):
    title = _text(Case, "title", required=True)
    unit = forms.ModelChoiceField(label=_("unit"), queryset=None)
    occurred_on = BoundedDateFormField(label=_("date"), widget=DATE)
    incident_type = forms.ModelChoiceField(label=_("incident type"), queryset=None, required=False)
    drill_form = forms.ChoiceField(label=_("drill form"), choices=[("", "—"), *DrillForm.choices], required=False)
    hazard_categories = forms.ModelMultipleChoiceField(
        label=_("hazard categories"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    cause = _text(Case, "cause", rows=4)
    measures = _text(Case, "measures", rows=4)
    handling = _text(Case, "handling", rows=6)
    lessons = _text(Case, "lessons", rows=4)
    problems = _text(Case, "problems", rows=4)
    suggestions = _text(Case, "suggestions", rows=4)
    expert_opinion = _text(Case, "expert_opinion", rows=3)

    def __init__(self, *args, user, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = edit_units(user).filter(is_active=True).order_by("tree_id", "lft")
        self.fields["incident_type"].queryset = IncidentType.objects.order_by("order", "pk")
        self.fields["hazard_categories"].queryset = HazardCategory.objects.filter(is_active=True).order_by(
            "order", "pk"
        )
        if case is not None:
            del self.fields["unit"]  # a case stays with its unit


class RegulationForm(forms.Form):
    title = _text(Regulation, "title", required=True)
    kind = forms.ChoiceField(label=_("kind"), choices=Regulation.Kind.choices)
    number = _text(Regulation, "number")
    issuer = _text(Regulation, "issuer", required=True)
    issued_on = BoundedDateFormField(label=_("issued"), widget=DATE, required=False)
    effective_on = BoundedDateFormField(label=_("effective"), widget=DATE, required=False)
    unit = forms.ModelChoiceField(label=_("kept by"), queryset=None)
    summary = _text(Regulation, "summary", rows=4)
    plans = forms.ModelMultipleChoiceField(
        label=_("plans citing it"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, regulation: Regulation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = edit_units(user).filter(is_active=True).order_by("tree_id", "lft")
        self.fields["plans"].queryset = visible_plans(user).select_related("unit").order_by("unit__lft", "title")
        if regulation is not None:
            del self.fields["unit"]


class ReplaceForm(forms.Form):
    replaced_by = forms.ModelChoiceField(label=_("replaced by"), queryset=None)

    def __init__(self, *args, user, regulation: Regulation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = (
            visible_regulations(user).filter(status=Regulation.Status.IN_FORCE).exclude(pk=regulation.pk)
        )


class FileForm(forms.Form):
    file = forms.FileField(label=_("file"))


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("keywords"), required=False, max_length=100)
    type = forms.ModelChoiceField(label=_("incident type"), queryset=None, required=False, empty_label="—")
    drill_form = forms.ChoiceField(label=_("drill form"), choices=[("", "—"), *DrillForm.choices], required=False)
    category = forms.ModelChoiceField(label=_("hazard category"), queryset=None, required=False, empty_label="—")
    unit = UnitChooserField(label=_("unit"), queryset=None, required=False, empty_label="—")  # a search box
    year = forms.IntegerField(label=_("year"), required=False, min_value=1949, max_value=2100)
    state = forms.ChoiceField(label=_("state"), choices=[("", "—"), *Case.State.choices], required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = IncidentType.objects.order_by("order", "pk")
        self.fields["category"].queryset = HazardCategory.objects.filter(is_active=True).order_by("order", "pk")
        self.fields["unit"].queryset = units


class RegulationSearchForm(forms.Form):
    q = forms.CharField(label=_("keywords"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=[("", "—"), *Regulation.Kind.choices], required=False)
    status = forms.ChoiceField(label=_("status"), choices=[("", "—"), *Regulation.Status.choices], required=False)
    year = forms.IntegerField(label=_("year"), required=False, min_value=1949, max_value=2100)
