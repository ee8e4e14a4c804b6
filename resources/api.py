"""The resources REST API (/api/v1/): read through ``resources.access``, every change a service.

- ``resource-teams/``: the teams in scope (``?kind=&below=1``) with members, equipment and whether
  below strength; ``readiness`` (POST) changes readiness and headcount on duty.
- ``resource-experts/``: the experts in scope (``?category=<hazard category code>&q=``).
- ``roll-calls/``: the roll calls in scope; POST starts one down from a unit; ``acknowledge``
  (POST) answers it for the person calling the endpoint.
Refused by role → 403, bad fields → 400, unseen → 404."""

from __future__ import annotations

from django.db.models import Count, Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ServiceErrorsMixin, refusals, schema_only
from grids.scope import get_unit_for_user
from hazards.models import HazardCategory
from resources import access
from resources.models import Expert, RollCall, Team
from resources.selectors import teams as selectors
from resources.serializers import (
    AnsweredSerializer,
    ExpertSerializer,
    ReadinessBodySerializer,
    RollCallBodySerializer,
    RollCallSerializer,
    TeamSerializer,
)
from resources.services import rollcalls, teams

REFUSALS = refusals(codes=(400, 403, 404))


@extend_schema(tags=["resources"], parameters=[OpenApiParameter("kind", str, required=False),
                                               OpenApiParameter("below", bool, required=False)])  # fmt: skip
class TeamViewSet(ServiceErrorsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TeamSerializer

    def get_queryset(self):
        if schema_only(self):
            return Team.objects.none()
        return access.visible_teams(self.request.user).filter(is_active=True)

    def list(self, request):
        params = request.query_params
        listed = selectors.team_list(
            request.user, kind=params.get("kind", "")[:12], below_only=params.get("below") in ("1", "true")
        )
        from django.db.models import prefetch_related_objects

        prefetch_related_objects(listed, "members", "equipment__item")
        page = self.paginate_queryset(listed)
        if page is not None:
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        return Response(self.get_serializer(listed, many=True).data)

    def get_object(self):
        return selectors.team_detail(access.get_team_for_user(self.request.user, self.kwargs["pk"]))

    @extend_schema(summary="Change a team's readiness and headcount on duty", request=ReadinessBodySerializer,
                   responses={200: TeamSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def readiness(self, request, pk=None):
        team = access.get_team_for_user(request.user, pk, write=True)
        body = ReadinessBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        team = teams.team_set_readiness(team=team, by=request.user, **body.validated_data)
        return Response(TeamSerializer(selectors.team_detail(team)).data)


@extend_schema(tags=["resources"], parameters=[OpenApiParameter("category", str, required=False),
                                               OpenApiParameter("q", str, required=False)])  # fmt: skip
class ExpertViewSet(ServiceErrorsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ExpertSerializer

    def get_queryset(self):
        if schema_only(self):
            return Expert.objects.none()
        params = self.request.query_params
        category = (
            HazardCategory.objects.filter(code=params.get("category", "")[:40]).first()
            if params.get("category")
            else None
        )
        if params.get("category") and category is None:
            return Expert.objects.none()
        return selectors.search_experts(
            self.request.user, category=category, text=params.get("q", "")[:50]
        ).prefetch_related("incident_types")

    def get_object(self):
        return access.get_expert_for_user(self.request.user, self.kwargs["pk"])


@extend_schema(tags=["resources"])
class RollCallViewSet(ServiceErrorsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RollCallSerializer

    def get_queryset(self):
        if schema_only(self):
            return RollCall.objects.none()
        return (
            access.visible_roll_calls(self.request.user)
            .select_related("unit")
            .annotate(
                called=Count("entries"), answered=Count("entries", filter=Q(entries__acknowledged_at__isnull=False))
            )
            .order_by("-started_at", "-pk")
        )

    def get_object(self):
        roll_call = access.get_roll_call_for_user(self.request.user, self.kwargs["pk"])
        return self.get_queryset().filter(pk=roll_call.pk).first() or roll_call

    @extend_schema(summary="Start a roll call down from a unit", request=RollCallBodySerializer,
                   responses={201: RollCallSerializer, **REFUSALS})  # fmt: skip
    def create(self, request):
        body = RollCallBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        unit = get_unit_for_user(request.user, body.validated_data["unit"])
        roll_call = rollcalls.roll_call_start(
            by=request.user, unit=unit, message=body.validated_data.get("message", "")
        )
        return Response(
            RollCallSerializer(self.get_queryset().get(pk=roll_call.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(summary="Answer a roll call (I am reachable)", request=None,
                   responses={200: AnsweredSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        roll_call = access.get_roll_call_for_user(request.user, pk)
        return Response({"answered": rollcalls.roll_call_acknowledge(roll_call=roll_call, by=request.user)})
