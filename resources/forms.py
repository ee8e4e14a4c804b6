"""Forms of the resources pages: they parse types; the limits come from the model fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dispatch.models import IncidentType
from grids.choices import UnitChooserField
from grids.models import GridUnit
from hazards.models import HazardCategory
from resources import access
from resources.models import Expert, Speciality, Team, TeamKind, TeamMember
from resources.services.teams import EXPERT_FIELDS, TEAM_FIELDS
from supplies.access import visible_depots
from supplies.models import SupplyItem


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = [*TEAM_FIELDS, "specialities"]
        widgets = {"specialities": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.edit_units(user).filter(is_active=True).order_by("tree_id", "lft")
        self.fields["specialities"].queryset = Speciality.objects.all()

    def validate_unique(self):  # the service checks what the database constrains
        pass


class ExpertForm(forms.ModelForm):
    class Meta:
        model = Expert
        fields = [*EXPERT_FIELDS, "hazard_categories", "incident_types"]
        widgets = {"hazard_categories": forms.CheckboxSelectMultiple, "incident_types": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.edit_units(user).filter(is_active=True).order_by("tree_id", "lft")
        self.fields["hazard_categories"].queryset = HazardCategory.objects.filter(is_active=True)
        self.fields["incident_types"].queryset = IncidentType.objects.all()

    def validate_unique(self):
        pass


class MemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["name", "role", "phone"]


class EquipmentForm(forms.Form):
    item = forms.ModelChoiceField(label=_("item"), queryset=SupplyItem.objects.all())
    quantity = forms.IntegerField(label=_("quantity"), min_value=0, max_value=1_000_000)
    depot = forms.ModelChoiceField(label=_("held in"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["depot"].queryset = visible_depots(user).filter(is_active=True)


class TeamSearchForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=[("", "—"), *TeamKind.choices], required=False)
    speciality = forms.ModelChoiceField(label=_("speciality"), queryset=Speciality.objects.all(), required=False)
    below = forms.BooleanField(label=_("below the required strength only"), required=False)
    q = forms.CharField(label=_("keywords"), max_length=50, required=False)


class ExpertSearchForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("hazard category"), queryset=HazardCategory.objects.filter(is_active=True), required=False
    )
    incident_type = forms.ModelChoiceField(
        label=_("incident type"), queryset=IncidentType.objects.all(), required=False
    )
    q = forms.CharField(label=_("keywords"), max_length=50, required=False)


class DispatchForm(forms.Form):
    """Where and what: a point (lat/lng) or a unit, and a hazard category or incident type."""

    lat = forms.FloatField(label=_("latitude"), min_value=-90, max_value=90, required=False)
    lng = forms.FloatField(label=_("longitude"), min_value=-180, max_value=180, required=False)
    unit = UnitChooserField(label=_("or a unit"), queryset=GridUnit.objects.none(), required=False)
    category = forms.ModelChoiceField(
        label=_("hazard category"), queryset=HazardCategory.objects.filter(is_active=True), required=False
    )
    incident_type = forms.ModelChoiceField(
        label=_("incident type"), queryset=IncidentType.objects.all(), required=False
    )
    place = forms.ChoiceField(
        choices=[("", ""), ("incident", "incident"), ("consultation", "consultation"), ("plan", "plan")],
        required=False, widget=forms.HiddenInput,
    )  # fmt: skip
    target = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from grids.scope import scope_for

        self.fields["unit"].queryset = scope_for(user).units().filter(is_active=True).order_by("tree_id", "lft")

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("Give both the latitude and the longitude, or neither."))
        return data


class AssignForm(forms.Form):
    place = forms.ChoiceField(choices=[("incident", "incident"), ("consultation", "consultation"), ("plan", "plan")])
    target = forms.IntegerField(min_value=1)
    team = forms.IntegerField(min_value=1, required=False)
    expert = forms.IntegerField(min_value=1, required=False)
    note = forms.CharField(max_length=200, required=False)


class RemoveForm(forms.Form):
    participant = forms.IntegerField(min_value=1)


class RollCallForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("down from"), queryset=None)
    message = forms.CharField(label=_("message"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.roll_call_units(user).filter(is_active=True).order_by("tree_id", "lft")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))


class ReachabilityForm(forms.Form):
    unit = UnitChooserField(label=_("unit"), queryset=GridUnit.objects.none(), required=False)
    missing = forms.BooleanField(label=_("only units with a role unfilled"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from grids.scope import scope_for

        self.fields["unit"].queryset = (
            scope_for(user).units().filter(is_active=True, level__lte=1).order_by("tree_id", "lft")
        )
