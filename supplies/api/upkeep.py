"""The supplies API of agreement reserves and of the nearest usable stock (/api/v1/), read through
``supplies.access`` and ``supplies.selectors``.

- ``supply-agreements/``: the agreement reserves in scope, with their lines and state.
- ``supply-nearest/?item=&lat=&lng=&limit=``: the usable stock nearest a point (the map's centre
  when none is given), by depot and item."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from core.api import ServiceErrorsMixin, schema_only
from grids.limits import lat_field, lng_field
from supplies import access, selectors
from supplies.models import AgreementLine, AgreementReserve


class AgreementLineSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)

    class Meta:
        model = AgreementLine
        fields = ["item", "item_name", "quantity"]


class AgreementSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    lines = AgreementLineSerializer(many=True, read_only=True)
    state = serializers.SerializerMethodField()
    reserve_method = serializers.ChoiceField(source="method", choices=AgreementReserve.Method.choices, read_only=True)

    class Meta:
        model = AgreementReserve
        fields = ["id", "unit", "unit_name", "supplier", "contact_name", "phone", "reserve_method", "reserve_mode",
                  "contract_no", "valid_from", "valid_until", "response_hours", "is_active", "state", "lines"]  # fmt: skip

    def get_state(self, obj) -> str:
        return obj.state(timezone.localdate(), settings.SUPPLIES_EXPIRY_WARN_DAYS) if obj.is_active else "ended"


class NearestQuerySerializer(serializers.Serializer):
    item = serializers.IntegerField(required=False, min_value=1, max_value=2_147_483_647)
    lat = lat_field(required=False)
    lng = lng_field(required=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=10)


class NearestRowSerializer(serializers.Serializer):
    depot = serializers.IntegerField(source="depot.pk")
    depot_name = serializers.CharField(source="depot.name")
    unit_name = serializers.CharField(source="depot.unit.name")
    phone = serializers.CharField(source="depot.phone")
    item = serializers.IntegerField(source="item.pk")
    item_name = serializers.CharField(source="item.name")
    quantity = serializers.IntegerField()
    distance_km = serializers.FloatField()


@extend_schema(tags=["supplies"])
class AgreementViewSet(ServiceErrorsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AgreementSerializer

    def get_queryset(self):
        if schema_only(self):
            return AgreementReserve.objects.none()
        return selectors.agreement_list(self.request.user).order_by("pk")

    def get_object(self):
        access.get_agreement_for_user(self.request.user, self.kwargs["pk"])
        return selectors.agreement_list(self.request.user).get(pk=self.kwargs["pk"])


@extend_schema(tags=["supplies"])
class NearestViewSet(viewsets.ViewSet):
    @extend_schema(
        summary="The nearest usable stock, by depot and item",
        parameters=[
            OpenApiParameter("item", OpenApiTypes.INT),
            OpenApiParameter("lat", OpenApiTypes.DOUBLE),
            OpenApiParameter("lng", OpenApiTypes.DOUBLE),
            OpenApiParameter("limit", OpenApiTypes.INT),
        ],
        responses={200: NearestRowSerializer(many=True)},
    )
    def list(self, request):
        query = NearestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        centre_lat, centre_lng = settings.LEAFLET_CONFIG["DEFAULT_CENTER"]
        lat, lng = data.get("lat", centre_lat), data.get("lng", centre_lng)
        item_ids = [data["item"]] if data.get("item") else None
        rows = selectors.nearest_usable(request.user, item_ids=item_ids, lat=lat, lng=lng, limit=data["limit"])
        return Response(NearestRowSerializer(rows, many=True).data)
