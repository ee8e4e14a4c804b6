"""The patrol REST API (/api/v1/): read through ``patrols.access``, every change a service.

- ``patrols/``: the patrols in scope with their check-ins; ``check-in`` (the officer's own, open
  patrol; the same ``client_key`` twice answers the first check-in), ``finish``.
- ``patrol-points/``: the points in scope (``?unit=``).
- ``patrol-routes/``: the routes in scope with their stops in order (``?unit=``); POST a new route
  of a village, PATCH/PUT a route (``patrol.points`` in its village) with ``points`` in order.
- ``presence-requests/``: the presence requests one may see (one's own and those of one's checks);
  ``answer`` (the officer asked).
Refused by role → 403, bad fields → 400, unseen → 404."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ServiceErrorsMixin, refusals, schema_only
from patrols import access, services
from patrols.models import Patrol, PatrolPoint, PatrolRoute, PresenceRequest
from patrols.serializers import (
    CheckInBodySerializer,
    CheckInSerializer,
    PatrolSerializer,
    PointSerializer,
    PresenceAnswerBodySerializer,
    PresenceRequestSerializer,
    RouteBodySerializer,
    RouteSerializer,
)

REFUSALS = refusals(codes=(400, 403, 404))


@extend_schema(tags=["patrols"])
class PatrolViewSet(ServiceErrorsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PatrolSerializer

    def get_queryset(self):
        if schema_only(self):
            return Patrol.objects.none()
        return access.visible_patrols(self.request.user).prefetch_related("checkins")

    def get_object(self):
        return access.get_patrol_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        request=CheckInBodySerializer, responses={201: CheckInSerializer, 200: CheckInSerializer, **REFUSALS}
    )
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        patrol = access.get_patrol_for_user(request.user, pk, write=True)
        body = CheckInBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        try:
            point = access.visible_points(request.user).get(pk=data.pop("point"), unit=patrol.unit)
        except PatrolPoint.DoesNotExist:
            raise Http404(_("No such patrol point.")) from None
        checkin, created = services.patrol_check_in(patrol=patrol, point=point, by=request.user, **{
            "lng": data.get("lng"), "lat": data.get("lat"), "client_time": data.get("client_time"),
            "outcome": data["outcome"], "note": data.get("note", ""), "client_key": data.get("client_key"),
        })  # fmt: skip
        return Response(
            CheckInSerializer(checkin).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(request=None, responses={200: PatrolSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        patrol = access.get_patrol_for_user(request.user, pk, write=True)
        return Response(PatrolSerializer(services.patrol_finish(patrol=patrol, by=request.user)).data)


@extend_schema(tags=["patrols"])
class PatrolPointViewSet(ServiceErrorsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PointSerializer

    def get_queryset(self):
        if schema_only(self):
            return PatrolPoint.objects.none()
        points = access.visible_points(self.request.user)
        unit = self.request.query_params.get("unit", "")
        return points.filter(unit_id=int(unit)) if unit.isdigit() else points

    def get_object(self):
        return access.get_point_for_user(self.request.user, self.kwargs["pk"])


@extend_schema(tags=["patrols"])
class PatrolRouteViewSet(ServiceErrorsMixin, viewsets.ModelViewSet):
    serializer_class = RouteSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        if schema_only(self):
            return PatrolRoute.objects.none()
        routes = access.visible_routes(self.request.user).prefetch_related("stops__point")
        unit = self.request.query_params.get("unit", "")
        return routes.filter(unit_id=int(unit)) if unit.isdigit() else routes

    def get_object(self):
        return access.get_route_for_user(self.request.user, self.kwargs["pk"])

    def _points(self, unit, ids):
        found = {point.pk: point for point in access.visible_points(self.request.user).filter(unit=unit, pk__in=ids)}
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise Http404(_("No such patrol point."))
        return [found[pk] for pk in ids]

    @extend_schema(request=RouteBodySerializer, responses={201: RouteSerializer, **REFUSALS})
    def create(self, request, *args, **kwargs):
        body = RouteBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        unit = access.get_unit_for_ledger(request.user, data.get("unit"))
        route = services.route_save(
            by=request.user, unit=unit, name=data["name"], active=data["active"], notes=data["notes"],
            points=self._points(unit, data["points"]),
        )  # fmt: skip
        return Response(RouteSerializer(route).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RouteBodySerializer, responses={200: RouteSerializer, **REFUSALS})
    def update(self, request, *args, **kwargs):
        route = access.get_route_for_user(request.user, kwargs["pk"], write=True)
        body = RouteBodySerializer(data=request.data, partial=kwargs.get("partial", False))
        body.is_valid(raise_exception=True)
        data = body.validated_data
        points = self._points(route.unit, data["points"]) if "points" in data else [s.point for s in route.stops.all()]
        route = services.route_save(
            by=request.user, route=route, name=data.get("name", route.name), active=data.get("active", route.active),
            notes=data.get("notes", route.notes), points=points,
        )  # fmt: skip
        return Response(RouteSerializer(route).data)


@extend_schema(tags=["patrols"])
class PresenceRequestViewSet(ServiceErrorsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PresenceRequestSerializer

    def get_queryset(self):
        if schema_only(self):
            return PresenceRequest.objects.none()
        return access.visible_presence_requests(self.request.user).select_related("check_run")

    def get_object(self):
        return access.get_presence_request_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=PresenceAnswerBodySerializer, responses={200: PresenceRequestSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        req = access.get_presence_request_for_user(request.user, pk, write=True)
        body = PresenceAnswerBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        answered, _created = services.presence_answer(
            request=req, by=request.user, lng=data["lng"], lat=data["lat"],
            client_time=data.get("client_time"), client_key=data.get("client_key"),
        )  # fmt: skip
        return Response(PresenceRequestSerializer(answered).data)
