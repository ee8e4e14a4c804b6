"""Serializers of the library API: they parse types; the limits come from the model fields."""

from __future__ import annotations

from rest_framework import serializers

from library.models import Case, Regulation


class CaseSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    type = serializers.CharField(source="type_label", read_only=True)
    hazard_categories = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Case
        fields = ["id", "title", "source", "incident", "drill", "unit", "unit_name", "incident_type", "drill_form",
                  "type", "hazard_categories", "occurred_on", "cause", "measures", "handling", "lessons", "problems",
                  "suggestions", "expert_opinion", "state", "published_at"]  # fmt: skip
        read_only_fields = fields


class RegulationSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Regulation
        fields = ["id", "title", "kind", "number", "issuer", "issued_on", "effective_on", "status", "replaced_by",
                  "summary", "unit", "unit_name"]  # fmt: skip
        read_only_fields = fields


class ReplaceBodySerializer(serializers.Serializer):
    replaced_by = serializers.IntegerField(min_value=1)


class TriggeredSerializer(serializers.Serializer):
    plans_triggered = serializers.IntegerField()
