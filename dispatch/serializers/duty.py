"""Serializers of the duty desk API: output shapes and input parsing (types; limits from the model fields)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers

from dispatch.models import DutyLogEntry, DutyShift
from dispatch.selectors import duty as duty_selectors
from grids import limits
from grids.models import User
from grids.scope import visible_people


class DutyPersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name", "mobile"]
        read_only_fields = fields


class DutyShiftSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    leader = DutyPersonSerializer(read_only=True)
    post_a = DutyPersonSerializer(read_only=True)
    post_b = DutyPersonSerializer(read_only=True, allow_null=True)
    on_duty_now = serializers.SerializerMethodField()
    off_roll = serializers.SerializerMethodField(
        help_text="Posts (leader, post_a, post_b) whose person no longer holds a role at the centre or above it."
    )

    class Meta:
        model = DutyShift
        fields = [
            "id",
            "unit",
            "unit_name",
            "starts_at",
            "ends_at",
            "leader",
            "post_a",
            "post_b",
            "note",
            "on_duty_now",
            "off_roll",
        ]
        read_only_fields = fields

    def get_off_roll(self, shift: DutyShift) -> list[str]:
        return [post for post in duty_selectors.POSTS if getattr(shift, f"{post}_on_roll", None) is False]

    def get_on_duty_now(self, shift: DutyShift) -> bool:
        now = self.context.get("now") or timezone.now()
        return shift.starts_at <= now < shift.ends_at


@extend_schema_field(OpenApiTypes.INT)
class VisiblePersonField(serializers.PrimaryKeyRelatedField):
    """A person the caller can see (anyone else reads as "no such person")."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return User.objects.none()
        return visible_people(request.user).filter(is_active=True)


class DutyShiftCreateSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text=gettext_lazy("The dispatch centre (a tier-1 or tier-2 unit)."))
    starts_at = limits.BoundedDateTimeField()
    ends_at = limits.BoundedDateTimeField()
    leader = VisiblePersonField()
    post_a = VisiblePersonField()
    post_b = VisiblePersonField(required=False, allow_null=True)
    note = serializers.CharField(
        max_length=limits.max_length(DutyShift, "note"), required=False, allow_blank=True, default=""
    )


class DutyLogEntrySerializer(serializers.ModelSerializer):
    # Plain text here (the values are listed on the create body) so that the choice set belongs to
    # one schema component and its enum gets a stable name.
    kind = serializers.CharField(read_only=True, help_text="call, warning, incident, handover or other")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    by = DutyPersonSerializer(read_only=True)

    class Meta:
        model = DutyLogEntry
        fields = [
            "id",
            "unit",
            "unit_name",
            "at",
            "kind",
            "kind_display",
            "summary",
            "details",
            "caller",
            "warning",
            "incident",
            "by",
            "created_at",
        ]
        read_only_fields = fields


class DutyLogEntryCreateSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text=gettext_lazy("The dispatch centre whose log this is."))
    at = limits.BoundedDateTimeField(required=False, help_text=gettext_lazy("When it happened; now if left out."))
    kind = serializers.ChoiceField(choices=DutyLogEntry.Kind.choices)
    summary = serializers.CharField(max_length=limits.max_length(DutyLogEntry, "summary"))
    details = serializers.CharField(required=False, allow_blank=True, default="")
    caller = serializers.CharField(
        max_length=limits.max_length(DutyLogEntry, "caller"), required=False, allow_blank=True, default=""
    )
    warning = serializers.IntegerField(required=False, allow_null=True)
    incident = serializers.IntegerField(required=False, allow_null=True)


class OnDutySerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    tier = serializers.IntegerField()
    shift = DutyShiftSerializer(allow_null=True)
