"""Patrol points and patrols: start, check in at a point, finish.

A check-in may come from the phone's offline queue long after it was made, and may come twice (a
lost answer): it carries the phone's time (``client_time``) and an idempotency key (``core.UsedKey``
through ``core.idempotency.once``), so the second copy changes nothing and answers the first one's
check-in. A phone far from the point is recorded (``distance_m``, ``within_tolerance``) and shown,
never refused: the tolerance is ``PATROL_CHECKIN_TOLERANCE_M``."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.geo import distance_km
from core.idempotency import once
from grids.models import GridUnit
from hazards.models import Family, Hazard
from patrols import access
from patrols.models import CheckIn, Patrol, PatrolPoint, PatrolRoute, PointSource


def distance_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    """Great-circle distance in metres."""
    return 1000 * distance_km(lat1, lng1, lat2, lng2)


def point_create(*, unit: GridUnit, by, name: str, lng: float, lat: float) -> PatrolPoint:
    """A point drawn on the map (``patrol.points`` in the unit, a village)."""
    if unit.level != 2:
        raise ValidationError(_("Patrol points belong to a village, community or enterprise."))
    if not access.may_keep_points(by, unit):
        raise PermissionDenied(_("You may not change the patrol points of this unit."))
    point = PatrolPoint(unit=unit, name=name, lng=lng, lat=lat, source=PointSource.DRAWN)
    point.full_clean()
    point.save()
    return point


def points_sync(*, unit: GridUnit, by) -> int:
    """Add a point for each open natural-disaster hazard of the unit with a location, and for each
    danger zone of its evacuation lists (at the zone's centre), that has none yet. Returns how many
    were added; running it again adds nothing."""
    if not access.may_keep_points(by, unit):
        raise PermissionDenied(_("You may not change the patrol points of this unit."))
    from shapely.geometry import shape

    from plans.models import DangerZone

    added = []
    known_hazards = set(PatrolPoint.objects.filter(unit=unit, hazard__isnull=False).values_list("hazard_id", flat=True))
    for hazard in (
        Hazard.objects.open()
        .filter(unit=unit, family=Family.NATURAL, lng__isnull=False, lat__isnull=False)
        .exclude(pk__in=known_hazards)
    ):
        added.append(
            PatrolPoint(unit=unit, name=hazard.title, lng=hazard.lng, lat=hazard.lat, source=PointSource.HAZARD,
                        hazard=hazard)
        )  # fmt: skip
    known_zones = set(
        PatrolPoint.objects.filter(unit=unit, danger_zone__isnull=False).values_list("danger_zone_id", flat=True)
    )
    for zone in DangerZone.objects.filter(unit=unit, boundary__isnull=False).exclude(pk__in=known_zones):
        try:
            centre = shape(zone.boundary).representative_point()
        except (ValueError, TypeError, AttributeError):
            continue
        added.append(
            PatrolPoint(unit=unit, name=zone.name, lng=centre.x, lat=centre.y, source=PointSource.DANGER_ZONE,
                        danger_zone=zone)
        )  # fmt: skip
    PatrolPoint.objects.bulk_create(added, ignore_conflicts=True)
    return len(added)


def patrol_start(
    *,
    unit: GridUnit,
    by,
    client_key: uuid.UUID | None = None,
    client_time: datetime.datetime | None = None,
    route: PatrolRoute | None = None,
) -> tuple[Patrol, bool]:
    """Start a patrol of ``unit`` (``patrol.do``), on one of its routes in use if ``route`` is
    given, with the phone's time of the start (``client_started_at``; the server's is
    ``started_at``). The same ``client_key`` twice answers the first patrol (``created`` False)."""
    if not access.may_patrol(by, unit) or unit.level != 2:
        raise PermissionDenied(_("You may not patrol this unit."))
    if route is not None and (route.unit_id != unit.pk or not route.active):
        raise ValidationError(_("This route is not one of the patrolled unit's routes in use."))
    if client_key:
        existing = Patrol.objects.filter(officer=by, client_key=client_key).first()
        if existing:
            return existing, False
    now = timezone.now()
    phone_time = _client_time(client_time, now)
    try:
        with transaction.atomic():
            patrol = Patrol.objects.create(
                unit=unit, officer=by, client_key=client_key, started_at=now, client_started_at=phone_time, route=route
            )
            return patrol, True
    except IntegrityError:
        return Patrol.objects.get(officer=by, client_key=client_key), False


def _client_time(value: datetime.datetime | None, now: datetime.datetime) -> datetime.datetime | None:
    if value is None:
        return None
    if value > now + settings.FUTURE_TOLERANCE:
        raise ValidationError(_("The phone's clock is ahead of the server's; check the time on the phone."))
    return value


def patrol_check_in(
    *,
    patrol: Patrol,
    point: PatrolPoint,
    by,
    lng: float | None,
    lat: float | None,
    client_time: datetime.datetime | None = None,
    outcome: str = CheckIn.Outcome.NORMAL,
    note: str = "",
    photo=None,
    client_key: uuid.UUID | None = None,
) -> tuple[CheckIn, bool]:
    """Check in at ``point`` on ``patrol`` (its officer only): the distance from the phone to the
    point is recorded with whether it is within ``PATROL_CHECKIN_TOLERANCE_M``; an outcome of
    ``hazard`` gives the check-in a key for the hazard report form (``hazard_key``). Returns
    ``(check-in, created)``; the same ``client_key`` again answers the first check-in."""

    def run() -> tuple[CheckIn, bool]:
        locked = Patrol.objects.select_for_update(of=("self",)).get(pk=patrol.pk)
        if locked.officer_id != by.pk:
            raise PermissionDenied(_("Only the officer on this patrol may record it."))
        if point.unit_id != locked.unit_id:
            raise ValidationError(_("This point is not one of the patrolled unit's points."))
        now = timezone.now()
        finished = locked.client_finished_at or locked.finished_at or now  # the phone's clock against the phone's
        if locked.state == Patrol.State.FINISHED and (client_time is None or client_time > finished):
            raise ValidationError(_("This patrol is finished; start a new one."))
        existing = CheckIn.objects.filter(patrol=locked, point=point).first()
        if existing:
            return existing, False
        checkin = CheckIn(
            patrol=locked, point=point, outcome=outcome, lng=lng, lat=lat, note=note[:500],
            client_time=_client_time(client_time, now), server_time=now, client_key=client_key,
        )  # fmt: skip
        if lng is not None and lat is not None:
            distance = distance_m(lng, lat, point.lng, point.lat)
            checkin.distance_m = round(distance)
            checkin.within_tolerance = distance <= settings.PATROL_CHECKIN_TOLERANCE_M
        if outcome == CheckIn.Outcome.HAZARD:
            checkin.hazard_key = uuid.uuid4()
        if photo is not None:
            from hazards.photos import process_photo

            content, _w, _h = process_photo(photo)
            checkin.photo.save("checkin.jpg", content, save=False)
        checkin.save()
        return checkin, True

    with transaction.atomic():
        return once(
            user=by,
            key=client_key,
            action="patrol.check_in",
            run=run,
            result_of=lambda outcome: outcome[0].pk,
            replay=lambda pk: (CheckIn.objects.get(pk=int(pk)), False),
        )


def patrol_finish(*, patrol: Patrol, by, note: str = "", client_time: datetime.datetime | None = None) -> Patrol:
    """Finish the patrol (its officer only), with the phone's time of the finish
    (``client_finished_at``; the server's is ``finished_at``); finishing it again changes nothing."""
    with transaction.atomic():
        locked = Patrol.objects.select_for_update(of=("self",)).get(pk=patrol.pk)
        if locked.officer_id != by.pk:
            raise PermissionDenied(_("Only the officer on this patrol may record it."))
        if locked.state == Patrol.State.FINISHED:
            return locked
        now = timezone.now()
        locked.state = Patrol.State.FINISHED
        locked.finished_at = now
        locked.client_finished_at = _client_time(client_time, now)
        locked.note = note[:500]
        locked.save(update_fields=["state", "finished_at", "client_finished_at", "note"])
        return locked
