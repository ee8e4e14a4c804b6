"""The incident REST API (/api/v1/): read through dispatch.selectors.incidents (scope), every change a service.

- ``incidents/``: list (visible incidents, newest first; filters category, level, date_from, date_to,
  late), detail (``get_incident_for_user``: 404 unseen) with its tiers and chain of reports, create =
  first report (a repeated ``client_key`` answers 200 with the incident already saved).
  Actions (POST): ``confirm``, ``forward``, ``phone`` at one tier (``unit``; 403 unless one of that
  unit's officers), ``follow-up`` and ``final``. Refused by role → 403, by fields or state → 400.
- ``incident-types/``: the rule table of types, read-only.
- ``incident-statistics/``: by month, quarter or year, by category and level, in the caller's scope.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ServiceErrorsMixin, refusals, schema_only
from dispatch import access
from dispatch.models import Incident, IncidentCategory, IncidentReport, IncidentTier, IncidentType, Level
from dispatch.selectors import incidents as incident_selectors
from dispatch.serializers.incidents import (
    IncidentDetailSerializer,
    IncidentFinalSerializer,
    IncidentFirstReportSerializer,
    IncidentFollowUpSerializer,
    IncidentListSerializer,
    IncidentPhoneSerializer,
    IncidentStatisticsSerializer,
    IncidentTierActionSerializer,
    IncidentTypeSerializer,
)
from dispatch.services import incident_tiers
from dispatch.services import incidents as services
from grids import limits

# --- serializers ----------------------------------------------------------------------------------


REFUSALS = refusals(
    invalid=gettext_lazy("Bad or missing fields, or a step the incident's state does not allow."),
    not_found=gettext_lazy("No such incident in the caller's scope."),
    codes=(400, 403, 404),
)
LIST_PARAMETERS = [
    OpenApiParameter("category", str, enum=IncidentCategory.values),
    OpenApiParameter("level", int, enum=Level.values),
    OpenApiParameter("date_from", str, description="YYYY-MM-DD"),
    OpenApiParameter("date_to", str, description="YYYY-MM-DD"),
    OpenApiParameter("late", bool, description=gettext_lazy("Only incidents some tier reported late.")),
]


class _ListFilters(serializers.Serializer):
    category = serializers.ChoiceField(choices=IncidentCategory.choices, required=False)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    date_from = limits.BoundedDateField(required=False)
    date_to = limits.BoundedDateField(required=False)
    late = serializers.BooleanField(required=False, default=False)


# --- views ----------------------------------------------------------------------------------------


def _detail(incident: Incident) -> Incident:
    return (
        Incident.objects.select_related("type", "unit", "reporter")
        .prefetch_related(
            Prefetch(
                "tiers", queryset=IncidentTier.objects.select_related("unit", "confirmed_by").order_by("-unit__level")
            ),
            Prefetch("reports", queryset=IncidentReport.objects.select_related("by", "unit")),
        )
        .get(pk=incident.pk)
    )


@extend_schema_view(
    list=extend_schema(summary="Incidents in the caller's scope, newest first", parameters=LIST_PARAMETERS),
    retrieve=extend_schema(
        summary="One incident with its tiers and its chain of reports",
        responses={200: IncidentDetailSerializer, 404: REFUSALS[404]},
    ),
)
@extend_schema(tags=["incidents"])
class IncidentViewSet(
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Incident information reports. An incident changes only through its report and tier actions."""

    def get_serializer_class(self):
        if self.action == "list":
            return IncidentListSerializer
        if self.action == "create":
            return IncidentFirstReportSerializer
        return IncidentDetailSerializer

    def get_queryset(self) -> QuerySet[Incident]:
        if schema_only(self):
            return Incident.objects.none()
        filters = _ListFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return incident_selectors.incident_list(self.request.user, filters.validated_data)

    def retrieve(self, request, *args, **kwargs):
        incident = access.get_incident_for_user(request.user, kwargs["pk"])
        return Response(IncidentDetailSerializer(_detail(incident), context=self.get_serializer_context()).data)

    @extend_schema(
        summary="First report (首报) of an incident",
        request=IncidentFirstReportSerializer,
        responses={
            201: IncidentDetailSerializer,
            200: OpenApiResponse(
                IncidentDetailSerializer,
                description=gettext_lazy("The same client_key was sent before: the incident already saved."),
            ),
            400: REFUSALS[400],
            403: REFUSALS[403],
        },
    )
    def create(self, request, *args, **kwargs):
        body = IncidentFirstReportSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["reporter_phone"] = data.get("reporter_phone") or request.user.mobile
        incident, created = services.incident_first_report(by=request.user, **data)
        payload = IncidentDetailSerializer(_detail(incident), context=self.get_serializer_context()).data
        return Response(payload, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    # --- tier actions ---------------------------------------------------------------------------
    def _tier(self, request, incident: Incident, unit_pk: int | None) -> IncidentTier:
        if unit_pk is None:
            tiers = list(incident.tiers.select_related("unit"))
            mine = [tier for tier in tiers if access.may_handle_tier(request.user, tier.unit)]
            if len(mine) != 1:
                if not mine:
                    return access.get_tier_for_user(request.user, incident, incident.unit_id)
                raise ValidationError({"unit": [_("Say for which of your units you act.")]})
            unit_pk = mine[0].unit_id
        return access.get_tier_for_user(request.user, incident, unit_pk)

    def _tier_action(self, request, pk, body_class, run) -> Response:
        incident = access.get_incident_for_user(request.user, pk)
        if not access.handled_units(request.user, incident, incident.tiers.select_related("unit")):
            raise PermissionDenied(_("Your roles do not allow this on this incident."))  # before the body
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        tier = self._tier(request, incident, body.validated_data.get("unit"))
        run(incident, tier.unit, body.validated_data)
        return Response(IncidentDetailSerializer(_detail(incident), context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Confirm the incident at one tier (that unit's officers)",
        request=IncidentTierActionSerializer,
        responses={200: IncidentDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._tier_action(
            request,
            pk,
            IncidentTierActionSerializer,
            lambda incident, unit, data: incident_tiers.incident_confirm(incident=incident, unit=unit, by=request.user),
        )

    @extend_schema(
        summary="Forward the incident from one tier to the next tier up (that unit's officers)",
        request=IncidentTierActionSerializer,
        responses={200: IncidentDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        return self._tier_action(
            request,
            pk,
            IncidentTierActionSerializer,
            lambda incident, unit, data: incident_tiers.incident_forward(incident=incident, unit=unit, by=request.user),
        )

    @extend_schema(
        summary="Record when one tier was told by phone (that unit's officers)",
        request=IncidentPhoneSerializer,
        responses={200: IncidentDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def phone(self, request, pk=None):
        return self._tier_action(
            request,
            pk,
            IncidentPhoneSerializer,
            lambda incident, unit, data: incident_tiers.incident_record_phone(
                incident=incident, unit=unit, by=request.user, at=data["at"]
            ),
        )

    # --- reports ---------------------------------------------------------------------------------
    @extend_schema(
        summary="Follow-up report (续报) with changed figures",
        request=IncidentFollowUpSerializer,
        responses={200: IncidentDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        incident = access.get_incident_for_user(request.user, pk, action="follow_up")
        body = IncidentFollowUpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        text = data.pop("text")
        services.incident_follow_up(incident=incident, by=request.user, text=text, figures=data)
        return Response(IncidentDetailSerializer(_detail(incident), context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Final report (终报): closes the chain",
        request=IncidentFinalSerializer,
        responses={200: IncidentDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def final(self, request, pk=None):
        incident = access.get_incident_for_user(request.user, pk, action="final")
        body = IncidentFinalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.incident_final(
            incident=incident,
            by=request.user,
            text=body.validated_data["text"],
            plan_problem=body.validated_data["plan_problem"],
        )
        return Response(IncidentDetailSerializer(_detail(incident), context=self.get_serializer_context()).data)


@extend_schema(tags=["incidents"])
class IncidentTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """Incident types under the four categories (rule table)."""

    serializer_class = IncidentTypeSerializer
    queryset = IncidentType.objects.order_by("category", "order", "code")
    pagination_class = None


class _StatisticsQuery(serializers.Serializer):
    period = serializers.ChoiceField(choices=incident_selectors.PERIODS, required=False, default="month")
    year = serializers.IntegerField(min_value=2000, max_value=limits.MAX_YEAR, required=False)
    category = serializers.ChoiceField(choices=IncidentCategory.choices, required=False)
    level = serializers.ChoiceField(choices=Level.choices, required=False)


class IncidentStatisticsView(ServiceErrorsMixin, APIView):
    @extend_schema(
        tags=["incidents"],
        summary="Incident statistics by month, quarter or year, by category and level (caller's scope)",
        parameters=[
            OpenApiParameter("period", str, enum=list(incident_selectors.PERIODS)),
            OpenApiParameter("year", int),
            OpenApiParameter("category", str, enum=IncidentCategory.values),
            OpenApiParameter("level", int, enum=Level.values),
        ],
        responses={200: IncidentStatisticsSerializer, 400: REFUSALS[400]},
    )
    def get(self, request):
        query = _StatisticsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        stats = incident_selectors.incident_statistics(
            request.user,
            year=data.get("year") or timezone.localdate().year,
            period=data["period"],
            filters={"category": data.get("category"), "level": data.get("level")},
        )
        return Response(stats.as_dict())


extra_urls = [path("incident-statistics/", IncidentStatisticsView.as_view(), name="api-incident-statistics")]


def register(router) -> None:
    """Register this module's viewsets on the shared router."""
    router.register("incidents", IncidentViewSet, basename="incidents")
    router.register("incident-types", IncidentTypeViewSet, basename="incident-types")
