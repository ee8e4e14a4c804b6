"""Reads of the duty desk, within the person's scope: the centres a person reports to, the people
who may stand duty, the shifts (with whether each post is still on the roll), who is on duty now,
the duty-log archive and the handover."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import cache, reduce
from operator import or_
from types import SimpleNamespace

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone

from dispatch.access import (  # who may see and do what: dispatch/access.py
    CENTRE_MAX_LEVEL,
    visible_log,
)
from dispatch.models import DutyLogEntry, DutyShift
from grids import limits
from grids.models import GridUnit, Membership, User, above_q, within_q
from grids.scope import scope_for

WEEK = datetime.timedelta(days=7)


def relevant_centres(user: User) -> list[GridUnit]:
    """The centres a person reports to and calls: their own centre(s) and those above their units
    (a village officer: their township's and the county's). A superuser without a role: the counties.
    One query (the scope is computed once per request)."""
    scope = scope_for(user)
    nodes = scope.nodes
    if not nodes:
        return list(scope.administrator_counties().order_by("tree_id"))
    above = reduce(or_, (above_q(n) for n in nodes))
    return list(
        GridUnit.objects.filter(above, level__lte=CENTRE_MAX_LEVEL, is_active=True).order_by("-level", "tree_id", "lft")
    )


def duty_people(unit: GridUnit) -> QuerySet[User]:
    """People who may stand duty at ``unit``: an active role in it or above it; for a county, also
    the staff of its departments."""
    holders = Membership.objects.active().filter(above_q(unit, "unit__")).values("user_id")
    condition = Q(pk__in=holders)
    if unit.level == 0:
        condition |= Q(department__county=unit, department__is_active=True)
    return User.objects.filter(condition, is_active=True).order_by("real_name", "username")


POSTS = ("leader", "post_a", "post_b")


def _on_roll(post: str) -> ExpressionWrapper:
    """Does the person in ``post`` still stand in the shift's centre (an active role in it or above
    it; for a county, the staff of its active departments)? A subquery: no extra query."""
    centre = SimpleNamespace(tree_id=OuterRef("unit__tree_id"), lft=OuterRef("unit__lft"), rght=OuterRef("unit__rght"))
    role = Membership.objects.active().filter(above_q(centre, "unit__"), user_id=OuterRef(f"{post}_id"))
    staff = User.objects.filter(
        pk=OuterRef(f"{post}_id"),
        department__county_id=OuterRef("unit_id"),
        department__is_active=True,
    )
    return ExpressionWrapper(Q(Exists(role)) | Q(Exists(staff)), output_field=BooleanField())


def with_roll(shifts: QuerySet[DutyShift]) -> QuerySet[DutyShift]:
    """Annotate ``leader_on_roll``, ``post_a_on_roll``, ``post_b_on_roll`` (False: flag them)."""
    return shifts.annotate(**{f"{post}_on_roll": _on_roll(post) for post in POSTS})


def on_duty_now(
    units: Iterable[GridUnit | int] | QuerySet[GridUnit], *, at: datetime.datetime | None = None
) -> dict[int, DutyShift]:
    """``{unit_id: shift}`` of the shifts running at ``at`` (now) in ``units``: ONE query.

    A shift is on duty from ``starts_at`` (inclusive) to ``ends_at`` (exclusive)."""
    at = at or timezone.now()
    if not isinstance(units, QuerySet):
        units = [u if isinstance(u, int) else u.pk for u in units]
        if not units:
            return {}
    shifts = _shifts_with_roll().filter(unit__in=units, starts_at__lte=at, ends_at__gt=at)
    return {shift.unit_id: shift for shift in shifts}


@cache
def _shifts_with_roll() -> QuerySet[DutyShift]:
    """The shifts with their centres, people and roll flags, built once per process: adding the six
    roll subqueries to a queryset costs Django more than running them (the duty card of every
    dashboard: about 9 of a village dashboard's 26 ms, 2 of them the query). Each call filters a
    clone; this one is never evaluated."""
    return with_roll(
        DutyShift.objects.select_related("unit", "leader", "post_a", "post_b").order_by("unit_id", "starts_at")
    )


def shifts_between(
    user: User, start: datetime.datetime, end: datetime.datetime, *, unit: GridUnit | None = None
) -> QuerySet[DutyShift]:
    """Shifts overlapping [start, end) in the person's scope (of one centre if given)."""
    queryset = scope_for(user).filter(DutyShift.objects.all(), "unit").filter(starts_at__lt=end, ends_at__gt=start)
    if unit is not None:
        queryset = queryset.filter(unit=unit)
    return with_roll(queryset.select_related("unit", "leader", "post_a", "post_b").order_by("starts_at", "unit__lft"))


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def day_range(first: datetime.date, days: int) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(first + datetime.timedelta(days=days), datetime.time.min))
    return start, end


def search_log(
    user: User,
    *,
    q: str = "",
    unit: GridUnit | None = None,
    kind: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[DutyLogEntry]:
    """The archive: text search over summary, details and caller; centre (with the units below),
    kind and an inclusive range of local dates."""
    date_from = limits.bound_date("date_from", date_from)
    date_to = limits.bound_date("date_to", date_to)
    queryset = visible_log(user)
    if q:
        for word in q.split():
            queryset = queryset.filter(
                Q(summary__icontains=word) | Q(details__icontains=word) | Q(caller__icontains=word)
            )
    if unit is not None:
        queryset = queryset.filter(within_q(unit, "unit__"))
    if kind:
        queryset = queryset.filter(kind=kind)
    if date_from:
        queryset = queryset.filter(at__gte=day_range(date_from, 1)[0])
    if date_to:
        queryset = queryset.filter(at__lt=day_range(date_to, 1)[1])
    return queryset.select_related("unit", "by").order_by("-at", "-id")


def handover_context(user: User, unit: GridUnit, *, now: datetime.datetime | None = None) -> dict:
    """What the handover form shows: the shift on duty, the next one, and this shift's entries."""
    now = now or timezone.now()
    current = on_duty_now([unit], at=now).get(unit.pk)
    upcoming = (
        DutyShift.objects.filter(unit=unit, starts_at__gte=current.ends_at if current else now)
        .select_related("leader", "post_a", "post_b")
        .order_by("starts_at")
        .first()
    )
    since = current.starts_at if current else day_range(timezone.localtime(now).date(), 1)[0]
    entries = list(
        DutyLogEntry.objects.filter(unit=unit, at__gte=since, at__lte=now).select_related("by").order_by("at", "id")
    )
    return {"current": current, "upcoming": upcoming, "entries": entries, "since": since}
