"""Forms of the transfer pages: they parse types; the limits come from the model fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grids.choices import limit_choices
from grids.limits import model_int_form_field, note_form_field
from grids.models import GridUnit
from supplies import access
from supplies.models import Depot, SupplyItem, Transfer, TransferLine

LINES = 6


class LinesMixin:
    """``item_0``/``quantity_0`` … ``item_5``/``quantity_5``: the items asked for."""

    def add_lines(self):
        items = SupplyItem.objects.filter(is_active=True).order_by("code")
        for n in range(LINES):
            self.fields[f"item_{n}"] = forms.ModelChoiceField(label=_("item"), queryset=items, required=False)
            self.fields[f"quantity_{n}"] = model_int_form_field(
                TransferLine, "quantity", min_value=1, label=_("quantity"), required=False
            )

    def line_rows(self):
        return [(self[f"item_{n}"], self[f"quantity_{n}"]) for n in range(LINES)]

    def lines(self):
        data = self.cleaned_data
        return [
            (data[f"item_{n}"], data[f"quantity_{n}"])
            for n in range(LINES)
            if data.get(f"item_{n}") and data.get(f"quantity_{n}")
        ]

    def clean(self):
        data = super().clean()
        for n in range(LINES):
            if bool(data.get(f"item_{n}")) != bool(data.get(f"quantity_{n}")):
                self.add_error(f"quantity_{n}", _("Give both the item and its quantity."))
        if not self.errors and not self.lines():
            raise forms.ValidationError(_("Ask for at least one item."))
        return data


class RequestForm(LinesMixin, forms.Form):
    to_unit = forms.ModelChoiceField(label=_("for unit"), queryset=GridUnit.objects.none())
    source_unit = forms.ModelChoiceField(label=_("ask unit"), queryset=GridUnit.objects.none())
    urgency = forms.ChoiceField(label=_("urgency"), choices=Transfer.Urgency.choices)
    reason = note_form_field(label=_("reason"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = access.request_units(user)
        self.fields["to_unit"].queryset = own
        self.own = list(own[:2])
        if len(self.own) == 1:  # one's only unit: no need to choose it
            self.fields["to_unit"].required = False
            self.fields["to_unit"].initial = self.own[0].pk
        self.fields["source_unit"].queryset = access.request_sources(user).order_by("level")
        self.add_lines()

    def clean(self):
        data = super().clean()
        if not data.get("to_unit") and len(self.own) == 1:
            data["to_unit"] = self.own[0]
        return data


class OrderForm(LinesMixin, forms.Form):
    source_depot = forms.ModelChoiceField(label=_("from depot"), queryset=Depot.objects.none())
    to_unit = forms.ModelChoiceField(label=_("to unit"), queryset=GridUnit.objects.none())
    urgency = forms.ChoiceField(label=_("urgency"), choices=Transfer.Urgency.choices)
    reason = note_form_field(label=_("reason"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_depot"].queryset = access.order_depots(user)
        self.fields["to_unit"].queryset = limit_choices(user, GridUnit.objects.filter(is_active=True)).order_by(
            "tree_id", "lft"
        )
        self.add_lines()


class ApproveForm(forms.Form):
    source_depot = forms.ModelChoiceField(label=_("from depot"), queryset=Depot.objects.none())
    note = note_form_field(label=_("note"), required=False)

    def __init__(self, *args, transfer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_depot"].queryset = Depot.objects.filter(unit=transfer.source_unit, is_active=True)


class RejectForm(forms.Form):
    note = note_form_field(label=_("reason"))


class ReceiveTransferForm(forms.Form):
    to_depot = forms.ModelChoiceField(label=_("into depot"), queryset=Depot.objects.none())
    differences = note_form_field(label=_("differences"), required=False)

    def __init__(self, *args, transfer, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_depot"].queryset = Depot.objects.filter(unit=transfer.to_unit, is_active=True)
        for line in lines:
            self.fields[f"line_{line.pk}"] = model_int_form_field(
                TransferLine, "received", min_value=0, max_value=line.sent or 0,
                label=f"{line.item.name}（{line.item.unit_of_measure}）", initial=line.sent,
            )  # fmt: skip
        self.lines = lines

    def counts(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data[f"line_{line.pk}"] for line in self.lines}
