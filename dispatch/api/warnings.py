"""The warnings API (/api/v1/warnings/): read through ``dispatch.selectors.warnings`` (scope), every change a service.

- list (visible warnings, in force first; ``?state=`` ``?level=``), detail (404 unseen), with the
  caller's own deliveries and the local instructions they see;
- POST actions ``issue``, ``update``, ``lift`` (issuing unit's command), ``acknowledge`` (the unit's
  own people; ``{"unit": id}``); refused by state → 409, by role → 403, bad fields → 400;
- GET ``board`` (per tier counts and speed; units not yet acknowledged with their people's mobiles,
  paginated with ``?page=``), GET ``cap`` (the latest CAP 1.2 message, application/xml);
- POST ``import`` with a CAP 1.2 XML body (application/xml or text/xml): a draft warning.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ParseError, PermissionDenied
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from core.api import Conflict, ServiceErrorsMixin, refusals, schema_only
from dispatch import access, cap
from dispatch.models import Level, Warning
from dispatch.permissions import DispatchAction
from dispatch.selectors import warnings as warning_selectors
from dispatch.serializers.warnings import (
    AcknowledgeSerializer,
    BoardSerializer,
    ReceiptSerializer,
    WarningChangeSerializer,
    WarningDetailSerializer,
    WarningListSerializer,
)
from dispatch.services import warning_receipts
from dispatch.services import warnings as services
from grids.models import GridUnit
from grids.scope import scope_for

# --- serializers ----------------------------------------------------------------------------------


# --- XML in and out -------------------------------------------------------------------------------


class CapXMLParser(BaseParser):
    """The raw bytes of a CAP message (read up to one byte past the size limit; the service refuses)."""

    media_type = "application/xml"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        if stream is None:
            raise ParseError(_("Send the CAP message as the request body."))
        return stream.read(cap.max_bytes() + 1)


class CapTextXMLParser(CapXMLParser):
    media_type = "text/xml"


class CapXMLRenderer(BaseRenderer):
    media_type = "application/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, bytes):
            return data
        from xml.sax.saxutils import escape

        detail = data.get("detail", data) if isinstance(data, dict) else data
        return f'<?xml version="1.0" encoding="UTF-8"?><error>{escape(str(detail))}</error>'.encode()


class CapTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The upload is too large: make the file smaller or send it in parts.")
    default_code = "payload_too_large"


REFUSALS = refusals(
    not_found=_("No such warning in the caller's scope."),
    conflict=_("The warning's present state does not allow this."),
)


# --- the viewset ----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Warnings in the caller's scope, those in force first",
        parameters=[
            OpenApiParameter("state", str, enum=Warning.State.values),
            OpenApiParameter("level", int, enum=Level.values),
        ],
    ),
    retrieve=extend_schema(summary="One warning, with the caller's own deliveries and local instructions"),
)
@extend_schema(tags=["warnings"])
class WarningViewSet(ServiceErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Warnings (预警). A warning changes only through its actions."""

    filter_backends: list = []

    def get_serializer_class(self):
        return WarningListSerializer if self.action == "list" else WarningDetailSerializer

    def get_queryset(self):
        if schema_only(self):
            return Warning.objects.none()
        queryset = warning_selectors.warning_list(self.request.user)
        state = self.request.query_params.get("state")
        if state in Warning.State.values:
            queryset = queryset.filter(state=state)
        level = self.request.query_params.get("level")
        if level and level.isdigit():
            queryset = queryset.filter(level=int(level))
        return queryset

    def handle_exception(self, exc):
        if isinstance(exc, services.WarningRefused):
            exc = Conflict(str(exc))
        return super().handle_exception(exc)

    def get_object(self, permission: str | None = None) -> Warning:
        warning = access.get_warning_for_user(self.request.user, self.kwargs["pk"], action=permission)
        self.check_object_permissions(self.request, warning)
        return warning

    def _detail(self, warning: Warning, code: int = status.HTTP_200_OK) -> Response:
        warning = access.get_warning_for_user(self.request.user, warning.pk)
        return Response(WarningDetailSerializer(warning, context=self.get_serializer_context()).data, status=code)

    @extend_schema(
        summary="Issue a draft: deliver it to every unit of the target area",
        request=None,
        responses={200: WarningDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        warning = services.warning_issue(warning=self.get_object(DispatchAction.ISSUE_WARNING), by=request.user)
        return self._detail(warning)

    @extend_schema(
        summary="Update a warning in force (or edit a draft): every unit acknowledges again",
        request=WarningChangeSerializer,
        responses={200: WarningDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"], url_path="update", url_name="update")
    def change(self, request, pk=None):
        warning = self.get_object(DispatchAction.ISSUE_WARNING)
        body = WarningChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        warning = services.warning_update(warning=warning, by=request.user, changes=dict(body.validated_data))
        return self._detail(warning)

    @extend_schema(
        summary="Lift (解除) a warning in force", request=None, responses={200: WarningDetailSerializer, **REFUSALS}
    )
    @action(detail=True, methods=["post"])
    def lift(self, request, pk=None):
        warning = services.warning_lift(warning=self.get_object(DispatchAction.ISSUE_WARNING), by=request.user)
        return self._detail(warning)

    @extend_schema(
        summary="Acknowledge (签收) the warning for one of the caller's units",
        request=AcknowledgeSerializer,
        responses={200: ReceiptSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        warning = self.get_object()
        if not warning_selectors.own_deliveries(request.user, warning):  # refused before the body is read
            raise PermissionDenied(_("Only the units this warning was sent to acknowledge it."))
        body = AcknowledgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        unit = GridUnit.objects.filter(pk=body.validated_data["unit"]).first()
        if unit is None or not scope_for(request.user).can_see(unit):
            raise serializers.ValidationError({"unit": [_("No such unit.")]})
        delivery = warning_receipts.warning_acknowledge(warning=warning, unit=unit, by=request.user)
        return Response(ReceiptSerializer(delivery).data)

    @extend_schema(
        summary="The acknowledgement board of the caller's scope",
        parameters=[OpenApiParameter("page", int)],
        responses={200: BoardSerializer, 404: REFUSALS[404]},
    )
    @action(detail=True, methods=["get"])
    def board(self, request, pk=None):
        warning = self.get_object()
        board = warning_selectors.warning_board(request.user, warning, page=request.query_params.get("page"))
        pending = board.pending
        data = {
            "total": board.total,
            "acknowledged": board.acknowledged,
            "tiers": [
                {
                    "tier": r.tier,
                    "total": r.total,
                    "acknowledged": r.acknowledged,
                    "pending": r.pending,
                    "average_minutes": r.average_minutes,
                    "median_minutes": r.median_minutes,
                }
                for r in board.tiers
            ],
            "pending_count": pending.paginator.count if pending else 0,
            "page": pending.number if pending else 1,
            "pages": pending.paginator.num_pages if pending else 1,
            "pending": list(pending.object_list) if pending else [],
            "evacuated": board.evacuated,
            "sheltered": board.sheltered,
        }
        return Response(BoardSerializer(data).data)

    @extend_schema(
        summary="The latest CAP 1.2 message of the warning",
        request=None,
        responses={(200, "application/xml"): OpenApiTypes.STR, 404: REFUSALS[404], 409: REFUSALS[409]},
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, CapXMLRenderer])
    def cap(self, request, pk=None):
        warning = self.get_object()
        message = cap.latest_message(warning)
        response = HttpResponse(cap.warning_to_cap(warning, message), content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{cap.cap_filename(message)}"'
        return response

    @extend_schema(
        summary="Import a CAP 1.2 message as a draft warning",
        request={"application/xml": OpenApiTypes.STR, "text/xml": OpenApiTypes.STR},
        responses={201: WarningDetailSerializer, **REFUSALS},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[CapXMLParser, CapTextXMLParser],
    )
    def import_cap(self, request):
        if not access.issuer_units(request.user).exists():
            raise PermissionDenied(_("Only county command may import warnings."))
        data = request.data if isinstance(request.data, bytes) else b""
        if len(data) > cap.max_bytes():
            raise CapTooLarge()
        warning = cap.cap_import(data, by=request.user)
        return self._detail(warning, status.HTTP_201_CREATED)


extra_urls: list = []


def register(router) -> None:
    """Register this module's viewsets on the shared router."""
    router.register("warnings", WarningViewSet, basename="warnings")
