"""Serializers of the warnings API: output shapes and input parsing (types; limits from the model fields)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers

from dispatch.models import LEVEL_COLOURS, LEVEL_HELP, Level, Warning
from dispatch.selectors import warnings as warning_selectors
from grids import limits


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class WarningListSerializer(serializers.ModelSerializer):
    type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    type_name = serializers.CharField(source="type.name", read_only=True)
    type_name_en = serializers.CharField(source="type.name_en", read_only=True)
    colour = serializers.SerializerMethodField()
    issuer_name = serializers.CharField(source="issuer_unit.name", read_only=True)
    state = serializers.CharField(read_only=True, help_text="draft, active (in force) or lifted")
    level = serializers.IntegerField(read_only=True, help_text=LEVEL_HELP)

    class Meta:
        model = Warning
        fields = [
            "id",
            "title",
            "type",
            "type_name",
            "type_name_en",
            "level",
            "colour",
            "state",
            "issuer_unit",
            "issuer_name",
            "identifier",
            "version",
            "valid_from",
            "valid_to",
            "issued_at",
            "lifted_at",
        ]
        read_only_fields = fields

    def get_colour(self, obj: Warning) -> str:
        return LEVEL_COLOURS[obj.level]


class OwnDeliverySerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="recipient_unit_id")
    unit_name = serializers.CharField(source="recipient_unit.name")
    state = serializers.CharField()
    receipted_at = serializers.DateTimeField(allow_null=True)


class LocalInstructionSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    text = serializers.CharField()
    at = serializers.DateTimeField()


class WarningDetailSerializer(WarningListSerializer):
    areas = serializers.SerializerMethodField()
    my_deliveries = serializers.SerializerMethodField()
    local_instructions = serializers.SerializerMethodField()

    class Meta(WarningListSerializer.Meta):
        fields = [
            *WarningListSerializer.Meta.fields,
            "content",
            "instructions",
            "sender_name",
            "report_evacuation",
            "source_identifier",
            "areas",
            "my_deliveries",
            "local_instructions",
        ]
        read_only_fields = fields

    @extend_schema_field(UnitRefSerializer(many=True))
    def get_areas(self, obj: Warning) -> list[dict]:
        return UnitRefSerializer(obj.areas.order_by("level", "code"), many=True).data

    @extend_schema_field(OwnDeliverySerializer(many=True))
    def get_my_deliveries(self, obj: Warning) -> list[dict]:
        self._own = warning_selectors.own_deliveries(self.context["request"].user, obj)
        return OwnDeliverySerializer(self._own, many=True).data

    @extend_schema_field(LocalInstructionSerializer(many=True))
    def get_local_instructions(self, obj: Warning) -> list[dict]:
        units = [
            d.recipient_unit
            for d in getattr(self, "_own", None) or warning_selectors.own_deliveries(self.context["request"].user, obj)
        ]
        return LocalInstructionSerializer(
            warning_selectors.local_instructions_for(self.context["request"].user, obj, units), many=True
        ).data


class WarningChangeSerializer(serializers.Serializer):
    """The fields of a warning in force that may change (each optional)."""

    title = serializers.CharField(max_length=limits.max_length(Warning, "title"), required=False)
    content = serializers.CharField(required=False)
    instructions = serializers.CharField(required=False, allow_blank=True)
    level = serializers.IntegerField(
        min_value=min(Level.values),
        max_value=max(Level.values),
        required=False,
        help_text=LEVEL_HELP,
    )
    valid_from = limits.BoundedDateTimeField(required=False)
    valid_to = limits.BoundedDateTimeField(required=False)
    report_evacuation = serializers.BooleanField(required=False)
    sender_name = serializers.CharField(
        max_length=limits.max_length(Warning, "sender_name"), required=False, allow_blank=True
    )


class AcknowledgeSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text=_("The caller's own unit the warning was delivered to."))


class ReceiptSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="recipient_unit_id")
    state = serializers.CharField()
    receipted_at = serializers.DateTimeField(allow_null=True)
    receipted_by = serializers.CharField(source="receipted_by.display_name", allow_null=True)


class TierSerializer(serializers.Serializer):
    tier = serializers.IntegerField()
    total = serializers.IntegerField()
    acknowledged = serializers.IntegerField()
    pending = serializers.IntegerField()
    average_minutes = serializers.FloatField(allow_null=True)
    median_minutes = serializers.FloatField(allow_null=True)


class BoardPersonSerializer(serializers.Serializer):
    name = serializers.CharField(source="user.display_name")
    roles = serializers.ListField(child=serializers.CharField())
    mobile = serializers.CharField(source="user.mobile")


class PendingUnitSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="recipient_unit_id")
    code = serializers.CharField(source="recipient_unit.code")
    name = serializers.CharField(source="recipient_unit.name")
    tier = serializers.IntegerField(source="recipient_unit.tier")
    reminded_at = serializers.DateTimeField(allow_null=True)
    parent_told_at = serializers.DateTimeField(allow_null=True)
    people = BoardPersonSerializer(source="recipient_unit.contacts", many=True)


class BoardSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    acknowledged = serializers.IntegerField()
    tiers = TierSerializer(many=True)
    pending_count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    pending = PendingUnitSerializer(many=True)
    evacuated = serializers.IntegerField(allow_null=True)
    sheltered = serializers.IntegerField(allow_null=True)
