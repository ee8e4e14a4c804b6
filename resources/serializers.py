"""Serializers of the resources API: they parse types; the limits come from the model fields."""

from __future__ import annotations

from rest_framework import serializers

from resources.models import Expert, RollCall, Team, TeamEquipment, TeamMember


class TeamMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamMember
        fields = ["id", "name", "role", "phone", "person"]
        read_only_fields = fields


class TeamEquipmentSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)

    class Meta:
        model = TeamEquipment
        fields = ["id", "item", "item_name", "quantity", "depot"]
        read_only_fields = fields


class TeamSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    specialities = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    members = TeamMemberSerializer(many=True, read_only=True)
    equipment = TeamEquipmentSerializer(many=True, read_only=True)
    below_strength = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = ["id", "name", "unit", "unit_name", "kind", "force", "specialities", "on_duty", "readiness",
                  "base_address", "lat", "lng", "leader_name", "leader_phone", "duty_phone", "members", "equipment",
                  "below_strength"]  # fmt: skip
        read_only_fields = fields

    def get_below_strength(self, team) -> bool:
        strength = getattr(team, "strength", None)
        return bool(strength and strength.below)


class ReadinessBodySerializer(serializers.Serializer):
    readiness = serializers.ChoiceField(choices=Team.Readiness.choices)
    on_duty = serializers.IntegerField(min_value=0, max_value=100_000, required=False)


class ExpertSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    hazard_categories = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    incident_types = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Expert
        fields = ["id", "name", "unit", "unit_name", "speciality", "employer", "title", "phone", "phone_2",
                  "hazard_categories", "incident_types", "availability"]  # fmt: skip
        read_only_fields = fields


class RollCallSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    called = serializers.IntegerField(read_only=True)
    answered = serializers.IntegerField(read_only=True)

    class Meta:
        model = RollCall
        fields = ["id", "unit", "unit_name", "message", "started_at", "called", "answered"]
        read_only_fields = fields


class RollCallBodySerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1)
    message = serializers.CharField(
        max_length=RollCall._meta.get_field("message").max_length, required=False, allow_blank=True
    )


class AnsweredSerializer(serializers.Serializer):
    answered = serializers.IntegerField()
