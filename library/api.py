"""The library REST API (/api/v1/): read through ``library.access``, every change a service.

- ``library-cases/``: the cases in scope (``?q=&type=&year=&state=``); ``publish``.
- ``library-regulations/``: the regulations in scope (``?q=&kind=&status=&year=``); ``replace``
  (raises the revision triggers of the plans citing it), ``repeal``.
Refused by role → 403, bad fields → 400, unseen → 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ServiceErrorsMixin, refusals, schema_only
from dispatch.access import get_incident_for_user
from dispatch.models import IncidentType
from grids.scope import get_unit_for_user
from hazards.models import HazardCategory
from library import access, selectors, services
from library.models import Case, Regulation
from library.serializers import (
    CaseBodySerializer,
    CaseSerializer,
    FromIncidentBodySerializer,
    RegulationBodySerializer,
    RegulationSerializer,
    ReplaceBodySerializer,
    TriggeredSerializer,
)
from plans.access import visible_plans

REFUSALS = refusals(codes=(400, 403, 404))


def _year(value):
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1949 <= year <= 2100 else None


@extend_schema(
    tags=["library"],
    parameters=[OpenApiParameter(name, str, required=False) for name in ("q", "type", "year", "state")],
)
class CaseViewSet(ServiceErrorsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CaseSerializer

    def get_queryset(self):
        if schema_only(self):
            return Case.objects.none()
        params = self.request.query_params
        kind = IncidentType.objects.filter(code=params.get("type", "")).first() if params.get("type") else None
        return selectors.search_cases(
            self.request.user, q=params.get("q", "")[:100], type=kind, year=_year(params.get("year")),
            state=params.get("state", "") if params.get("state") in Case.State.values else "",
        ).prefetch_related("hazard_categories")  # fmt: skip

    def get_object(self):
        return access.get_case_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(summary="Write a case by hand (a draft)", request=CaseBodySerializer,
                   responses={201: CaseSerializer, **REFUSALS})  # fmt: skip
    def create(self, request):
        body = CaseBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        unit = get_unit_for_user(request.user, data.pop("unit"))
        kind = data.pop("incident_type", None)
        data["incident_type"] = IncidentType.objects.filter(pk=kind).first() if kind else None
        categories = HazardCategory.objects.filter(pk__in=data.pop("hazard_categories", []), is_active=True)
        case = services.case_create(by=request.user, unit=unit, hazard_categories=list(categories), **data)
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="转为案例: make a closed incident a draft case", request=FromIncidentBodySerializer,
                   responses={201: CaseSerializer, **REFUSALS})  # fmt: skip
    @action(detail=False, methods=["post"], url_path="from-incident")
    def from_incident(self, request):
        body = FromIncidentBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        incident = get_incident_for_user(request.user, body.validated_data["incident"])
        case = services.case_from_incident(incident=incident, by=request.user)
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Publish a draft case", request=None, responses={200: CaseSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        case = services.case_publish(case=self.get_object(), by=request.user)
        return Response(CaseSerializer(case).data)


@extend_schema(
    tags=["library"],
    parameters=[OpenApiParameter(name, str, required=False) for name in ("q", "kind", "status", "year")],
)
class RegulationViewSet(ServiceErrorsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RegulationSerializer

    def get_queryset(self):
        if schema_only(self):
            return Regulation.objects.none()
        params = self.request.query_params
        return selectors.search_regulations(
            self.request.user, q=params.get("q", "")[:100],
            kind=params.get("kind", "") if params.get("kind") in Regulation.Kind.values else "",
            status=params.get("status", "") if params.get("status") in Regulation.Status.values else "",
            year=_year(params.get("year")),
        )  # fmt: skip

    def get_object(self):
        return access.get_regulation_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(summary="Add a regulation (in force) with the plans citing it", request=RegulationBodySerializer,
                   responses={201: RegulationSerializer, **REFUSALS})  # fmt: skip
    def create(self, request):
        body = RegulationBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        unit = get_unit_for_user(request.user, data.pop("unit"))
        wanted = set(data.pop("plans", []))
        plans = list(visible_plans(request.user).filter(pk__in=wanted))
        if len(plans) != len(wanted):  # unseen or unknown: one answer for both
            raise DjangoValidationError({"plans": _("Choose plans you can see.")})
        regulation = services.regulation_create(by=request.user, unit=unit, plans=plans, **data)
        return Response(RegulationSerializer(regulation).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Replace a regulation in force (raises the citing plans' revision triggers)",
                   request=ReplaceBodySerializer, responses={200: TriggeredSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def replace(self, request, pk=None):
        regulation = access.get_regulation_for_user(request.user, pk, edit=True)
        body = ReplaceBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            new = access.get_regulation_for_user(request.user, body.validated_data["replaced_by"])
        except Http404:
            new = None
        n = services.regulation_replace(regulation=regulation, by=request.user, replaced_by=new)
        return Response({"plans_triggered": n})

    @extend_schema(
        summary="Repeal a regulation in force", request=None, responses={200: TriggeredSerializer, **REFUSALS}
    )
    @action(detail=True, methods=["post"])
    def repeal(self, request, pk=None):
        regulation = access.get_regulation_for_user(request.user, pk, edit=True)
        return Response({"plans_triggered": services.regulation_repeal(regulation=regulation, by=request.user)})
