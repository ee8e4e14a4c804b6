"""The drill REST API (/api/v1/): read through ``drills.access`` (double-blind drills hidden as
everywhere), every change a service.

- ``drills/``: list, retrieve, create; POST ``start``, ``acknowledge``, ``record-time``, ``held``,
  ``evaluate``, ``findings`` (add one), ``sign-in``.
- ``drill-findings/``: the findings the caller sees; POST ``close``.
- ``drill-trainings/``: the training sessions the caller sees.
Refused by state → 409, by role → 403, bad fields → 400, unseen → 404."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import RefusalsMixin, refusals, schema_only
from drills import access, selectors, services
from drills.models import Drill, Finding, Training
from drills.serializers import (
    CloseBodySerializer,
    DrillCreateSerializer,
    DrillSerializer,
    EmptySerializer,
    EvaluateBodySerializer,
    FindingBodySerializer,
    FindingSerializer,
    HeldBodySerializer,
    TimeBodySerializer,
    TrainingSerializer,
)


class DrillErrorsMixin(RefusalsMixin):
    conflicts = (services.TransitionRefused,)


REFUSALS = refusals(conflict=_("The drill's state does not allow this."))


@extend_schema_view(
    list=extend_schema(summary="The drills the caller sees (double-blind ones hidden until started)"),
    retrieve=extend_schema(summary="One drill"),
)
@extend_schema(tags=["drills"])
class DrillViewSet(
    DrillErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = DrillSerializer

    def get_queryset(self):
        if schema_only(self):
            return Drill.objects.none()
        return selectors.drill_list(self.request.user)

    def get_object(self, action_name: str | None = None):
        return access.get_drill_for_user(self.request.user, self.kwargs["pk"], action=action_name)

    def _answer(self, drill):
        return Response(DrillSerializer(Drill.objects.select_related("unit", "organiser").get(pk=drill.pk)).data)

    @extend_schema(summary="Plan a drill", request=DrillCreateSerializer, responses={201: DrillSerializer, **REFUSALS})
    def create(self, request, *args, **kwargs):
        body = DrillCreateSerializer(data=request.data, user=request.user)
        body.is_valid(raise_exception=True)
        drill = services.drill_plan(by=request.user, **body.validated_data)
        return Response(DrillSerializer(drill).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Start the drill: the alarm goes to the drilled unit", request=EmptySerializer,
                   responses={200: DrillSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        drill = self.get_object(access.ORGANISE)
        return self._answer(services.drill_start(drill=drill, by=request.user))

    @extend_schema(summary="Acknowledge the alarm (the first acknowledgement wins)", request=EmptySerializer,
                   responses={200: DrillSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        drill = self.get_object()
        return self._answer(services.drill_acknowledge(drill=drill, by=request.user))

    @extend_schema(summary="Record a mobilisation time", request=TimeBodySerializer,
                   responses={200: DrillSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="record-time")
    def record_time(self, request, pk=None):
        drill = self.get_object(access.RESPOND)
        body = TimeBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.drill_record_time(drill=drill, by=request.user, **body.validated_data))

    @extend_schema(summary="Record the drill held", request=HeldBodySerializer,
                   responses={200: DrillSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def held(self, request, pk=None):
        drill = self.get_object(access.ORGANISE)
        body = HeldBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.drill_record_held(drill=drill, by=request.user, **body.validated_data))

    @extend_schema(summary="Score the evaluation", request=EvaluateBodySerializer,
                   responses={200: DrillSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        drill = self.get_object(access.ORGANISE)
        body = EvaluateBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.drill_evaluate(drill=drill, by=request.user, **body.validated_data)
        return self._answer(drill)

    @extend_schema(
        summary="Add a finding", request=FindingBodySerializer, responses={201: FindingSerializer, **REFUSALS}
    )
    @action(detail=True, methods=["post"])
    def findings(self, request, pk=None):
        drill = self.get_object(access.ORGANISE)
        body = FindingBodySerializer(data=request.data, user=request.user)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        plan_id = data.pop("plan")
        plan = drill.linked_plans.filter(pk=plan_id).first() if plan_id else None
        finding = services.finding_add(drill=drill, by=request.user, plan=plan, **data)
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Sign in to the drill", request=EmptySerializer, responses={200: DrillSerializer, **REFUSALS}
    )
    @action(detail=True, methods=["post"], url_path="sign-in")
    def sign_in(self, request, pk=None):
        drill = self.get_object()
        services.drill_sign_in(drill=drill, by=request.user)
        return self._answer(drill)


@extend_schema(tags=["drills"])
@extend_schema_view(list=extend_schema(summary="Drill findings in the caller's scope"),
                    retrieve=extend_schema(summary="One finding"))  # fmt: skip
class FindingViewSet(DrillErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = FindingSerializer

    def get_queryset(self):
        if schema_only(self):
            return Finding.objects.none()
        return access.visible_findings(self.request.user).select_related("owner_unit").order_by("deadline", "pk")

    def get_object(self):
        return access.get_finding_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        summary="Close a finding", request=CloseBodySerializer, responses={200: FindingSerializer, **REFUSALS}
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        finding = access.get_finding_for_user(request.user, pk, close=True)
        body = CloseBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        finding = services.finding_close(finding=finding, by=request.user, **body.validated_data)
        return Response(FindingSerializer(finding).data)


@extend_schema(tags=["drills"])
@extend_schema_view(list=extend_schema(summary="Training sessions in the caller's scope"),
                    retrieve=extend_schema(summary="One training session"))  # fmt: skip
class TrainingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TrainingSerializer

    def get_queryset(self):
        if schema_only(self):
            return Training.objects.none()
        return access.visible_trainings(self.request.user).select_related("unit").prefetch_related("attendees")

    def get_object(self):
        return access.get_training_for_user(self.request.user, self.kwargs["pk"])
