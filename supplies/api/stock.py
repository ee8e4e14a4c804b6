"""The supplies REST API (/api/v1/): read through ``supplies.access``, every change a service.

- ``supply-items/``: the catalogue (a rule table everyone reads).
- ``supply-depots/``: the depots in scope; ``receive`` (a new lot).
- ``supply-lots/``: the lots in stock in scope; ``issue``, ``dispose``, ``adjust``.
- ``supply-ledger/``: the ledger rows in scope, newest first.
- ``supply-transfers/``: the transfers either side of which the caller sees.
Refused by role → 403, bad fields or stock → 400, unseen → 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ServiceErrorsMixin, refusals, schema_only
from supplies import access, selectors, services
from supplies.models import Depot, Lot, Movement, SupplyItem, Transfer
from supplies.serializers import (
    DepotSerializer,
    LotSerializer,
    MovementSerializer,
    SupplyAdjustBodySerializer,
    SupplyDisposeBodySerializer,
    SupplyIssueBodySerializer,
    SupplyItemSerializer,
    SupplyReceiveBodySerializer,
    TransferSerializer,
)

REFUSALS = refusals(codes=(400, 403, 404))


@extend_schema(tags=["supplies"])
class SupplyItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SupplyItemSerializer
    queryset = SupplyItem.objects.select_related("category").order_by("code")


@extend_schema(tags=["supplies"])
class DepotViewSet(ServiceErrorsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = DepotSerializer

    def get_queryset(self):
        if schema_only(self):
            return Depot.objects.none()
        return access.visible_depots(self.request.user).select_related("unit").order_by("pk")

    def get_object(self):
        return access.get_depot_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(summary="Receive stock into the depot (a new lot)", request=SupplyReceiveBodySerializer,
                   responses={201: LotSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        depot = access.get_depot_for_user(request.user, pk, move=True)
        body = SupplyReceiveBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        lot = services.stock_receive(depot=depot, by=request.user, **body.validated_data)
        return Response(LotSerializer(lot).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["supplies"])
class LotViewSet(ServiceErrorsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = LotSerializer

    def get_queryset(self):
        if schema_only(self):
            return Lot.objects.none()
        return selectors.stock_for(self.request.user).order_by("pk")

    def get_object(self):
        return access.get_lot_for_user(self.request.user, self.kwargs["pk"])

    def _step(self, request, pk, body_class, call, **body_kwargs):
        lot = access.get_lot_for_user(request.user, pk, move=True)
        body = body_class(data=request.data, **body_kwargs)
        body.is_valid(raise_exception=True)
        movement = call(lot=lot, by=request.user, **body.validated_data)
        return Response(MovementSerializer(movement).data if movement else None, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Issue from the lot (to an incident, a unit or a recipient)", request=SupplyIssueBodySerializer,
                   responses={201: MovementSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        return self._step(request, pk, SupplyIssueBodySerializer, services.stock_issue, user=request.user)

    @extend_schema(summary="Dispose of goods of the lot", request=SupplyDisposeBodySerializer,
                   responses={201: MovementSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def dispose(self, request, pk=None):
        return self._step(request, pk, SupplyDisposeBodySerializer, services.stock_dispose)

    @extend_schema(summary="Record a stock-take count of the lot", request=SupplyAdjustBodySerializer,
                   responses={201: MovementSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        return self._step(request, pk, SupplyAdjustBodySerializer, services.stock_adjust)


@extend_schema(tags=["supplies"])
class LedgerViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = MovementSerializer

    def get_queryset(self):
        if schema_only(self):
            return Movement.objects.none()
        return access.visible_movements(self.request.user).order_by("-at", "-id")


@extend_schema(tags=["supplies"])
class TransferViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TransferSerializer

    def get_queryset(self):
        if schema_only(self):
            return Transfer.objects.none()
        return access.visible_transfers(self.request.user).prefetch_related("lines").order_by("-id")

    def get_object(self):
        return access.get_transfer_for_user(self.request.user, self.kwargs["pk"])
