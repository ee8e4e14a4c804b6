"""The evacuation API (/api/v1/): read through ``plans.access``, every change a service.

- ``danger-zones/``, ``evacuation-households/``, ``shelters/``: lists and objects in the caller's
  scope (``?unit=<village id>``); households' ``phone`` and ``vulnerable_notes`` are null outside
  the village and its township. ``shelters/{id}/state/``: open or close (POST ``is_open``).
- ``evacuation-lists/{village id}/import/``: the village's workbook (multipart ``file``), which
  replaces its list or saves nothing (400 with the row errors).
- ``evacuation-capacity/``: persons to move against shelter capacity per township."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.api import ServiceErrorsMixin, refusals, schema_only
from plans import access, services
from plans.models import DangerZone, Household, Shelter
from plans.selectors import evacuation as selectors
from plans.serializers import (
    DangerZoneSerializer,
    EvacuationImportBodySerializer,
    EvacuationImportResultSerializer,
    HouseholdSerializer,
    ShelterSerializer,
    ShelterStateBodySerializer,
    TownshipCapacitySerializer,
)

UNIT = OpenApiParameter("unit", int, description="Only this village's (or, for shelters, unit's) rows.")


def _by_unit(request, queryset, field: str):
    unit = request.query_params.get("unit", "")
    return queryset.filter(**{field: int(unit)}) if unit.isdigit() and len(unit) < 12 else queryset


@extend_schema_view(list=extend_schema(summary="Danger zones in the caller's scope", parameters=[UNIT]),
                    retrieve=extend_schema(summary="One danger zone"))  # fmt: skip
@extend_schema(tags=["evacuation"])
class DangerZoneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DangerZoneSerializer
    filter_backends = []

    def get_queryset(self):
        if schema_only(self):
            return DangerZone.objects.none()
        zones = access.visible_zones(self.request.user).select_related("category").order_by("unit_id", "name", "pk")
        return _by_unit(self.request, zones, "unit_id")

    def get_object(self):
        return access.get_zone_for_user(self.request.user, self.kwargs["pk"])


@extend_schema_view(list=extend_schema(summary="Households on the evacuation lists in the caller's scope",
                                       parameters=[UNIT]),
                    retrieve=extend_schema(summary="One household"))  # fmt: skip
@extend_schema(tags=["evacuation"])
class HouseholdViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = HouseholdSerializer
    filter_backends = []

    def get_queryset(self):
        if schema_only(self):
            return Household.objects.none()
        households = access.visible_households(self.request.user).select_related("zone__unit").order_by("zone_id", "pk")
        return _by_unit(self.request, households, "zone__unit_id")

    def get_object(self):
        return access.get_household_for_user(self.request.user, self.kwargs["pk"])


@extend_schema_view(list=extend_schema(summary="Shelters in the caller's scope", parameters=[UNIT]),
                    retrieve=extend_schema(summary="One shelter"))  # fmt: skip
@extend_schema(tags=["evacuation"])
class ShelterViewSet(ServiceErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ShelterSerializer
    filter_backends = []

    def get_queryset(self):
        if schema_only(self):
            return Shelter.objects.none()
        return _by_unit(self.request, access.visible_shelters(self.request.user).order_by("unit_id", "name"), "unit_id")

    def get_object(self):
        return access.get_shelter_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(summary="Open or close a shelter", request=ShelterStateBodySerializer,
                   responses={200: ShelterSerializer, **refusals(codes=(400, 403, 404))})  # fmt: skip
    @action(detail=True, methods=["post"])
    def state(self, request, pk=None):
        shelter = access.get_shelter_for_user(request.user, pk, edit=True)
        body = ShelterStateBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        shelter = services.shelter_set_open(shelter=shelter, by=request.user, is_open=body.validated_data["is_open"])
        return Response(ShelterSerializer(shelter).data)


@extend_schema(tags=["evacuation"])
class EvacuationListViewSet(ServiceErrorsMixin, viewsets.GenericViewSet):
    """A village's list as a whole: its import."""

    serializer_class = EvacuationImportBodySerializer
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return Shelter.objects.none()  # the lookup is a village: see ``plans.access.get_evacuation_unit_for_user``

    @extend_schema(summary="Import a village's evacuation workbook (replaces its list, or saves nothing)",
                   request={"multipart/form-data": EvacuationImportBodySerializer},
                   responses={200: EvacuationImportResultSerializer, 400: EvacuationImportResultSerializer,
                              **refusals(codes=(403, 404))})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="import", url_name="import")
    def import_list(self, request, pk=None):
        unit = access.get_evacuation_unit_for_user(request.user, pk, edit=True)
        body = EvacuationImportBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        result = services.evacuation_import(by=request.user, unit=unit, data=upload.read(), filename=upload.name)
        answer = {"ok": result.ok, **result.summary(), "errors": [e.as_dict() for e in result.errors]}
        return Response(answer, status=status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST)


@extend_schema_view(list=extend_schema(summary="Persons to move against shelter capacity, per township"))
@extend_schema(tags=["evacuation"])
class CapacityViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = TownshipCapacitySerializer
    pagination_class = None
    filter_backends = []

    def list(self, request, *args, **kwargs):
        rows, _categories = selectors.township_capacity(request.user)
        return Response(TownshipCapacitySerializer(rows, many=True).data)
