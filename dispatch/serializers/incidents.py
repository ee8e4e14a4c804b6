"""Serializers of the incidents API: output shapes and input parsing (types; limits from the model fields). The figures are validated by the service (``dispatch.services.incident_figures``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from dispatch.models import Incident, IncidentReport, IncidentTier, IncidentType, Level
from grids import limits
from grids.models import GridUnit
from grids.outside import OutsideGridSerializerMixin
from grids.serializers import ScopedRelatedFieldsMixin


class IncidentTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncidentType
        fields = ["id", "code", "name", "name_en", "category", "production_safety"]


class IncidentTierSerializer(ScopedRelatedFieldsMixin, serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    confirmed_by_name = serializers.CharField(source="confirmed_by.display_name", read_only=True, default="")

    class Meta:
        model = IncidentTier
        fields = [
            "unit",
            "unit_name",
            "received_at",
            "phone_at",
            "written_at",
            "confirmed_at",
            "confirmed_by_name",
            "forwarded_at",
            "phone_late",
            "written_late",
        ]


class IncidentChainReportSerializer(ScopedRelatedFieldsMixin, serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    by_name = serializers.CharField(source="by.display_name", read_only=True)
    figures = serializers.JSONField(
        read_only=True, help_text=gettext_lazy("The figures as they stood after this report.")
    )

    class Meta:
        model = IncidentReport
        fields = ["id", "kind", "sequence", "unit", "unit_name", "text", "figures", "by_name", "at"]


LIST_FIELDS = [
    "id",
    "number",
    "type",
    "type_name",
    "type_name_en",
    "category",
    "title",
    "occurred_at",
    "unit",
    "unit_name",
    "place",
    "level",
    "level_computed",
    "deaths",
    "injured",
    "serious_injuries",
    "missing",
    "trapped",
    "direct_loss",
    "is_final",
]


class IncidentListSerializer(ScopedRelatedFieldsMixin, serializers.ModelSerializer):
    type_name = serializers.CharField(source="type.name", read_only=True)
    type_name_en = serializers.CharField(source="type.name_en", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    any_late = serializers.BooleanField(read_only=True, help_text=gettext_lazy("Some tier reported late."))
    reached_me = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("It arrived at a tier where the caller holds a role.")
    )

    class Meta:
        model = Incident
        fields = [*LIST_FIELDS, "any_late", "reached_me"]


class IncidentDetailSerializer(ScopedRelatedFieldsMixin, serializers.ModelSerializer):
    type_name = serializers.CharField(source="type.name", read_only=True)
    type_name_en = serializers.CharField(source="type.name_en", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    reporter_name = serializers.CharField(source="reporter.display_name", read_only=True)
    tiers = IncidentTierSerializer(many=True, read_only=True)
    reports = IncidentChainReportSerializer(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = [
            *LIST_FIELDS,
            "lng",
            "lat",
            "description",
            "measures",
            "reporter_name",
            "reporter_phone",
            "created_at",
            "tiers",
            "reports",
        ]


class FiguresInputSerializer(serializers.Serializer):
    deaths = limits.model_int_field(Incident, "deaths", min_value=0, required=False, default=0)
    injured = limits.model_int_field(Incident, "injured", min_value=0, required=False, default=0)
    serious_injuries = limits.model_int_field(Incident, "serious_injuries", min_value=0, required=False, default=0)
    missing = limits.model_int_field(Incident, "missing", min_value=0, required=False, default=0)
    trapped = limits.model_int_field(Incident, "trapped", min_value=0, required=False, default=0)
    direct_loss = serializers.DecimalField(
        **limits.decimal_limits(Incident, "direct_loss"),
        min_value=0,
        required=False,
        default=0,
        help_text=gettext_lazy("Ten-thousand yuan."),
    )


class IncidentFirstReportSerializer(OutsideGridSerializerMixin, ScopedRelatedFieldsMixin, FiguresInputSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=GridUnit.objects.all())
    type = serializers.PrimaryKeyRelatedField(queryset=IncidentType.objects.all())
    title = serializers.CharField(max_length=limits.max_length(Incident, "title"))
    occurred_at = limits.BoundedDateTimeField()
    place = serializers.CharField(
        max_length=limits.max_length(Incident, "place"),
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("May be empty when lng and lat are given: the unit's name and the point."),
    )
    lng = limits.lng_field(required=False, allow_null=True, default=None)
    lat = limits.lat_field(required=False, allow_null=True, default=None)
    level = serializers.ChoiceField(
        choices=Level.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("The estimate; ignored for production-safety accidents (computed)."),
    )
    description = serializers.CharField(
        max_length=limits.max_length(Incident, "description"),
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("May be empty: the title stands for it until a follow-up report."),
    )
    measures = serializers.CharField(
        max_length=limits.max_length(Incident, "measures"), required=False, allow_blank=True, default=""
    )
    reporter_phone = serializers.CharField(
        max_length=limits.max_length(Incident, "reporter_phone"),
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("Defaults to the caller's mobile number."),
    )
    client_key = serializers.UUIDField(required=False, allow_null=True, default=None)


class IncidentTierActionSerializer(serializers.Serializer):
    unit = serializers.IntegerField(
        required=False,
        help_text=gettext_lazy(
            "The tier's unit; may be left out when the caller acts at only one of the incident's tiers."
        ),
    )


class IncidentPhoneSerializer(IncidentTierActionSerializer):
    at = limits.BoundedDateTimeField()


class IncidentFollowUpSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=limits.max_length(Incident, "description"))
    deaths = limits.model_int_field(Incident, "deaths", min_value=0, required=False)
    injured = limits.model_int_field(Incident, "injured", min_value=0, required=False)
    serious_injuries = limits.model_int_field(Incident, "serious_injuries", min_value=0, required=False)
    missing = limits.model_int_field(Incident, "missing", min_value=0, required=False)
    trapped = limits.model_int_field(Incident, "trapped", min_value=0, required=False)
    direct_loss = serializers.DecimalField(
        **limits.decimal_limits(Incident, "direct_loss"), min_value=0, required=False
    )
    level = serializers.ChoiceField(
        choices=Level.choices, required=False, help_text=gettext_lazy("Only for incidents whose level is not computed.")
    )


class IncidentFinalSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=limits.max_length(IncidentReport, "text"))
    plan_problem = serializers.BooleanField(
        default=False, help_text="The response found a problem in the emergency plan (修订情形)."
    )


class IncidentStatLineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    deaths = serializers.IntegerField()
    injured = serializers.IntegerField()
    missing = serializers.IntegerField()
    direct_loss = serializers.CharField()
    by_category = serializers.DictField(child=serializers.IntegerField())
    by_level = serializers.DictField(child=serializers.IntegerField())


class IncidentStatisticsSerializer(serializers.Serializer):
    period = serializers.CharField()
    year = serializers.IntegerField()
    rows = IncidentStatLineSerializer(many=True)
    total = IncidentStatLineSerializer()
    categories = IncidentStatLineSerializer(many=True)
    levels = IncidentStatLineSerializer(many=True)
