"""Serializers of the hazard API: they parse and render; every change goes through ``hazards.services``.

Each transition has its own request serializer, so the OpenAPI schema documents what it takes.
Photos are never linked through MEDIA_URL: their ``url`` is the scoped ``hazards:photo`` view.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grids import limits
from grids.models import Department, GridUnit
from grids.outside import OutsideGridSerializerMixin
from grids.serializers import ScopedRelatedFieldsMixin
from hazards.access import may
from hazards.models import (
    OPEN_STATES,
    Grade,
    Hazard,
    HazardCategory,
    HazardCopy,
    HazardEvent,
    HazardPhoto,
    Method,
    RiskBand,
    RiskFactorOption,
    RiskLevel,
    RootCause,
    Source,
    State,
)
from hazards.permissions import HazardAction
from hazards.photos import check_photo_batch
from hazards.photos import limit as photo_limit

# action -> (states that allow it, the permission it needs). The services check the same again.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "confirm": ((State.REPORTED,), HazardAction.RULE),
    "reject": ((State.REPORTED,), HazardAction.RULE),
    "plan": ((State.CONFIRMED,), HazardAction.RULE),
    "evidence": ((State.RECTIFYING,), HazardAction.EVIDENCE),
    "accept": ((State.AWAITING_ACCEPTANCE,), HazardAction.RULE),
    "fail": ((State.AWAITING_ACCEPTANCE,), HazardAction.RULE),
    "escalate": (OPEN_STATES, HazardAction.RULE),
    "supervise": ((State.CONFIRMED, State.RECTIFYING, State.AWAITING_ACCEPTANCE), HazardAction.SUPERVISE),
}


def available_actions(user, hazard: Hazard) -> list[str]:
    """The transitions ``user`` may take on ``hazard`` now (for buttons; the services decide)."""
    names = []
    for name, (states, permission) in TRANSITIONS.items():
        if hazard.state not in states:
            continue
        if name == "escalate" and hazard.owner_unit.parent_id is None:
            continue
        if name == "supervise" and (hazard.grade != Grade.MAJOR or hazard.supervised):
            continue
        if may(user, permission, hazard):
            names.append(name)
    return names


# The schema names an enum after the first field that uses it (``state``, ``risk_level`` of the
# hazard); other fields with the same choices point at that one component instead of adding a
# second name for the same set (which ``spectacular --fail-on-warn`` refuses).
@extend_schema_field({"$ref": "#/components/schemas/StateEnum"})
class StateField(serializers.ChoiceField):
    """A hazard state, documented as the schema's one ``StateEnum``."""

    def __init__(self, **kwargs):
        super().__init__(choices=State.choices, **kwargs)


@extend_schema_field({"$ref": "#/components/schemas/RiskLevelEnum"})
class RiskLevelField(serializers.ChoiceField):
    """A risk level (1 red … 4 blue), documented as the schema's one ``RiskLevelEnum``."""

    def __init__(self, **kwargs):
        super().__init__(choices=RiskLevel.choices, **kwargs)


# --- rule tables ----------------------------------------------------------------------------------


class HazardCategorySerializer(serializers.ModelSerializer):
    family_display = serializers.CharField(source="get_family_display", read_only=True)
    sector_name = serializers.CharField(source="sector.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = HazardCategory
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "family",
            "family_display",
            "sector",
            "sector_name",
            "icon",
            "order",
            "is_active",
        ]
        read_only_fields = fields


class RiskFactorOptionSerializer(serializers.ModelSerializer):
    factor_display = serializers.CharField(source="get_factor_display", read_only=True)

    class Meta:
        model = RiskFactorOption
        fields = ["id", "factor", "factor_display", "value", "label"]
        read_only_fields = fields


class RiskBandSerializer(serializers.ModelSerializer):
    level = RiskLevelField(read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = RiskBand
        fields = ["id", "method", "level", "level_display", "min_score"]
        read_only_fields = fields


class RiskGradeRequestSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=[(Method.LEC, Method.LEC.label), (Method.LS, Method.LS.label)])
    inputs = serializers.DictField(
        child=serializers.CharField(),
        help_text=_("Factor values by factor code: lec_l, lec_e, lec_c for LEC; ls_l, ls_s for the matrix."),
    )


class RiskGradeSerializer(serializers.Serializer):
    level = RiskLevelField()
    level_display = serializers.CharField()
    colour = serializers.CharField(help_text=_("red, orange, yellow or blue."))
    score = serializers.DecimalField(max_digits=8, decimal_places=2)


# --- the record -----------------------------------------------------------------------------------


class HazardPhotoSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    url = serializers.SerializerMethodField(help_text=_("The photo, served after a scope check."))
    thumbnail_url = serializers.SerializerMethodField(
        help_text=_("Its thumbnail (at most 320 px), served after a scope check.")
    )

    class Meta:
        model = HazardPhoto
        fields = ["id", "kind", "kind_display", "processing", "url", "thumbnail_url", "width", "height", "created_at"]
        read_only_fields = fields
        extra_kwargs = {
            "processing": {
                "help_text": _(
                    "pending until the worker has shrunk it (its URLs then process it at once), "
                    "done, or unreadable (its URLs answer 404)."
                )
            }
        }

    def _absolute(self, name: str, photo: HazardPhoto) -> str:
        path = reverse(name, args=[photo.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_url(self, photo: HazardPhoto) -> str:
        return self._absolute("hazards:photo", photo)

    def get_thumbnail_url(self, photo: HazardPhoto) -> str:
        return self._absolute("hazards:photo_thumb", photo)


class HazardEventSerializer(serializers.ModelSerializer):
    action_display = serializers.CharField(source="get_action_display", read_only=True)
    from_state = StateField(read_only=True)
    to_state = StateField(read_only=True)
    by_name = serializers.CharField(source="by.display_name", read_only=True, allow_null=True, default=None)
    from_unit_name = serializers.CharField(source="from_unit.name", read_only=True, allow_null=True, default=None)
    to_unit_name = serializers.CharField(source="to_unit.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = HazardEvent
        fields = [
            "id",
            "action",
            "action_display",
            "from_state",
            "to_state",
            "from_unit",
            "from_unit_name",
            "to_unit",
            "to_unit_name",
            "by",
            "by_name",
            "at",
            "note",
        ]
        read_only_fields = fields


class HazardListSerializer(serializers.ModelSerializer):
    """One row of the register."""

    category_name = serializers.CharField(source="category.name", read_only=True)
    category_name_en = serializers.CharField(source="category.name_en", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    owner_unit_name = serializers.CharField(source="owner_unit.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)
    risk_colour = serializers.CharField(read_only=True, help_text=_("red, orange, yellow, blue or none."))
    overdue = serializers.SerializerMethodField(help_text=_("Past its rectification deadline."))
    reporter_name = serializers.CharField(source="reporter.display_name", read_only=True)

    class Meta:
        model = Hazard
        fields = [
            "id",
            "number",
            "title",
            "family",
            "category",
            "category_name",
            "category_name_en",
            "unit",
            "unit_name",
            "owner_unit",
            "owner_unit_name",
            "state",
            "state_display",
            "grade",
            "grade_display",
            "risk_level",
            "risk_colour",
            "overdue",
            "overdue_since",
            "supervised",
            "deadline",
            "found_at",
            "lng",
            "lat",
            "address",
            "reporter",
            "reporter_name",
        ]
        read_only_fields = fields

    def get_overdue(self, hazard: Hazard) -> bool:
        return hazard.overdue_since is not None


class HazardDetailSerializer(HazardListSerializer):
    """The whole record, its photos, and the transitions the caller may take now."""

    root_cause_display = serializers.CharField(source="get_root_cause_display", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    supervising_department_name = serializers.CharField(
        source="supervising_department.name", read_only=True, allow_null=True, default=None
    )
    photos = HazardPhotoSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField(
        help_text=_("The transitions the caller may take in the hazard's present state.")
    )

    class Meta(HazardListSerializer.Meta):
        fields = [
            *HazardListSerializer.Meta.fields,
            "description",
            "root_cause",
            "root_cause_display",
            "source",
            "source_display",
            "risk_method",
            "risk_score",
            "risk_inputs",
            "risk_reason",
            "measures",
            "responsible_unit",
            "responsible_person",
            "responsible_phone",
            "funds",
            "contingency",
            "supervising_department",
            "supervising_department_name",
            "supervision_deadline",
            "supervision_order_no",
            "supervision_requirements",
            "closed_at",
            "created_at",
            "photos",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=list(TRANSITIONS))))
    def get_actions(self, hazard: Hazard) -> list[str]:
        request = self.context.get("request")
        return available_actions(request.user, hazard) if request is not None else []


# --- reporting ------------------------------------------------------------------------------------


class PhotoListField(serializers.ListField):
    """Files sent as repeated multipart parts of the same name; checked and resized by the service.

    How many and how many bytes: ``hazards.photos.check_photo_batch``, as on the report page (read
    when the request comes, so a setting changes both); ``max_length`` only tells the schema."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.FileField(allow_empty_file=False, use_url=False))
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", list)
        kwargs.setdefault("max_length", photo_limit("HAZARD_PHOTOS_PER_REQUEST"))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        files = super().to_internal_value(data)
        try:
            check_photo_batch(files)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return files

    def get_value(self, dictionary):
        # Also accept ``photos[]`` (what some form libraries send for a list of files).
        if hasattr(dictionary, "getlist") and self.field_name not in dictionary:
            files = dictionary.getlist(f"{self.field_name}[]")
            if files:
                return files
        return super().get_value(dictionary)


class HazardReportSerializer(OutsideGridSerializerMixin, ScopedRelatedFieldsMixin, serializers.Serializer):
    """A report from the phone (multipart, with photos)."""

    category = serializers.PrimaryKeyRelatedField(queryset=HazardCategory.objects.filter(is_active=True))
    unit = serializers.PrimaryKeyRelatedField(
        queryset=GridUnit.objects.filter(is_active=True), help_text=_("The grid unit where the danger is.")
    )
    title = serializers.CharField(max_length=limits.max_length(Hazard, "title"))
    description = limits.note_field(required=False, allow_blank=True, default="")
    lng = limits.lng_field(required=False, allow_null=True, default=None)
    lat = limits.lat_field(required=False, allow_null=True, default=None)
    address = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=limits.max_length(Hazard, "address")
    )
    source = serializers.ChoiceField(choices=Source.choices, required=False, default=Source.PATROL)
    root_cause = serializers.ChoiceField(choices=RootCause.choices, required=False, allow_blank=True, default="")
    found_at = limits.BoundedDateTimeField(required=False, allow_null=True, default=None)
    client_key = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("A key made by the form; sending the same key again returns the hazard already saved."),
    )
    photos = PhotoListField(help_text=_("Photos of the danger as found."))
    fixed_on_spot = serializers.BooleanField(required=False, default=False)
    evidence_photos = PhotoListField(help_text=_("Photos of the result, needed when fixed on the spot."))
    evidence_note = limits.note_field(required=False, allow_blank=True, default="")


# --- transitions ----------------------------------------------------------------------------------


class ConfirmSerializer(serializers.Serializer):
    grade = serializers.ChoiceField(choices=Grade.choices)
    risk_method = serializers.ChoiceField(choices=Method.choices)
    risk_level = serializers.ChoiceField(
        choices=RiskLevel.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Needed when the level is set directly."),
    )
    risk_inputs = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        default=dict,
        help_text=_("Factor values for LEC (lec_l, lec_e, lec_c) or the matrix (ls_l, ls_s)."),
    )
    risk_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=limits.max_length(Hazard, "risk_reason")
    )
    root_cause = serializers.ChoiceField(choices=RootCause.choices, required=False, allow_blank=True, default="")
    note = limits.note_field(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = limits.note_field()


class NoteSerializer(serializers.Serializer):
    note = limits.note_field(required=False, allow_blank=True, default="")


class PlanSerializer(serializers.Serializer):
    """The five-in-place (五落实): measures, responsibility, funds, deadline, contingency."""

    measures = limits.long_text_field()
    responsible_unit = serializers.CharField(max_length=limits.max_length(Hazard, "responsible_unit"))
    responsible_person = serializers.CharField(max_length=limits.max_length(Hazard, "responsible_person"))
    responsible_phone = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=limits.max_length(Hazard, "responsible_phone")
    )
    funds = serializers.DecimalField(
        **limits.decimal_limits(Hazard, "funds"),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Yuan; required for a major hazard."),
    )
    deadline = limits.BoundedDateField()
    contingency = limits.long_text_field()
    note = limits.note_field(required=False, allow_blank=True, default="")


class EvidenceSerializer(serializers.Serializer):
    note = limits.note_field(required=False, allow_blank=True, default="")
    photos = PhotoListField(help_text=_("Photos of the rectified place (at least one)."))


class SuperviseSerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.filter(is_active=True))
    deadline = limits.BoundedDateField()
    requirements = limits.long_text_field()
    order_no = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=limits.max_length(Hazard, "supervision_order_no")
    )


# --- copies to departments ------------------------------------------------------------------------


class HazardCopySerializer(serializers.ModelSerializer):
    hazard_number = serializers.CharField(source="hazard.number", read_only=True)
    hazard_title = serializers.CharField(source="hazard.title", read_only=True)
    hazard_state = StateField(source="hazard.state", read_only=True)
    hazard_state_display = serializers.CharField(source="hazard.get_state_display", read_only=True)
    hazard_grade = serializers.CharField(source="hazard.grade", read_only=True)
    hazard_unit_name = serializers.CharField(source="hazard.unit.name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    feedback_by_name = serializers.CharField(
        source="feedback_by.display_name", read_only=True, allow_null=True, default=None
    )
    answered = serializers.SerializerMethodField()

    class Meta:
        model = HazardCopy
        fields = [
            "id",
            "hazard",
            "hazard_number",
            "hazard_title",
            "hazard_state",
            "hazard_state_display",
            "hazard_grade",
            "hazard_unit_name",
            "department",
            "department_name",
            "created_at",
            "feedback",
            "feedback_by",
            "feedback_by_name",
            "feedback_at",
            "answered",
        ]
        read_only_fields = fields

    def get_answered(self, copy: HazardCopy) -> bool:
        return copy.feedback_at is not None


class CopyFeedbackSerializer(serializers.Serializer):
    feedback = limits.long_text_field(help_text=_("What the department did."))
