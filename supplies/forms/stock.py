"""Forms of the stock pages: they parse types; the limits come from the model fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dispatch.access import visible_incidents
from grids.choices import limit_choices
from grids.limits import BoundedDateFormField, model_int_form_field, note_form_field
from grids.models import GridUnit
from supplies.models import Lot, Movement, SupplyItem

DATE = forms.DateInput(attrs={"type": "date"})


class ReceiveForm(forms.Form):
    item = forms.ModelChoiceField(label=_("item"), queryset=SupplyItem.objects.none())
    quantity = model_int_form_field(Lot, "quantity", min_value=1, label=_("quantity"))
    source = forms.ChoiceField(label=_("source"), choices=Lot.Source.choices)
    production_date = BoundedDateFormField(label=_("production date"), required=False, widget=DATE)
    expiry_date = BoundedDateFormField(
        label=_("expiry date"), required=False, widget=DATE, help_text=_("Left empty: from the item's shelf life.")
    )
    storage_place = forms.CharField(
        label=_("storage place"), max_length=Lot._meta.get_field("storage_place").max_length, required=False
    )
    document_no = forms.CharField(
        label=_("document number"), max_length=Movement._meta.get_field("document_no").max_length, required=False
    )
    reason = note_form_field(label=_("note"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = SupplyItem.objects.filter(is_active=True).order_by("code")


class IssueForm(forms.Form):
    quantity = model_int_form_field(Lot, "quantity", min_value=1, label=_("quantity"))
    incident = forms.ModelChoiceField(label=_("incident"), queryset=None, required=False)
    to_unit = forms.ModelChoiceField(label=_("issued to"), queryset=None, required=False)
    recipient = forms.CharField(
        label=_("recipient"), max_length=Movement._meta.get_field("recipient").max_length, required=False
    )
    document_no = forms.CharField(
        label=_("document number"), max_length=Movement._meta.get_field("document_no").max_length, required=False
    )
    reason = note_form_field(label=_("reason"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = visible_incidents(user).order_by("-occurred_at")
        self.fields["to_unit"].queryset = limit_choices(user, GridUnit.objects.filter(is_active=True)).order_by(
            "tree_id", "lft"
        )

    def clean(self):
        data = super().clean()
        if not (data.get("incident") or data.get("to_unit") or (data.get("recipient") or "").strip()):
            raise forms.ValidationError(_("Say whom the goods go to: an incident, a unit or a recipient."))
        return data


class DisposeForm(forms.Form):
    quantity = model_int_form_field(Lot, "quantity", min_value=1, label=_("quantity"))
    reason = note_form_field(label=_("reason"))
    document_no = forms.CharField(
        label=_("document number"), max_length=Movement._meta.get_field("document_no").max_length, required=False
    )


class AdjustForm(forms.Form):
    counted = model_int_form_field(Lot, "quantity", label=_("counted quantity"))
    reason = note_form_field(label=_("reason"))
    document_no = forms.CharField(
        label=_("document number"), max_length=Movement._meta.get_field("document_no").max_length, required=False
    )
