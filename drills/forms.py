"""Forms of the drill pages: they parse types; the limits come from the model fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from drills.models import AnnualDrillPlan, Drill, Finding, Training
from drills.permissions import DrillAction
from grids.models import GridUnit
from grids.scope import scope_for, visible_people
from hazards.models import HazardCategory

DATE = forms.DateInput(attrs={"type": "date"})
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DrillForm(forms.ModelForm):
    class Meta:
        model = Drill
        fields = [
            "title", "organiser", "unit", "annual_plan", "form", "scope", "purpose", "double_blind", "planned_date",
            "place", "scenario", "subjects", "linked_plans", "participating_units", "teams", "evaluation_team",
        ]  # fmt: skip
        widgets = {
            "planned_date": DATE,
            "scenario": forms.Textarea(attrs={"rows": 3}),
            "subjects": forms.Textarea(attrs={"rows": 3}),
            "teams": forms.Textarea(attrs={"rows": 2}),
            "evaluation_team": forms.Textarea(attrs={"rows": 2}),
            "linked_plans": forms.CheckboxSelectMultiple,
            "participating_units": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from plans.access import visible_plans

        scope = scope_for(user)
        organisers = scope.units_where(DrillAction.ORGANISE)
        self.fields["organiser"].queryset = organisers
        self.fields["unit"].queryset = organisers
        self.fields["annual_plan"].queryset = AnnualDrillPlan.objects.filter(unit__in=organisers)
        self.fields["linked_plans"].queryset = visible_plans(user).select_related("unit")
        self.fields["participating_units"].queryset = scope.units().order_by("tree_id", "lft")
        if self.instance.pk:
            for name in ("organiser", "unit", "double_blind"):
                self.fields.pop(name)


class RecordForm(forms.Form):
    held_at = forms.DateTimeField(label=_("held at"), widget=MOMENT)
    place = forms.CharField(label=_("where held"), max_length=Drill._meta.get_field("held_place").max_length)
    headcount = forms.IntegerField(label=_("headcount"), min_value=0, max_value=2147483647)
    participants = forms.CharField(
        label=_("participants"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    script = forms.CharField(
        label=_("script"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
    narrative = forms.CharField(
        label=_("what happened, in order"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


class EvaluationForm(forms.Form):
    """One 0–100 score per indicator of the drill's form, then the written reports."""

    report = forms.CharField(
        label=_("evaluation report"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    summary = forms.CharField(
        label=_("summary report"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"score_{indicator.pk}"] = forms.IntegerField(
                label=f"{indicator.display_name}（{_('weight')} {indicator.weight}）", min_value=0, max_value=100
            )

    def scores(self) -> dict[int, int]:
        return {i.pk: self.cleaned_data[f"score_{i.pk}"] for i in self.indicators}


class FindingForm(forms.ModelForm):
    hazard_category = forms.ModelChoiceField(
        label=_("kind of danger"), queryset=HazardCategory.objects.none(), required=False
    )

    class Meta:
        model = Finding
        fields = ["kind", "description", "owner_unit", "deadline", "plan"]
        widgets = {"deadline": DATE, "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, drill, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = scope_for(user).units().order_by("tree_id", "lft")
        self.fields["plan"].queryset = drill.linked_plans.all()
        self.fields["hazard_category"].queryset = HazardCategory.objects.filter(is_active=True)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("how it was fixed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AnnualPlanForm(forms.ModelForm):
    class Meta:
        model = AnnualDrillPlan
        fields = ["unit", "year", "title"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scope_for(user).units_where(DrillAction.ORGANISE)
        self.fields["title"].required = False


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ["unit", "topic", "held_on", "hours", "attendees"]
        widgets = {"held_on": DATE, "attendees": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scope_for(user).units_where(DrillAction.TRAIN)
        self.fields["attendees"].queryset = visible_people(user).order_by("pk")


class UnitYearForm(forms.Form):
    """Which unit's table and which year (the compliance table, the training gap)."""

    unit = forms.ModelChoiceField(label=_("unit"), queryset=GridUnit.objects.none(), required=False)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scope_for(user).units().filter(level__lte=1).order_by("tree_id", "lft")
