"""Forms of the plan pages: they parse types; the limits come from the model fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dispatch.models import IncidentType
from grids.choices import limit_choices
from grids.models import Department
from hazards.models import HazardCategory
from plans.access import draft_units, linkable_plans, linkable_plans_for
from plans.models import Plan, PlanDocument, PlanKind, ReviewRecord


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "title", "kind", "unit", "department", "lead_department", "hazard_categories", "incident_types",
            "linked_plans", "leader_name", "contacts",
        ]  # fmt: skip
        widgets = {
            "hazard_categories": forms.CheckboxSelectMultiple,
            "incident_types": forms.CheckboxSelectMultiple,
            "contacts": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = PlanKind.objects.filter(is_active=True)
        self.fields["unit"].queryset = draft_units(user)
        own = Department.objects.filter(pk=getattr(user, "department_id", None))
        self.fields["department"].queryset = own
        self.fields["lead_department"].queryset = limit_choices(user, Department.objects.filter(is_active=True))
        self.fields["hazard_categories"].queryset = HazardCategory.objects.filter(is_active=True)
        self.fields["incident_types"].queryset = IncidentType.objects.all()
        linked = linkable_plans(user, self.instance.unit) if self.instance.pk else linkable_plans_for(user)
        if self.instance.pk:
            linked = linked.exclude(pk=self.instance.pk)
            for name in ("unit", "department"):
                self.fields.pop(name)
        self.fields["linked_plans"].queryset = linked.select_related("unit")


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=PlanDocument.Kind.choices)
    file = forms.FileField(label=_("file"))


class ReviewForm(forms.ModelForm):
    class Meta:
        model = ReviewRecord
        fields = ["held_on", "experts", "opinions", "handling"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"})}


class IssueForm(forms.Form):
    issued_on = forms.DateField(label=_("issued on"), widget=forms.DateInput(attrs={"type": "date"}))
    issue_number = forms.CharField(label=_("document number"), max_length=60, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class RevisionForm(forms.Form):
    summary = forms.CharField(
        label=_("what changed"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    touches_command = forms.BooleanField(label=_("touches the command system and duties"), required=False)
    touches_procedure = forms.BooleanField(label=_("touches the response procedure"), required=False)
    touches_grading = forms.BooleanField(label=_("touches the grading standard"), required=False)
