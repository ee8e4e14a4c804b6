"""Forms of agreement reserves, maintenance, stock-take and the nearest-usable look-up: they parse
types; the limits come from the model fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grids.choices import UnitChooserField, limit_choices
from grids.limits import BoundedDateFormField, lat_form_field, lng_form_field, model_int_form_field, note_form_field
from grids.models import GridUnit
from supplies import access
from supplies.forms.transfers import LINES
from supplies.models import AgreementLine, AgreementReserve, MaintenanceRecord, ReserveMode, SupplyItem

DATE = forms.DateInput(attrs={"type": "date"})


def _text(field: str, **kwargs) -> forms.CharField:
    return forms.CharField(max_length=AgreementReserve._meta.get_field(field).max_length, **kwargs)


class AgreementForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("owner unit"), queryset=GridUnit.objects.none())
    supplier = _text("supplier", label=_("supplier"))
    contact_name = _text("contact_name", label=_("contact"))
    phone = _text("phone", label=_("phone"))
    contract_no = _text("contract_no", label=_("contract number"))
    method = forms.ChoiceField(label=_("reserve method"), choices=AgreementReserve.Method.choices)
    reserve_mode = forms.ChoiceField(
        label=_("reserve mode"), choices=ReserveMode.choices, initial=ReserveMode.COMMERCIAL
    )
    valid_from = BoundedDateFormField(label=_("valid from"), widget=DATE)
    valid_until = BoundedDateFormField(label=_("valid until"), widget=DATE)
    response_hours = forms.IntegerField(label=_("response time (hours)"), min_value=1, max_value=720)
    note = note_form_field(label=_("note"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.agreement_units(user)
        items = SupplyItem.objects.filter(is_active=True).order_by("code")
        for n in range(LINES):
            self.fields[f"item_{n}"] = forms.ModelChoiceField(label=_("item"), queryset=items, required=False)
            self.fields[f"quantity_{n}"] = model_int_form_field(
                AgreementLine, "quantity", min_value=1, label=_("quantity guaranteed"), required=False
            )

    def line_rows(self):
        return [(self[f"item_{n}"], self[f"quantity_{n}"]) for n in range(LINES)]

    def head_fields(self):
        return [field for field in self if not field.name.startswith(("item_", "quantity_"))]

    def lines(self):
        data = self.cleaned_data
        return [(data[f"item_{n}"], data[f"quantity_{n}"]) for n in range(LINES) if data.get(f"item_{n}") and data.get(f"quantity_{n}")]  # fmt: skip

    def clean(self):
        data = super().clean()
        for n in range(LINES):
            if bool(data.get(f"item_{n}")) != bool(data.get(f"quantity_{n}")):
                self.add_error(f"quantity_{n}", _("Give both the item and its quantity."))
        if not self.errors and not self.lines():
            raise forms.ValidationError(_("Name at least one item the supplier guarantees."))
        return data


class MaintenanceForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=MaintenanceRecord.Kind.choices)
    done_on = BoundedDateFormField(label=_("done on"), widget=DATE)
    result = forms.ChoiceField(label=_("result"), choices=MaintenanceRecord.Result.choices)
    note = note_form_field(label=_("note"), required=False)


class StockTakeUploadForm(forms.Form):
    file = forms.FileField(label=_("counted sheet (.xlsx)"))


class DecisionForm(forms.Form):
    note = note_form_field(label=_("note"), required=False)


class NearestForm(forms.Form):
    item = forms.ModelChoiceField(label=_("item"), queryset=SupplyItem.objects.none(), required=False)
    unit = UnitChooserField(label=_("from unit"), queryset=GridUnit.objects.none(), required=False)
    lat = lat_form_field(label=_("latitude"), required=False)
    lng = lng_form_field(label=_("longitude"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = SupplyItem.objects.filter(is_active=True).order_by("code")
        self.fields["unit"].queryset = limit_choices(user, GridUnit.objects.filter(is_active=True)).order_by(
            "tree_id", "lft"
        )

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("Give both the latitude and the longitude."))
        return data
