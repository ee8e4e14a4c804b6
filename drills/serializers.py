"""The drill API's shapes: they parse types; the limits come from the model fields. Choice fields
are plain strings (their values are the models' choices), so the schema's enum names do not
collide with other apps' "state" and "kind"."""

from __future__ import annotations

from rest_framework import serializers

from drills.models import Drill, DrillForm, DrillPurpose, DrillScope, DrillState, Finding, Training
from drills.permissions import DrillAction
from grids.models import GridUnit
from grids.scope import scope_for
from hazards.models import HazardCategory


class DrillSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    organiser_name = serializers.CharField(source="organiser.name", read_only=True)
    state = serializers.CharField(read_only=True, help_text=", ".join(DrillState.values))
    form = serializers.CharField(read_only=True, help_text=", ".join(DrillForm.values))
    scope = serializers.CharField(read_only=True, help_text=", ".join(DrillScope.values))
    purpose = serializers.CharField(read_only=True, help_text=", ".join(DrillPurpose.values))

    class Meta:
        model = Drill
        fields = [
            "id", "title", "unit", "unit_name", "organiser", "organiser_name", "form", "scope", "purpose",
            "double_blind", "planned_date", "place", "scenario", "subjects", "state", "alarm_sent_at",
            "acknowledged_at", "first_on_scene_at", "assembled_at", "held_at", "held_place", "headcount",
        ]  # fmt: skip
        read_only_fields = fields


class DrillCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=Drill._meta.get_field("title").max_length)
    organiser = serializers.PrimaryKeyRelatedField(queryset=GridUnit.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=GridUnit.objects.all())
    form = serializers.CharField(max_length=10, help_text=", ".join(DrillForm.values))
    scope = serializers.CharField(max_length=14, help_text=", ".join(DrillScope.values))
    purpose = serializers.CharField(max_length=14, default=DrillPurpose.TEST, help_text=", ".join(DrillPurpose.values))
    double_blind = serializers.BooleanField(default=False)
    scenario = serializers.CharField(max_length=2000)
    subjects = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    planned_date = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            units = scope_for(user).units_where(DrillAction.ORGANISE)
            self.fields["organiser"].queryset = units
            self.fields["unit"].queryset = units


class TimeBodySerializer(serializers.Serializer):
    milestone = serializers.CharField(help_text="first_on_scene, assembled")
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class HeldBodySerializer(serializers.Serializer):
    held_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=Drill._meta.get_field("held_place").max_length)
    headcount = serializers.IntegerField(min_value=0, max_value=2147483647)
    participants = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    script = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    narrative = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")


class EvaluateBodySerializer(serializers.Serializer):
    scores = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=100),
                                   help_text="indicator id → score 0–100")  # fmt: skip
    report = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    summary = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")

    def validate_scores(self, value):
        try:
            return {int(key): score for key, score in value.items()}
        except ValueError:
            raise serializers.ValidationError("indicator id") from None


class FindingSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=", ".join(Finding.Kind.values))
    state = serializers.CharField(read_only=True, help_text=", ".join(Finding.State.values))
    owner_name = serializers.CharField(source="owner_unit.name", read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id", "drill", "kind", "description", "owner_unit", "owner_name", "deadline", "state", "plan", "hazard",
            "closing_note", "closed_at",
        ]  # fmt: skip
        read_only_fields = fields


class FindingBodySerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=14, help_text=", ".join(Finding.Kind.values))
    description = serializers.CharField(max_length=2000)
    owner_unit = serializers.PrimaryKeyRelatedField(queryset=GridUnit.objects.all())
    deadline = serializers.DateField()
    plan = serializers.IntegerField(required=False, allow_null=True, default=None)
    hazard_category = serializers.PrimaryKeyRelatedField(
        queryset=HazardCategory.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["owner_unit"].queryset = scope_for(user).units()


class CloseBodySerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class EmptySerializer(serializers.Serializer):
    pass


class TrainingSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Training
        fields = ["id", "unit", "unit_name", "topic", "held_on", "hours", "attendees"]
        read_only_fields = fields
