"""The hazard REST API (/api/v1/): the register read through ``hazards.access``, every change a service.

- ``hazards/``: list (``visible_hazards`` with the register's filters), detail (``get_hazard_for_user``:
  404 unseen), create = report from the phone (multipart with photos; a repeated ``client_key``
  answers 200 with the hazard already saved). No PUT, PATCH or DELETE: a hazard changes through its
  transitions, each a POST action calling one service — refused by state → 409, by role → 403,
  bad fields → 400, unseen → 404.
- ``hazard-categories/``, ``risk-options/``, ``risk-bands/``: the rule tables, read-only;
  ``risk-grade/`` computes a level from factor values (the phone's preview).
- ``hazard-copies/``: what was copied (抄告) to the caller's department, and its ``feedback``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ErrorSerializer, RefusalsMixin, ServiceErrorsMixin, refusals, schema_only
from grids.api import ScopedFilterBackend
from hazards import selectors, services
from hazards.access import get_hazard_for_user, visible_hazards
from hazards.filters import HazardFilterSet
from hazards.models import (
    Hazard,
    HazardCategory,
    HazardCopy,
    HazardEvent,
    HazardPhoto,
    RiskBand,
    RiskFactorOption,
    RiskLevel,
)
from hazards.permissions import HazardAction
from hazards.serializers import (
    ConfirmSerializer,
    CopyFeedbackSerializer,
    EvidenceSerializer,
    HazardCategorySerializer,
    HazardCopySerializer,
    HazardDetailSerializer,
    HazardEventSerializer,
    HazardListSerializer,
    HazardPhotoSerializer,
    HazardReportSerializer,
    NoteSerializer,
    PlanSerializer,
    ReasonSerializer,
    RiskBandSerializer,
    RiskFactorOptionSerializer,
    RiskGradeRequestSerializer,
    RiskGradeSerializer,
    SuperviseSerializer,
)


class HazardErrorsMixin(RefusalsMixin):
    """Service refusals as HTTP: state → 409, role → 403 (DRF), fields → 400 (``ServiceErrorsMixin``)."""

    photo_field: str | None = None  # where a field-less photo refusal is reported
    conflicts = (services.TransitionRefused,)

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError) and not hasattr(exc, "error_dict"):
            # The only field-less refusals of the services are unreadable or oversize photos.
            field = getattr(self, "photo_field", None)
            if field:
                exc = DjangoValidationError({field: exc.messages})
        return super().handle_exception(exc)


REFUSALS = refusals(
    not_found=_("No such hazard in the caller's scope."), conflict=_("The hazard's present state does not allow this.")
)


# --- the register ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="The register: hazards in the caller's scope"),
    retrieve=extend_schema(summary="One hazard with its photos and the caller's possible actions"),
)
@extend_schema(tags=["hazards"])
class HazardViewSet(
    HazardErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Hazards in the caller's scope. A hazard changes only through its transition actions."""

    # The register's shared filters (hazards.filters / selectors.apply_filters): the same query
    # string filters the list page, the map, the export and this endpoint.
    filter_backends = [ScopedFilterBackend, OrderingFilter]
    filterset_class = HazardFilterSet
    ordering_fields = ["found_at", "number", "risk_level", "deadline", "state"]
    ordering = ["-found_at", "-id"]

    def get_serializer_class(self):
        if self.action == "list":
            return HazardListSerializer
        if self.action == "create":
            return HazardReportSerializer
        return HazardDetailSerializer

    def get_queryset(self) -> QuerySet[Hazard]:
        if schema_only(self):
            return Hazard.objects.none()
        return visible_hazards(self.request.user).select_related("category", "unit", "owner_unit", "reporter")

    def get_object(self, permission: str | None = None) -> Hazard:
        hazard = get_hazard_for_user(self.request.user, self.kwargs["pk"], action=permission)
        self.check_object_permissions(self.request, hazard)
        return hazard

    def retrieve(self, request, *args, **kwargs):
        hazard = self.get_object()  # unit, owner, category and reporter joined; photos: one query
        return Response(HazardDetailSerializer(hazard, context=self.get_serializer_context()).data)

    # --- reporting ---------------------------------------------------------------------------
    @extend_schema(
        summary="Report a danger (multipart with photos)",
        request={"multipart/form-data": HazardReportSerializer, "application/json": HazardReportSerializer},
        responses={
            201: HazardDetailSerializer,
            200: OpenApiResponse(
                HazardDetailSerializer, description=_("The same client_key was sent before: the hazard already saved.")
            ),
            400: REFUSALS[400],
            403: REFUSALS[403],
        },
    )
    def create(self, request, *args, **kwargs):
        body = HazardReportSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        self.photo_field = "photos"
        hazard, created = services.hazard_report(by=request.user, **body.validated_data)
        hazard = Hazard.objects.select_related("category", "unit", "owner_unit", "reporter").get(pk=hazard.pk)
        data = HazardDetailSerializer(hazard, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    # --- transitions -------------------------------------------------------------------------
    def _transition(self, request, permission: str, body_class, service, **fixed) -> Response:
        hazard = self.get_object(permission)
        body = body_class(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        hazard = service(hazard=hazard, by=request.user, **body.validated_data, **fixed)
        return Response(HazardDetailSerializer(hazard, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Confirm and grade a reported danger (owning tier)",
        request=ConfirmSerializer,
        responses={200: HazardDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._transition(request, HazardAction.RULE, ConfirmSerializer, services.hazard_confirm)

    @extend_schema(
        summary="Rule that a report is not a hazard (owning tier)",
        request=ReasonSerializer,
        responses={200: HazardDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._transition(request, HazardAction.RULE, ReasonSerializer, services.hazard_reject)

    @extend_schema(
        summary="Set the five-in-place and start rectification (owning tier)",
        request=PlanSerializer,
        responses={200: HazardDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        return self._transition(request, HazardAction.RULE, PlanSerializer, services.hazard_plan)

    @extend_schema(
        summary="Report the rectification done, with photos (the hazard's own grid)",
        request={"multipart/form-data": EvidenceSerializer},
        responses={200: HazardDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        self.photo_field = "photos"
        return self._transition(request, HazardAction.EVIDENCE, EvidenceSerializer, services.hazard_submit_evidence)

    @extend_schema(
        summary="Accept the rectification and close the hazard (owning tier)",
        request=NoteSerializer,
        responses={200: HazardDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._transition(request, HazardAction.RULE, NoteSerializer, services.hazard_accept)

    @extend_schema(
        summary="Fail the acceptance: back to rectifying (owning tier)",
        request=ReasonSerializer,
        responses={200: HazardDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def fail(self, request, pk=None):
        return self._transition(request, HazardAction.RULE, ReasonSerializer, services.hazard_fail_acceptance)

    @extend_schema(
        summary="Pass the hazard up one tier (owning tier)",
        request=ReasonSerializer,
        responses={200: HazardDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        return self._transition(request, HazardAction.RULE, ReasonSerializer, services.hazard_escalate)

    @extend_schema(
        summary="Put a major hazard under listed supervision (county command)",
        request=SuperviseSerializer,
        responses={200: HazardDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        return self._transition(request, HazardAction.SUPERVISE, SuperviseSerializer, services.hazard_supervise)

    # --- what happened -----------------------------------------------------------------------
    @extend_schema(
        summary="The timeline: every step, oldest first",
        responses={200: HazardEventSerializer(many=True), 404: REFUSALS[404]},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def timeline(self, request, pk=None):
        hazard = self.get_object()
        events = (
            HazardEvent.objects.filter(hazard=hazard).select_related("by", "from_unit", "to_unit").order_by("at", "id")
        )
        return Response(HazardEventSerializer(events, many=True).data)

    @extend_schema(
        summary="The photos, as found and as rectified",
        responses={200: HazardPhotoSerializer(many=True), 404: REFUSALS[404]},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def photos(self, request, pk=None):
        hazard = self.get_object()
        photos = HazardPhoto.objects.filter(hazard=hazard).order_by("created_at", "id")
        return Response(HazardPhotoSerializer(photos, many=True, context=self.get_serializer_context()).data)


# --- rule tables ----------------------------------------------------------------------------------


@extend_schema(tags=["hazard rules"])
class HazardCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The hazard categories and the sector that supervises each (edited in the admin)."""

    queryset = HazardCategory.objects.select_related("sector").order_by("family", "order", "code")
    serializer_class = HazardCategorySerializer
    pagination_class = None
    filterset_fields = ["family", "is_active", "sector"]


@extend_schema(tags=["hazard rules"])
class RiskFactorOptionViewSet(viewsets.ReadOnlyModelViewSet):
    """The listed values of LEC's L, E, C and the matrix's L, S (edited in the admin)."""

    queryset = RiskFactorOption.objects.order_by("factor", "-value")
    serializer_class = RiskFactorOptionSerializer
    pagination_class = None
    filterset_fields = ["factor"]


@extend_schema(tags=["hazard rules"])
class RiskBandViewSet(viewsets.ReadOnlyModelViewSet):
    """The score from which each risk level starts, per method (edited in the admin)."""

    queryset = RiskBand.objects.order_by("method", "-min_score")
    serializer_class = RiskBandSerializer
    pagination_class = None
    filterset_fields = ["method", "level"]


@extend_schema(
    tags=["hazard rules"],
    summary="Grade from factor values (a preview; confirming grades again)",
    request=RiskGradeRequestSerializer,
    responses={200: RiskGradeSerializer, 400: REFUSALS[400]},
)
class RiskGradeView(ServiceErrorsMixin, APIView):
    """The risk level and score of LEC (D = L×E×C) or the matrix (R = L×S), from the rule tables."""

    def post(self, request):
        body = RiskGradeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        level, score = services.risk_grade(**body.validated_data)
        level = RiskLevel(level)
        data = {
            "level": level.value,
            "level_display": level.label,
            "colour": Hazard(risk_level=level).risk_colour,
            "score": score,
        }
        return Response(RiskGradeSerializer(data).data)


# --- copies to departments ------------------------------------------------------------------------


class HazardCopyFilter(filters.FilterSet):
    answered = filters.BooleanFilter(method="filter_answered", help_text="Whether the department has replied.")

    class Meta:
        model = HazardCopy
        fields = ["answered", "hazard"]

    def filter_answered(self, queryset, name, value: bool):
        return queryset.filter(feedback_at__isnull=not value)


@extend_schema(tags=["hazard copies"])
class HazardCopyViewSet(HazardErrorsMixin, viewsets.ReadOnlyModelViewSet):
    """Hazards copied (抄告) to the caller's department (a superuser: every copy), and its replies."""

    serializer_class = HazardCopySerializer
    filterset_class = HazardCopyFilter

    def get_queryset(self) -> QuerySet[HazardCopy]:
        if schema_only(self):
            return HazardCopy.objects.none()
        return selectors.department_copies(self.request.user)

    @extend_schema(
        summary="Record what the department did",
        request=CopyFeedbackSerializer,
        responses={
            200: HazardCopySerializer,
            400: REFUSALS[400],
            403: REFUSALS[403],
            404: OpenApiResponse(ErrorSerializer, description=_("No such copy for the caller's department.")),
        },
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        copy = self.get_object()
        body = CopyFeedbackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.hazard_copy_feedback(copy=copy, by=request.user, feedback=body.validated_data["feedback"])
        copy = self.get_queryset().get(pk=copy.pk)
        return Response(self.get_serializer(copy).data)
