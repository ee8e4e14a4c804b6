"""The inbox API: documents delivered to the caller's units and department, read and 签收."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ServiceErrorsMixin, refusals, schema_only
from delivery import access, selectors
from delivery import services as deliveries
from delivery.models import Delivery
from delivery.permissions import DeliveryAction
from delivery.serializers import DeliverySerializer, InboxQuerySerializer

REFUSALS = refusals(codes=(403, 404))


def _parsed(serializer_class, data) -> dict:
    body = serializer_class(data=data)
    body.is_valid(raise_exception=True)
    return body.validated_data


@extend_schema_view(
    list=extend_schema(
        summary="The caller's inbox: documents delivered to their units and department, newest first",
        parameters=[InboxQuerySerializer],
    ),
    retrieve=extend_schema(summary="One inbox entry (reading it here does not mark it read: POST read)"),
)
@extend_schema(tags=["inbox"])
class InboxViewSet(ServiceErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Deliveries (送达) to the caller's own units and department: read, receipt (签收)."""

    serializer_class = DeliverySerializer
    filter_backends: list = []  # the inbox rule is the filter; ``unread`` is parsed below

    def get_queryset(self):
        if schema_only(self):
            return Delivery.objects.none()
        query = _parsed(InboxQuerySerializer, self.request.query_params) if self.action == "list" else {}
        return selectors.inbox(self.request.user, unread_only=query.get("unread", False))

    def get_object(self, permission: str | None = None) -> Delivery:
        delivery = access.get_delivery_for_user(self.request.user, self.kwargs["pk"], action=permission)
        self.check_object_permissions(self.request, delivery)
        return delivery

    def _done(self, delivery: Delivery) -> Response:
        return Response(DeliverySerializer(access.get_delivery_for_user(self.request.user, delivery.pk)).data)

    @extend_schema(
        summary="Mark the entry read (only for the recipient's own people; others leave it as it was)",
        request=None,
        responses={200: DeliverySerializer, 403: REFUSALS[403], 404: REFUSALS[404]},
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        return self._done(deliveries.delivery_read(delivery=self.get_object(DeliveryAction.RECEIPT), by=request.user))

    @extend_schema(
        summary="Receipt (签收) the entry: once; a second receipt changes nothing",
        request=None,
        responses={200: DeliverySerializer, 403: REFUSALS[403], 404: REFUSALS[404]},
    )
    @action(detail=True, methods=["post"])
    def receipt(self, request, pk=None):
        return self._done(
            deliveries.delivery_receipt(delivery=self.get_object(DeliveryAction.RECEIPT), by=request.user)
        )


def register(router) -> None:
    router.register("inbox", InboxViewSet, basename="inbox")
