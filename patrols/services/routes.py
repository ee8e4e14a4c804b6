"""Patrol routes: a named, ordered set of one village's patrol points.

``route_save`` creates a route or changes one (``patrol.points`` in its village, like the points):
its name, whether it is in use, its notes and its stops in order. Only the stops that change are
rewritten (a stop moved to another place is removed and added again), each with its history row."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from grids.models import GridUnit
from patrols import access
from patrols.models import PatrolPoint, PatrolRoute, RouteStop


def _check_points(unit: GridUnit, points: Sequence[PatrolPoint]) -> None:
    if not points:
        raise ValidationError({"points": _("A route needs at least one patrol point.")})
    if len({point.pk for point in points}) != len(points):
        raise ValidationError({"points": _("A point may appear only once on a route.")})
    if any(point.unit_id != unit.pk for point in points):
        raise ValidationError({"points": _("Every point of a route must be a patrol point of the route's unit.")})


def route_save(
    *,
    by,
    points: Sequence[PatrolPoint],
    name: str,
    unit: GridUnit | None = None,
    route: PatrolRoute | None = None,
    active: bool = True,
    notes: str = "",
) -> PatrolRoute:
    """Create a route of ``unit`` (a village) or change ``route``: name, in use, notes and its
    stops, in the order of ``points`` (``patrol.points`` in the village)."""
    unit = route.unit if route is not None else unit
    if unit is None or unit.level != 2:
        raise ValidationError(_("Patrol routes belong to a village, community or enterprise."))
    if not access.may_keep_points(by, unit):
        raise PermissionDenied(_("You may not change the patrol routes of this unit."))
    _check_points(unit, points)
    name = name.strip()
    try:
        with transaction.atomic():
            if route is None:
                route = PatrolRoute(unit=unit)
            else:
                route = PatrolRoute.objects.select_for_update(of=("self",)).get(pk=route.pk)
            route.name, route.active, route.notes = name, active, notes
            route.full_clean(validate_unique=False, validate_constraints=False)
            if PatrolRoute.objects.filter(unit=unit, name=name).exclude(pk=route.pk).exists():
                raise ValidationError({"name": _("This unit already has a route of this name.")})
            if route.pk is None:
                route.save()
            else:
                route.save(update_fields=["name", "active", "notes"])
            _set_stops(route, points)
    except IntegrityError:
        raise ValidationError({"name": _("This unit already has a route of this name.")}) from None
    return route


def _set_stops(route: PatrolRoute, points: Sequence[PatrolPoint]) -> None:
    wanted = {order: point.pk for order, point in enumerate(points, start=1)}
    kept = set()
    for stop in list(route.stops.all()):
        if wanted.get(stop.order) == stop.point_id:
            kept.add(stop.order)
        else:
            stop.delete()  # its history row says it left (or moved)
    for order, point in enumerate(points, start=1):
        if order not in kept:
            RouteStop.objects.create(route=route, point=point, order=order)
