"""The duty desk's REST API (/api/v1/): thin over ``dispatch.selectors.duty`` and ``dispatch.services.duty`` (selectors and services).

- ``duty-shifts/``: the roster of the centres in the caller's scope (filters ``unit``, ``after``,
  ``before``); POST adds a shift through ``duty_shift_add`` (403 without ``DUTY`` at the centre,
  404 for a centre outside the scope, 400 for a broken rule: overlap, missing A/B post, a person
  who may not stand duty there).
- ``duty/on-duty-now/``: who is on duty now at the caller's centres (their own and those above),
  or at the centres given as ``?unit=``.
- ``duty-log/``: the duty log archive (``q``, ``unit``, ``kind``, ``date_from``, ``date_to``);
  POST writes an entry through ``duty_log_add``.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ServiceErrorsMixin, refusals, schema_only
from dispatch import access
from dispatch.forms.duty import DATE_INPUT_FORMATS
from dispatch.models import DutyLogEntry, DutyShift, Incident, Warning
from dispatch.selectors import duty as duty_selectors
from dispatch.serializers.duty import (
    DutyLogEntryCreateSerializer,
    DutyLogEntrySerializer,
    DutyShiftCreateSerializer,
    DutyShiftSerializer,
    OnDutySerializer,
)
from dispatch.services import duty
from grids import limits
from grids.api import ScopedFilterBackend
from grids.scope import scope_for

# --- serializers --------------------------------------------------------------------------------


REFUSALS = refusals(
    invalid=gettext_lazy("Bad or missing fields, or a rule of the roster broken; messages per field."),
    forbidden=gettext_lazy("The caller may not do this at this centre."),
    not_found=gettext_lazy("No such dispatch centre in the caller's scope."),
    codes=(400, 403, 404),
)


# --- filters ------------------------------------------------------------------------------------


class DutyShiftFilter(filters.FilterSet):
    unit = django_filters.NumberFilter(field_name="unit_id", help_text="Only this centre's shifts.")
    after = limits.BoundedIsoDateTimeFilter(
        field_name="ends_at", lookup_expr="gt", help_text="Shifts that end after this moment."
    )
    before = limits.BoundedIsoDateTimeFilter(
        field_name="starts_at", lookup_expr="lt", help_text="Shifts that start before this moment."
    )

    class Meta:
        model = DutyShift
        fields = ["unit", "after", "before"]


class DutyLogFilter(filters.FilterSet):
    q = django_filters.CharFilter(method="filter_noop", help_text="Words searched in summary, details and caller.")
    unit = django_filters.NumberFilter(method="filter_noop", help_text="A centre (with the units below it).")
    kind = django_filters.ChoiceFilter(choices=DutyLogEntry.Kind.choices, method="filter_noop")
    date_from = limits.BoundedDateFilter(
        method="filter_noop",
        input_formats=DATE_INPUT_FORMATS,
        help_text="First local date, e.g. 2026-01-05 or 2026年1月5日.",
    )
    date_to = limits.BoundedDateFilter(
        method="filter_noop", input_formats=DATE_INPUT_FORMATS, help_text="Last local date (inclusive)."
    )

    class Meta:
        model = DutyLogEntry
        fields = ["q", "unit", "kind", "date_from", "date_to"]

    def filter_noop(self, queryset, name, value):
        return queryset  # the whole search is dispatch.selectors.duty.search_log (filter_queryset below)

    def filter_queryset(self, queryset):
        values = {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "")}
        if "unit" in values:
            values["unit"] = access.get_centre_for_user(self.request.user, values["unit"])
        return duty_selectors.search_log(self.request.user, **values)


# --- views --------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="The duty roster of the centres in the caller's scope"),
    retrieve=extend_schema(summary="One shift", responses={200: DutyShiftSerializer, 404: REFUSALS[404]}),
)
@extend_schema(tags=["duty"])
class DutyShiftViewSet(
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Shifts: the leader on duty and the A and B posts of a dispatch centre."""

    serializer_class = DutyShiftSerializer
    filter_backends = [ScopedFilterBackend]
    filterset_class = DutyShiftFilter

    def get_queryset(self) -> QuerySet[DutyShift]:
        if schema_only(self):
            return DutyShift.objects.none()
        return duty_selectors.with_roll(
            scope_for(self.request.user)
            .filter(DutyShift.objects.all(), "unit")
            .select_related("unit", "leader", "post_a", "post_b")
            .order_by("starts_at", "unit_id")
        )

    def get_object(self) -> DutyShift:
        return access.get_shift_for_user(self.request.user, self.kwargs["pk"])

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    @extend_schema(
        summary="Add a shift (leaders and dispatchers of the centre)",
        request=DutyShiftCreateSerializer,
        responses={201: DutyShiftSerializer, **REFUSALS},
    )
    def create(self, request, *args, **kwargs):
        body = DutyShiftCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        centre = access.get_centre_for_user(request.user, data.pop("unit"), write=True)
        shift = duty.duty_shift_add(by=request.user, unit=centre, **data)
        shift = access.get_shift_for_user(request.user, shift.pk)
        return Response(
            DutyShiftSerializer(shift, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )


@extend_schema(
    tags=["duty"],
    summary="Who is on duty now",
    parameters=[
        OpenApiParameter(
            "unit",
            OpenApiTypes.INT,
            many=True,
            description="Centres to ask about; by default the caller's own centre and the centres above it.",
        )
    ],
    responses={200: OnDutySerializer(many=True), 404: REFUSALS[404]},
)
class OnDutyNowView(APIView):
    """The shift on duty now at each centre (null where the roster is empty), with tap-to-call numbers."""

    def get(self, request):
        relevant = duty_selectors.relevant_centres(request.user)
        wanted = request.query_params.getlist("unit")
        if wanted:
            by_id = {centre.pk: centre for centre in relevant}
            centres = []
            for value in wanted:
                try:
                    pk = int(value)
                except ValueError:
                    raise Http404(_("No such dispatch centre.")) from None
                centres.append(by_id.get(pk) or access.get_centre_for_user(request.user, pk))
        else:
            centres = relevant
        now = timezone.now()
        shifts = duty_selectors.on_duty_now(centres, at=now)
        context = {"request": request, "now": now}
        data = [
            {
                "unit": c.pk,
                "unit_name": c.name,
                "tier": c.tier,
                "shift": DutyShiftSerializer(shifts[c.pk], context=context).data if c.pk in shifts else None,
            }
            for c in centres
        ]
        return Response(data)


@extend_schema_view(
    list=extend_schema(summary="The duty log archive of the centres in the caller's scope"),
    retrieve=extend_schema(summary="One log entry", responses={200: DutyLogEntrySerializer, 404: REFUSALS[404]}),
)
@extend_schema(tags=["duty"])
class DutyLogViewSet(
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The written duty log (值班记录): calls, warnings passed on, incidents, handovers."""

    serializer_class = DutyLogEntrySerializer
    filter_backends = [ScopedFilterBackend]
    filterset_class = DutyLogFilter

    def get_queryset(self) -> QuerySet[DutyLogEntry]:
        if schema_only(self):
            return DutyLogEntry.objects.none()
        return access.visible_log(self.request.user).select_related("unit", "by").order_by("-at", "-id")

    def get_object(self) -> DutyLogEntry:
        return access.get_entry_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        summary="Write an entry (the centre's people and those on duty there)",
        request=DutyLogEntryCreateSerializer,
        responses={201: DutyLogEntrySerializer, **REFUSALS},
    )
    def create(self, request, *args, **kwargs):
        body = DutyLogEntryCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        centre = access.get_centre_for_user(request.user, data.pop("unit"))
        errors = {}
        for name, model in (("warning", Warning), ("incident", Incident)):
            pk = data.pop(name, None)
            data[name] = model.objects.filter(pk=pk).first() if pk else None
            if pk and data[name] is None:
                errors[name] = [_("No such record.")]
        if errors:
            raise serializers.ValidationError(errors)
        entry = duty.duty_log_add(by=request.user, unit=centre, **data)
        entry = DutyLogEntry.objects.select_related("unit", "by").get(pk=entry.pk)
        return Response(DutyLogEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


extra_urls = [path("duty/on-duty-now/", OnDutyNowView.as_view(), name="api-duty-on-duty-now")]


def register(router) -> None:
    """Register this module's viewsets on the shared router."""
    router.register("duty-shifts", DutyShiftViewSet, basename="duty-shifts")
    router.register("duty-log", DutyLogViewSet, basename="duty-log")
