"""Serializers of the library API: they parse types; the limits come from the model fields."""

from __future__ import annotations

from rest_framework import serializers

from drills.models import DrillForm
from grids.limits import BoundedDateField, max_length
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


def _text(model, name: str, *, required: bool = False) -> serializers.CharField:
    return serializers.CharField(max_length=max_length(model, name), required=required, allow_blank=not required)


class CaseBodySerializer(serializers.Serializer):
    """A case written by hand: the unit by id (in the caller's scope), the parts as text."""

    unit = serializers.IntegerField(min_value=1)
    title = _text(Case, "title", required=True)
    occurred_on = BoundedDateField()
    incident_type = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    drill_form = serializers.ChoiceField(choices=DrillForm.choices, required=False, allow_blank=True)
    hazard_categories = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    cause = _text(Case, "cause")
    measures = _text(Case, "measures")
    handling = _text(Case, "handling")
    lessons = _text(Case, "lessons")
    problems = _text(Case, "problems")
    suggestions = _text(Case, "suggestions")
    expert_opinion = _text(Case, "expert_opinion")


class FromIncidentBodySerializer(serializers.Serializer):
    incident = serializers.IntegerField(min_value=1)


class RegulationBodySerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1)
    title = _text(Regulation, "title", required=True)
    kind = serializers.ChoiceField(choices=Regulation.Kind.choices)
    number = _text(Regulation, "number")
    issuer = _text(Regulation, "issuer", required=True)
    issued_on = BoundedDateField(required=False, allow_null=True)
    effective_on = BoundedDateField(required=False, allow_null=True)
    summary = _text(Regulation, "summary")
    plans = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
