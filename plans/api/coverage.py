"""The coverage API (read-only, /api/v1/): ``plan-coverage/`` (units × required plan kinds) and
``plan-coverage-gaps/`` (open hazards and recent incidents no plan in force covers), both for
the caller's scope, filtered by ``?township=`` and (rows) ``?kind=``."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from plans.selectors import coverage as selectors
from plans.serializers.coverage import CoverageRowSerializer, HazardGapSerializer

TOWNSHIP = OpenApiParameter("township", OpenApiTypes.INT, description="Only this township's (or park's) units.")
KIND = OpenApiParameter("kind", OpenApiTypes.INT, description="Only this plan kind (id).")


def _number(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() and len(value) < 12 else None


def _filters(request) -> selectors.CoverageFilters:
    params = request.query_params
    return selectors.CoverageFilters(township=_number(params.get("township")), kind=_number(params.get("kind")))


@extend_schema(tags=["plans"])
class CoverageViewSet(viewsets.ViewSet):
    @extend_schema(
        summary="Plan coverage: each unit in the caller's scope and its required plan kinds",
        parameters=[TOWNSHIP, KIND],
        responses=CoverageRowSerializer(many=True),
    )
    def list(self, request):
        table = selectors.coverage_table(request.user, _filters(request))
        rows = [
            {"unit": row.unit, "head": group.head, "cells": row.cells} for group in table.groups for row in group.rows
        ]
        return Response(CoverageRowSerializer(rows, many=True).data)


@extend_schema(tags=["plans"])
class CoverageGapViewSet(viewsets.ViewSet):
    @extend_schema(
        summary="Hazard categories and incident types in the caller's scope that no plan in force covers",
        parameters=[TOWNSHIP],
        responses=HazardGapSerializer(many=True),
    )
    def list(self, request):
        groups = selectors.hazard_gaps(request.user, _filters(request))
        gaps = [
            {**vars(gap), "head": group.head, "url": request.build_absolute_uri(gap.url)}
            for group in groups
            for gap in group.gaps
        ]
        return Response(HazardGapSerializer(gaps, many=True).data)
