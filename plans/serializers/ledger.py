"""The plan API's shapes: they parse types; the limits come from the model fields."""

from __future__ import annotations

from rest_framework import serializers

from dispatch.models import IncidentType
from grids.models import Department, GridUnit
from hazards.models import HazardCategory
from plans.models import Filing, Plan, PlanDocument, PlanKind, PlanVersion, ReviewRecord, VersionState

# State and kind fields are plain strings here (their values are the models' choices): the schema's
# enum names would otherwise collide with the other apps' "state" and "kind".


class PlanDocumentSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=", ".join(PlanDocument.Kind.values))

    class Meta:
        model = PlanDocument
        fields = ["id", "kind", "original_name", "size", "uploaded_at"]


class ReviewRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewRecord
        fields = ["id", "held_on", "experts", "opinions", "handling"]


class FilingSerializer(serializers.ModelSerializer):
    receiver = serializers.CharField(source="receiver_name", read_only=True)
    plan = serializers.IntegerField(source="version.plan_id", read_only=True)
    state = serializers.CharField(read_only=True, help_text=", ".join(Filing.State.values))

    class Meta:
        model = Filing
        fields = [
            "id",
            "version",
            "plan",
            "receiver",
            "state",
            "filed_at",
            "late",
            "number",
            "decided_at",
            "return_reason",
        ]
        read_only_fields = fields


class PlanVersionSerializer(serializers.ModelSerializer):
    documents = PlanDocumentSerializer(many=True, read_only=True)
    reviews = ReviewRecordSerializer(many=True, read_only=True)
    filings = FilingSerializer(many=True, read_only=True)
    state = serializers.CharField(read_only=True, help_text=", ".join(VersionState.values))

    class Meta:
        model = PlanVersion
        fields = [
            "id", "plan", "number", "state", "summary", "issue_number", "issued_on", "filing_due", "in_force_since",
            "withdrawn_reason", "touches_command", "touches_procedure", "touches_grading", "documents", "reviews",
            "filings",
        ]  # fmt: skip
        read_only_fields = fields


class EmergencyPlanSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner_name", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    kind_name_en = serializers.CharField(source="kind.name_en", read_only=True)
    current_version = serializers.IntegerField(source="current_version_id", read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id", "title", "kind", "kind_name", "kind_name_en", "unit", "department", "owner", "lead_department", "hazard_categories",
            "incident_types", "linked_plans", "leader_name", "contacts", "current_version",
        ]  # fmt: skip
        read_only_fields = ["id", "owner", "kind_name", "kind_name_en", "current_version"]


class PlanCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=Plan._meta.get_field("title").max_length)
    kind = serializers.PrimaryKeyRelatedField(queryset=PlanKind.objects.filter(is_active=True))
    unit = serializers.PrimaryKeyRelatedField(queryset=GridUnit.objects.all())
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False, allow_null=True)
    lead_department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )
    leader_name = serializers.CharField(max_length=Plan._meta.get_field("leader_name").max_length)
    contacts = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    hazard_categories = serializers.PrimaryKeyRelatedField(
        queryset=HazardCategory.objects.all(), many=True, required=False
    )
    incident_types = serializers.PrimaryKeyRelatedField(queryset=IncidentType.objects.all(), many=True, required=False)
    linked_plans = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.all(), many=True, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:  # a unit or plan out of sight reads as one that does not exist
            from plans.access import draft_units, linkable_plans_for

            self.fields["unit"].queryset = draft_units(user)
            self.fields["linked_plans"].child_relation.queryset = linkable_plans_for(user)


class ReviewBodySerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewRecord
        fields = ["held_on", "experts", "opinions", "handling"]


class IssueBodySerializer(serializers.Serializer):
    issued_on = serializers.DateField(required=False)
    issue_number = serializers.CharField(max_length=60, required=False, allow_blank=True)


class ReasonBodySerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class RevisionBodySerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    touches_command = serializers.BooleanField(default=False)
    touches_procedure = serializers.BooleanField(default=False)
    touches_grading = serializers.BooleanField(default=False)


class DocumentBodySerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=20, help_text=", ".join(PlanDocument.Kind.values))
    file = serializers.FileField()


class EmptySerializer(serializers.Serializer):
    pass
