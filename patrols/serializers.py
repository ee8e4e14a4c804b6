"""Serializers of the patrol API: limits from the model fields."""

from rest_framework import serializers

from patrols.models import CheckIn, Patrol, PatrolPoint, PatrolRoute, PresenceRequest, RouteStop


class PointSerializer(serializers.ModelSerializer):
    class Meta:
        model = PatrolPoint
        fields = ["id", "unit", "name", "source", "hazard", "danger_zone", "lng", "lat", "active"]


class CheckInSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckIn
        fields = [
            "id",
            "point",
            "outcome",
            "lng",
            "lat",
            "distance_m",
            "within_tolerance",
            "client_time",
            "server_time",
            "note",
            "hazard_key",
        ]


class PatrolSerializer(serializers.ModelSerializer):
    checkins = CheckInSerializer(many=True, read_only=True)

    class Meta:
        model = Patrol
        fields = [
            "id", "unit", "route", "officer", "state", "started_at", "client_started_at", "finished_at",
            "client_finished_at", "note", "checkins",
        ]  # fmt: skip


class RouteStopSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="point.name", read_only=True)

    class Meta:
        model = RouteStop
        fields = ["order", "point", "name"]


class RouteSerializer(serializers.ModelSerializer):
    stops = RouteStopSerializer(many=True, read_only=True)

    class Meta:
        model = PatrolRoute
        fields = ["id", "unit", "name", "active", "notes", "stops"]


class RouteBodySerializer(serializers.Serializer):
    """A new route or its change: ``points`` in their order on the route."""

    unit = serializers.IntegerField(required=False)
    name = serializers.CharField(max_length=PatrolRoute._meta.get_field("name").max_length)
    active = serializers.BooleanField(default=True)
    notes = serializers.CharField(
        max_length=PatrolRoute._meta.get_field("notes").max_length, required=False, allow_blank=True, default=""
    )
    points = serializers.ListField(child=serializers.IntegerField(), allow_empty=True, max_length=200)


class CheckInBodySerializer(serializers.Serializer):
    point = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=CheckIn.Outcome.choices, default=CheckIn.Outcome.NORMAL)
    lng = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True)
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    client_time = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(
        max_length=CheckIn._meta.get_field("note").max_length, required=False, allow_blank=True
    )
    client_key = serializers.UUIDField(required=False, allow_null=True)


class PresenceRequestSerializer(serializers.ModelSerializer):
    warning = serializers.IntegerField(source="check_run.warning_id", read_only=True)
    answer = serializers.SerializerMethodField()

    class Meta:
        model = PresenceRequest
        fields = ["id", "warning", "officer", "unit", "due_at", "answered_at", "client_time", "lng", "lat", "answer"]

    def get_answer(self, obj) -> str:
        from django.utils import timezone

        return obj.answer_at(timezone.now())


class PresenceAnswerBodySerializer(serializers.Serializer):
    lng = serializers.FloatField(min_value=-180, max_value=180)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    client_time = serializers.DateTimeField(required=False, allow_null=True)
    client_key = serializers.UUIDField(required=False, allow_null=True)
