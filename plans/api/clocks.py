"""The clocks' REST API (/api/v1/): read through ``plans.access`` and ``plans.selectors``, every change a service.

- ``plan-calendar/``: the compliance calendar rows of the caller's scope (``?unit=<id>``: one unit's subtree).
- ``revision-triggers/``: the triggers of the plans the caller sees (``?open=1``: open ones);
  POST raises one by hand (the owner's own people).
- ``plan-evaluations/``, ``plan-drills/``: list, and POST to record one (the owner's own people).
Refused by state → 409, by role → 403, bad fields → 400, unseen → 404."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from core.api import schema_only
from grids.scope import get_unit_for_user
from plans import access, selectors, services
from plans.api.ledger import REFUSALS, PlanErrorsMixin
from plans.models import PlanDrill, PlanEvaluation, RevisionTrigger
from plans.serializers import (
    CalendarRowSerializer,
    EvaluationSerializer,
    PlanDrillSerializer,
    RevisionTriggerSerializer,
    TriggerBodySerializer,
)


@extend_schema(tags=["plans"])
class PlanCalendarViewSet(PlanErrorsMixin, viewsets.GenericViewSet):
    serializer_class = CalendarRowSerializer
    pagination_class = None

    def get_queryset(self):  # the rows are built by the selector, not a queryset
        return RevisionTrigger.objects.none()

    @extend_schema(
        summary="The compliance calendar: next evaluation, next drill, filing due and open triggers per plan",
        parameters=[OpenApiParameter("unit", OpenApiTypes.INT, description="Only this unit and the units below it")],
        responses={200: CalendarRowSerializer(many=True), **REFUSALS},
    )
    def list(self, request):
        unit = None
        raw = request.query_params.get("unit", "")
        if raw:
            unit = get_unit_for_user(request.user, raw if raw.isdigit() else -1)
        rows = selectors.calendar_rows(request.user, unit)
        return Response(CalendarRowSerializer(rows, many=True).data)


@extend_schema(tags=["plans"])
@extend_schema_view(
    list=extend_schema(summary="Revision triggers of the plans the caller sees (open=1: open ones)"),
    retrieve=extend_schema(summary="One revision trigger"),
)
class RevisionTriggerViewSet(
    PlanErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = RevisionTriggerSerializer

    def get_queryset(self):
        if schema_only(self):
            return RevisionTrigger.objects.none()
        triggers = RevisionTrigger.objects.filter(plan__in=access.visible_plans(self.request.user)).order_by(
            "-raised_at", "-pk"
        )
        if self.request.query_params.get("open") == "1":
            triggers = triggers.filter(closed_at__isnull=True)
        return triggers

    @extend_schema(summary="Raise a revision trigger by hand", request=TriggerBodySerializer,
                   responses={201: RevisionTriggerSerializer, **REFUSALS})  # fmt: skip
    def create(self, request, *args, **kwargs):
        body = TriggerBodySerializer(data=request.data, plans=access.visible_plans(request.user))
        body.is_valid(raise_exception=True)
        trigger = services.trigger_raise_by_hand(by=request.user, **body.validated_data)
        return Response(RevisionTriggerSerializer(trigger).data, status=status.HTTP_201_CREATED)


class _RecordViewSet(PlanErrorsMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    model = None

    def get_queryset(self):
        if schema_only(self):
            return self.model.objects.none()
        return self.model.objects.filter(plan__in=access.visible_plans(self.request.user)).order_by("-held_on", "-pk")

    def create(self, request, *args, **kwargs):
        body = self.serializer_class(data=request.data, plans=access.visible_plans(request.user))
        body.is_valid(raise_exception=True)
        record = self.record(request.user, dict(body.validated_data))
        return Response(self.serializer_class(record).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["plans"])
@extend_schema_view(
    list=extend_schema(summary="Evaluations of the plans the caller sees"),
    create=extend_schema(summary="Record an evaluation of a plan in force", responses={201: EvaluationSerializer, **REFUSALS}),
)  # fmt: skip
class PlanEvaluationViewSet(_RecordViewSet):
    serializer_class = EvaluationSerializer
    model = PlanEvaluation

    def record(self, by, data):
        return services.evaluation_record(by=by, **data)


@extend_schema(tags=["plans"])
@extend_schema_view(
    list=extend_schema(summary="Drills of the plans the caller sees"),
    create=extend_schema(summary="Record a drill of a plan in force", responses={201: PlanDrillSerializer, **REFUSALS}),
)  # fmt: skip
class PlanDrillViewSet(_RecordViewSet):
    serializer_class = PlanDrillSerializer
    model = PlanDrill

    def record(self, by, data):
        return services.drill_record(by=by, **data)
