"""Forms of the clocks: an evaluation, a drill, a revision trigger by hand. Limits from the model fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.models import PlanDrill, PlanEvaluation, RevisionTrigger, TriggerCase

DATE = forms.DateInput(attrs={"type": "date"})


class EvaluationForm(forms.ModelForm):
    case = forms.ChoiceField(
        label=_("case for revision"), choices=TriggerCase.choices, initial=TriggerCase.OTHER, required=False
    )

    class Meta:
        model = PlanEvaluation
        fields = ["held_on", "evaluated_by", "conclusion", "calls_for_revision"]
        widgets = {"held_on": DATE, "conclusion": forms.Textarea(attrs={"rows": 3})}


class DrillForm(forms.ModelForm):
    class Meta:
        model = PlanDrill
        fields = ["held_on", "plan_problem", "note"]
        widgets = {"held_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}


class TriggerForm(forms.ModelForm):
    class Meta:
        model = RevisionTrigger
        fields = ["case", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
