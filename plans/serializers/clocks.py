"""The API shapes of the clocks: calendar rows, revision triggers, evaluations and drills. Limits from the model fields."""

from __future__ import annotations

from rest_framework import serializers

from plans.models import Plan, PlanDrill, PlanEvaluation, RevisionTrigger, TriggerCase

STATUS_HELP = "overdue, due_soon, ok, none"


class RevisionTriggerSerializer(serializers.ModelSerializer):
    case = serializers.CharField(read_only=True, help_text=", ".join(TriggerCase.values))
    case_name = serializers.CharField(source="get_case_display", read_only=True)
    source = serializers.CharField(read_only=True)

    class Meta:
        model = RevisionTrigger
        fields = ["id", "plan", "case", "case_name", "source", "note", "raised_at", "closed_by_version", "closed_at"]
        read_only_fields = fields


class TriggerBodySerializer(serializers.ModelSerializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.none())
    case = serializers.ChoiceField(choices=TriggerCase.choices, help_text=", ".join(TriggerCase.values))

    class Meta:
        model = RevisionTrigger
        fields = ["plan", "case", "note"]

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["plan"].queryset = plans


class EvaluationSerializer(serializers.ModelSerializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.none())
    case = serializers.ChoiceField(choices=TriggerCase.choices, default=TriggerCase.OTHER, write_only=True)

    class Meta:
        model = PlanEvaluation
        fields = ["id", "plan", "held_on", "evaluated_by", "conclusion", "calls_for_revision", "case"]
        read_only_fields = ["id"]

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["plan"].queryset = plans


class PlanDrillSerializer(serializers.ModelSerializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.none())

    class Meta:
        model = PlanDrill
        fields = ["id", "plan", "held_on", "plan_problem", "note"]
        read_only_fields = ["id"]

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["plan"].queryset = plans


class CalendarRowSerializer(serializers.Serializer):
    plan = serializers.IntegerField(source="plan.pk")
    title = serializers.CharField(source="plan.title")
    owner = serializers.CharField(source="plan.owner_name")
    kind = serializers.CharField(source="plan.kind.name")
    evaluation_due = serializers.DateField(source="clocks.evaluation_due", allow_null=True)
    evaluation_status = serializers.CharField(source="statuses.evaluation", help_text=STATUS_HELP)
    drill_due = serializers.DateField(source="clocks.drill_due", allow_null=True)
    drill_status = serializers.CharField(source="statuses.drill", help_text=STATUS_HELP)
    filing_due = serializers.DateField(source="clocks.filing_due", allow_null=True)
    filing_status = serializers.CharField(source="statuses.filing", help_text=STATUS_HELP)
    open_triggers = RevisionTriggerSerializer(source="triggers", many=True)
