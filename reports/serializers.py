"""Serializers of the reports API: what a monthly report, a consultation, a countermeasure and an
inbox entry look like in JSON, and the bodies of their actions. They parse types and take their
limits from the model fields (and the pages' forms); the services decide the rest."""

from __future__ import annotations

from rest_framework import serializers

from delivery.serializers import UnitBriefSerializer
from grids import limits
from hazards.models import HazardCategory, RiskLevel
from reports import access
from reports.models import Consultation, Countermeasure, MonthlyReport

# Text limits of the pages' forms (reports/forms.py), for the same fields.
NOTES_MAX = 4000
SUMMARY_MAX = 20000


# --- monthly reports ---------------------------------------------------------------------------


class MonthlyReportListSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    is_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = MonthlyReport
        fields = [
            "id",
            "unit",
            "period",
            "version",
            "state",
            "deadline",
            "submitted_at",
            "auto_submitted",
            "is_late",
            "signer_name",
        ]
        read_only_fields = fields


class MonthlyReportDetailSerializer(MonthlyReportListSerializer):
    may_sign = serializers.SerializerMethodField()

    class Meta(MonthlyReportListSerializer.Meta):
        fields = [*MonthlyReportListSerializer.Meta.fields, "figures", "annotation", "correction_reason", "may_sign"]
        read_only_fields = fields

    def get_may_sign(self, report: MonthlyReport) -> bool:
        return access.may_sign(self.context["request"].user, report)


class MonthlyQuerySerializer(serializers.Serializer):
    """The list's filters: ``month`` (2026-10 or a date in it), ``unit`` (its subtree), ``state``."""

    month = serializers.DateField(required=False, input_formats=["%Y-%m", "%Y-%m-%d"])
    unit = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    state = serializers.ChoiceField(required=False, choices=MonthlyReport.State.choices)

    def validate_month(self, value):
        return limits.bound_date("month", value.replace(day=1), allow_none=False)


class AnnotationSerializer(serializers.Serializer):
    annotation = serializers.CharField(max_length=NOTES_MAX, allow_blank=True)


class SubmitSerializer(serializers.Serializer):
    signer_name = serializers.CharField(max_length=limits.max_length(MonthlyReport, "signer_name"))
    annotation = serializers.CharField(max_length=NOTES_MAX, allow_blank=True, required=False)


class ReissueSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=limits.max_length(MonthlyReport, "correction_reason"))


# --- consultations -----------------------------------------------------------------------------


class CountermeasureSerializer(serializers.ModelSerializer):
    responsible_unit = UnitBriefSerializer(read_only=True)
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    consultation = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Countermeasure
        fields = [
            "id",
            "consultation",
            "risk",
            "category",
            "level",
            "trend",
            "measure",
            "responsible_unit",
            "deadline",
            "state",
            "done_at",
            "done_note",
            "overdue_since",
        ]
        read_only_fields = fields


class ConsultationListSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    measures = serializers.IntegerField(read_only=True)
    open_measures = serializers.IntegerField(read_only=True)

    class Meta:
        model = Consultation
        fields = ["id", "unit", "period_start", "period_end", "state", "held_on", "measures", "open_measures"]
        read_only_fields = fields


class ConsultationDetailSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    countermeasures = serializers.SerializerMethodField()
    may_record = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "id",
            "unit",
            "period_start",
            "period_end",
            "state",
            "briefing",
            "held_on",
            "participants",
            "summary",
            "completed_at",
            "countermeasures",
            "may_record",
        ]
        read_only_fields = fields

    def get_countermeasures(self, consultation: Consultation) -> list[dict]:
        items = consultation.countermeasures.select_related("category", "responsible_unit").order_by("deadline", "id")
        return CountermeasureSerializer(items, many=True).data

    def get_may_record(self, consultation: Consultation) -> bool:
        return access.may_record(self.context["request"].user, consultation)


class RecordSerializer(serializers.Serializer):
    held_on = limits.BoundedDateField()
    participants = serializers.CharField(max_length=NOTES_MAX)
    summary = serializers.CharField(max_length=SUMMARY_MAX, allow_blank=True, required=False, default="")


class CountermeasureAddSerializer(serializers.Serializer):
    risk = serializers.CharField(max_length=limits.max_length(Countermeasure, "risk"))
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=HazardCategory.objects.filter(is_active=True), required=False, allow_null=True
    )
    level = serializers.ChoiceField(choices=RiskLevel.choices)
    trend = serializers.ChoiceField(choices=Countermeasure.Trend.choices)
    measure = serializers.CharField(max_length=NOTES_MAX)
    responsible_unit = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    deadline = limits.BoundedDateField()


class DoneSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=NOTES_MAX)


# --- the inbox ---------------------------------------------------------------------------------
