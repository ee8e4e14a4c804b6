"""Serializers of the supplies API: they parse types; the limits come from the model fields."""

from __future__ import annotations

from rest_framework import serializers

from dispatch.access import visible_incidents
from dispatch.models import Incident
from grids.choices import limit_choices
from grids.limits import BoundedDateField, max_length, model_int_field, note_field
from grids.models import GridUnit
from supplies.models import Depot, Lot, Movement, SupplyItem, Transfer, TransferLine


class SupplyItemSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = SupplyItem
        fields = ["id", "code", "name", "spec", "unit_of_measure", "category", "group", "shelf_life_days",
                  "needs_maintenance", "maintenance_interval_days", "is_active"]  # fmt: skip


class DepotSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Depot
        fields = ["id", "name", "unit", "unit_name", "kind", "reserve_mode", "address", "lng", "lat",
                  "manager_name", "phone", "capacity_notes", "is_active"]  # fmt: skip


class LotSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)

    class Meta:
        model = Lot
        fields = ["id", "item", "item_name", "depot", "quantity", "production_date", "expiry_date", "source",
                  "storage_place", "under_maintenance", "received_at"]  # fmt: skip


class MovementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Movement
        fields = ["id", "lot", "depot", "item", "kind", "quantity", "balance", "by", "at", "reason", "document_no",
                  "incident", "to_unit", "recipient", "transfer"]  # fmt: skip


class TransferLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = TransferLine
        fields = ["id", "item", "quantity", "sent", "received"]


class TransferSerializer(serializers.ModelSerializer):
    lines = TransferLineSerializer(many=True, read_only=True)

    class Meta:
        model = Transfer
        fields = ["id", "number", "kind", "urgency", "state", "source_unit", "source_depot", "to_unit", "to_depot",
                  "reason", "decision_note", "differences", "requested_at", "decided_at", "dispatched_at",
                  "received_at", "lines"]  # fmt: skip


class SupplyReceiveBodySerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=SupplyItem.objects.filter(is_active=True))
    quantity = model_int_field(Lot, "quantity", min_value=1)
    source = serializers.ChoiceField(choices=Lot.Source.choices, default=Lot.Source.PROCURED)
    production_date = BoundedDateField(required=False, allow_null=True)
    expiry_date = BoundedDateField(required=False, allow_null=True)
    storage_place = serializers.CharField(max_length=max_length(Lot, "storage_place"), required=False, default="")
    document_no = serializers.CharField(max_length=max_length(Movement, "document_no"), required=False, default="")
    reason = note_field(required=False, default="")


class SupplyIssueBodySerializer(serializers.Serializer):
    quantity = model_int_field(Lot, "quantity", min_value=1)
    incident = serializers.PrimaryKeyRelatedField(
        queryset=Incident.objects.none(), required=False, allow_null=True, default=None
    )
    to_unit = serializers.PrimaryKeyRelatedField(
        queryset=GridUnit.objects.none(), required=False, allow_null=True, default=None
    )
    recipient = serializers.CharField(max_length=max_length(Movement, "recipient"), required=False, default="")
    document_no = serializers.CharField(max_length=max_length(Movement, "document_no"), required=False, default="")
    reason = note_field(required=False, default="")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is None:  # the schema
            return
        self.fields["incident"].queryset = visible_incidents(user)
        self.fields["to_unit"].queryset = limit_choices(user, GridUnit.objects.filter(is_active=True))


class SupplyDisposeBodySerializer(serializers.Serializer):
    quantity = model_int_field(Lot, "quantity", min_value=1)
    reason = note_field()
    document_no = serializers.CharField(max_length=max_length(Movement, "document_no"), required=False, default="")


class SupplyAdjustBodySerializer(serializers.Serializer):
    counted = model_int_field(Lot, "quantity")
    reason = note_field()
    document_no = serializers.CharField(max_length=max_length(Movement, "document_no"), required=False, default="")
