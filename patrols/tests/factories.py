"""Test data for patrols, made through the services (no side doors)."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from dispatch.models import WarningType
from dispatch.services import warnings
from patrols import services
from patrols.models import PatrolPoint


def points(world, unit=None, names=("后山滑坡点", "河道拦水坝", "村小学边坡"), by=None):
    """Three drawn points of ``unit`` (village A by default), about 200 m apart."""
    unit = unit or world.village_a
    by = by or world.village_officer_a
    return [
        services.point_create(unit=unit, by=by, name=name, lng=106.45 + 0.002 * i, lat=24.25)
        for i, name in enumerate(names)
    ]


def patrol(world, *, unit=None, by=None, key=None):
    unit = unit or world.village_a
    by = by or world.village_officer_a
    made, _created = services.patrol_start(unit=unit, by=by, client_key=key or uuid.uuid4())
    return made


def check_in(patrol, point: PatrolPoint, *, by=None, at_point=True, **fields):
    by = by or patrol.officer
    lng = point.lng if at_point else point.lng + 0.01
    fields.setdefault("client_key", uuid.uuid4())
    return services.patrol_check_in(patrol=patrol, point=point, by=by, lng=lng, lat=point.lat, **fields)[0]


def warning(world, *, level=2, areas=None, hours=6, start=None):
    """A warning of ``level`` issued by the county over ``areas`` (the township), in force now."""
    start = start or timezone.now() - datetime.timedelta(minutes=1)
    return warnings.warning_issue(
        warning=warnings.warning_draft(
            by=world.county_dispatcher, type=WarningType.objects.get(code="rainstorm"), level=level,
            title="凌云县暴雨橙色预警", content="…", valid_from=start, valid_to=start + datetime.timedelta(hours=hours),
            areas=areas or [world.township],
        ),
        by=world.county_dispatcher,
    )  # fmt: skip


def route(world, points, *, unit=None, by=None, name="日常巡查路线", every_days=None):
    """A route of ``unit`` (village A) through ``points`` in their order; with ``every_days`` a
    patrol rule asking for it that often, all year."""
    from patrols.models import PatrolRule

    unit = unit or world.village_a
    made = services.route_save(by=by or world.village_officer_a, unit=unit, name=name, points=points)
    made.created_at = timezone.now() - datetime.timedelta(days=60)  # made long ago: its windows count from then
    type(made).objects.filter(pk=made.pk).update(created_at=made.created_at)
    if every_days:
        PatrolRule.objects.create(unit_kind=unit.kind, route=made, interval_days=every_days)
    return made


def started_on(patrol, day):
    """Back-date ``patrol`` to 09:00 of ``day`` (no service starts a patrol in the past)."""
    from patrols.models import Patrol

    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    Patrol.objects.filter(pk=patrol.pk).update(started_at=at)
    patrol.refresh_from_db()
    return patrol
