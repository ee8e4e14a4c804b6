"""Reads of the patrol register, through ``patrols.access``; their queries do not grow with rows.

- ``compliance(unit, start, end, today)``: per village of a township (or county), the patrol
  windows its rules ask for (``patrols.rules``), done (a patrol started in the window), late (none
  in it, one within ``PATROL_LATE_GRACE_DAYS`` after it), missed (neither, and the window is over)
  and still open; per officer the windows they covered; the points nobody visited; per route, its
  own windows (``route_rows``), kept apart from the village's counts.
- ``ledger(unit, start, end)``: the grid ledger (网格信息台账) of a village: its patrols, check-ins
  and every step of its hazards (found, fixed on the spot, reported, handled, closed) in time order.
- ``presence_board(warning)``: the presence checks of a warning with each request's answer."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, DateTimeField, F, Q, When
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import bounds
from dispatch.models import Warning
from grids.models import GridUnit, Membership, within_q
from hazards.models import Hazard, HazardEvent
from patrols.models import CheckIn, Patrol, PatrolPoint, PatrolRoute, PatrolRule, PresenceRequest, RouteStop, Season
from patrols.rules import RuleBook, WarningSpan, Window, windows


def done_at(prefix: str = "", *, phone: str = "client_started_at", server: str = "started_at"):
    """When a patrol (or with ``phone``/``server`` named, a check-in) was done: the phone's time
    where there is one and it is within ``PATROL_OFFLINE_MAX_DAYS`` before the server got it (a
    patrol walked with no signal and sent the next day counts on its own day), else the server's.
    The services refuse a phone time ahead of the server's, so only a time before it is taken."""
    phone_time, server_time = F(f"{prefix}{phone}"), F(f"{prefix}{server}")
    oldest = server_time - datetime.timedelta(days=settings.PATROL_OFFLINE_MAX_DAYS)
    return Case(
        When(**{f"{prefix}{phone}__gte": oldest, f"{prefix}{phone}__lte": server_time}, then=phone_time),
        default=server_time,
        output_field=DateTimeField(),
    )


def rule_book(county_ids: set[int], start: datetime.date, end: datetime.date) -> RuleBook:
    """The rules, seasons and warnings of the period: four queries."""
    rules = list(
        PatrolRule.objects.filter(Q(county__isnull=True) | Q(county__in=county_ids), active=True).select_related(
            "season"
        )
    )
    seasons = list(Season.objects.filter(county__in=county_ids))
    begin, stop = bounds(start, end)
    spans = []
    issued = (
        Warning.objects.filter(issued_at__isnull=False, valid_from__lt=stop, valid_to__gte=begin)
        .exclude(state=Warning.State.DRAFT)
        .exclude(lifted_at__lt=begin)
        .prefetch_related("areas")
    )
    for warning in issued:
        ends = min(warning.valid_to, warning.lifted_at) if warning.lifted_at else warning.valid_to
        areas = [(area.tree_id, area.lft, area.rght) for area in warning.areas.all()]
        spans.append(
            WarningSpan(warning.level, timezone.localdate(warning.valid_from), timezone.localdate(ends), areas)
        )
    return RuleBook(rules=rules, seasons=seasons, warnings=spans)


@dataclass
class VillageRow:
    unit: GridUnit
    due: int = 0
    done: int = 0
    late: int = 0
    missed: int = 0
    open: int = 0
    patrols: int = 0
    missed_windows: list = field(default_factory=list)
    points_not_visited: list = field(default_factory=list)


@dataclass
class OfficerRow:
    officer: object
    unit: GridUnit
    patrols: int = 0
    done: int = 0
    late: int = 0


@dataclass
class RouteWindow:
    window: Window
    state: str  # done, missed, open
    missing: list  # the route's points the most complete patrol of the window did not check in at
    patrol_id: int | None = None  # that patrol


@dataclass
class RouteRow:
    route: PatrolRoute
    points: list[PatrolPoint]
    windows: list[RouteWindow] = field(default_factory=list)

    def _count(self, state: str) -> int:
        return sum(1 for w in self.windows if w.state == state)

    @property
    def due(self) -> int:
        return len(self.windows)

    @property
    def done(self) -> int:
        return self._count("done")

    @property
    def missed(self) -> int:
        return self._count("missed")

    @property
    def open(self) -> int:
        return self._count("open")


@dataclass
class Compliance:
    unit: GridUnit
    start: datetime.date
    end: datetime.date
    villages: list[VillageRow]
    officers: list[OfficerRow]
    routes: list[RouteRow] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        return {
            key: sum(getattr(row, key) for row in self.villages)
            for key in ("due", "done", "late", "missed", "open", "patrols")
        }


def compliance(
    unit: GridUnit, start: datetime.date, end: datetime.date, today: datetime.date, *, routes: bool = True
) -> Compliance:
    """The compliance table of ``unit``'s villages from ``start`` to ``end`` (with ``routes``, the
    route windows too): a fixed number of queries."""
    grace = datetime.timedelta(days=settings.PATROL_LATE_GRACE_DAYS)
    villages = list(GridUnit.objects.filter(within_q(unit), level=2, is_active=True).order_by("tree_id", "lft"))
    counties = {village.tree_id: None for village in villages}
    county_of = dict(GridUnit.objects.filter(level=0, tree_id__in=counties).values_list("tree_id", "pk"))
    book = rule_book(set(county_of.values()), start, end)
    begin, stop = bounds(start, end + grace)
    patrols = list(
        Patrol.objects.annotate(done=done_at())
        .filter(unit__in=villages, done__gte=begin, done__lt=stop)
        .values_list("unit_id", "officer_id", "done")
    )
    by_unit: dict[int, list[tuple[int, datetime.date]]] = defaultdict(list)
    for unit_id, officer_id, started in patrols:
        by_unit[unit_id].append((officer_id, timezone.localdate(started)))
    memberships = (
        Membership.objects.active()
        .filter(unit__in=villages)
        .select_related("user")
        .order_by("unit__tree_id", "unit__lft", "user_id")
    )
    officers: dict[tuple[int, int], OfficerRow] = {}
    village_of = {village.pk: village for village in villages}
    for membership in memberships:
        key = (membership.unit_id, membership.user_id)
        officers.setdefault(key, OfficerRow(officer=membership.user, unit=village_of[membership.unit_id]))
    period_begin, period_stop = bounds(start, end)
    visited = set(
        CheckIn.objects.filter(patrol__unit__in=villages, server_time__gte=period_begin, server_time__lt=period_stop)
        .values_list("point_id", flat=True)
        .distinct()
    )
    points: dict[int, list[PatrolPoint]] = defaultdict(list)
    for point in PatrolPoint.objects.filter(unit__in=villages, active=True).order_by("name", "pk"):
        if point.pk not in visited:
            points[point.unit_id].append(point)

    rows = []
    for village in villages:
        row = VillageRow(unit=village, points_not_visited=points[village.pk])
        done_days = by_unit[village.pk]
        row.patrols = sum(1 for _o, day in done_days if start <= day <= end)
        for officer_id, day in done_days:
            if start <= day <= end and (village.pk, officer_id) in officers:
                officers[(village.pk, officer_id)].patrols += 1
        for window in windows(book, village, county_of.get(village.tree_id), start, end):
            row.due += 1
            inside = [o for o, day in done_days if window.start <= day <= window.end]
            after = [o for o, day in done_days if window.end < day <= window.end + grace]
            if inside:
                row.done += 1
                for officer_id in set(inside):
                    if (village.pk, officer_id) in officers:
                        officers[(village.pk, officer_id)].done += 1
            elif window.end >= today:
                row.open += 1
            elif after:
                row.late += 1
                for officer_id in set(after):
                    if (village.pk, officer_id) in officers:
                        officers[(village.pk, officer_id)].late += 1
            else:
                row.missed += 1
                row.missed_windows.append(window)
        rows.append(row)
    route_table = route_rows(villages, book, county_of, start, end, today) if routes else []
    return Compliance(
        unit=unit, start=start, end=end, villages=rows, officers=list(officers.values()), routes=route_table
    )


def route_rows(
    villages: list[GridUnit],
    book: RuleBook,
    county_of: dict[int, int],
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
    *,
    route: PatrolRoute | None = None,
) -> list[RouteRow]:
    """The windows of the routes in use of ``villages`` (or of ``route`` alone) that their rules ask
    for: a window is done when ONE patrol on the route, started in it, checked in at every point of
    the route in use; missed when none did and the window is over. The windows begin on the day the
    route was made. Three queries."""
    if not villages:
        return []
    routes = PatrolRoute.objects.filter(unit__in=villages, active=True).select_related("unit")
    if route is not None:
        routes = routes.filter(pk=route.pk)
    village_order = {village.pk: n for n, village in enumerate(villages)}
    stops: dict[int, list[PatrolPoint]] = defaultdict(list)
    found = list(routes)
    for stop in (
        RouteStop.objects.filter(route__unit__in=villages, route__active=True, point__active=True)
        .select_related("point")
        .order_by("route_id", "order")
    ):
        stops[stop.route_id].append(stop.point)
    begin, stop_at = bounds(start, end)
    patrols: dict[int, list[tuple[int, datetime.date]]] = defaultdict(list)
    covered: dict[int, set[int]] = defaultdict(set)
    for patrol_id, route_id, started, point_id in CheckIn.objects.annotate(done=done_at("patrol__")).filter(
        patrol__unit__in=villages, patrol__route__isnull=False, done__gte=begin, done__lt=stop_at,
    ).values_list("patrol_id", "patrol__route_id", "done", "point_id"):  # fmt: skip
        if patrol_id not in covered:
            patrols[route_id].append((patrol_id, timezone.localdate(started)))
        covered[patrol_id].add(point_id)
    rows = []
    for one in sorted(found, key=lambda r: (village_order.get(r.unit_id, 0), r.name, r.pk)):
        points = stops[one.pk]
        if not points:
            continue  # nothing to patrol on it
        row = RouteRow(route=one, points=points)
        wanted = {point.pk for point in points}
        since = max(start, timezone.localdate(one.created_at))  # nothing was due before the route existed
        for window in windows(book, one.unit, county_of.get(one.unit.tree_id), since, end, route_id=one.pk):
            inside = [pk for pk, day in patrols[one.pk] if window.start <= day <= window.end]
            best = max(inside, key=lambda pk: len(covered[pk] & wanted), default=None)
            seen = covered[best] & wanted if best is not None else set()
            if seen == wanted:
                state = "done"
            elif window.end >= today:
                state = "open"
            else:
                state = "missed"
            missing = [point for point in points if point.pk not in seen]
            row.windows.append(RouteWindow(window, state, missing, best))
        if row.windows:
            rows.append(row)
    return rows


def hazards_of_checkins(patrol: Patrol, checkins) -> dict[int, Hazard]:
    """The hazard reported from each check-in (by its officer with the check-in's key): one query."""
    keys = {c.hazard_key: c.pk for c in checkins if c.hazard_key}
    if not keys:
        return {}
    found = Hazard.objects.filter(reporter_id=patrol.officer_id, client_key__in=keys)
    return {keys[hazard.client_key]: hazard for hazard in found}


# --- the grid ledger ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerEntry:
    at: datetime.datetime
    kind: str  # patrol, checkin, hazard
    what: str
    who: str
    place: str = ""
    remark: str = ""
    phone_time: datetime.datetime | None = None
    link: str = ""


def _name(person) -> str:
    return (person.real_name or person.username) if person else ""


def ledger(unit: GridUnit, start: datetime.date, end: datetime.date) -> list[LedgerEntry]:
    """Every patrol, check-in and hazard step of the village ``unit`` in the period, oldest first:
    three queries whatever their number."""
    from django.urls import reverse

    begin, stop = bounds(start, end)
    entries: list[LedgerEntry] = []
    for patrol in (
        Patrol.objects.annotate(done=done_at(), finished=done_at(phone="client_finished_at", server="finished_at"))
        .filter(unit=unit, done__gte=begin, done__lt=stop)
        .select_related("officer")
    ):
        link = reverse("patrols:patrol_detail", args=[patrol.pk])
        entries.append(LedgerEntry(patrol.done, "patrol", _("Patrol started"), _name(patrol.officer), link=link))
        if patrol.finished_at:
            entries.append(
                LedgerEntry(
                    patrol.finished,
                    "patrol",
                    _("Patrol finished"),
                    _name(patrol.officer),
                    remark=patrol.note,
                    link=link,
                )
            )
    checkins = (
        CheckIn.objects.annotate(done=done_at(phone="client_time", server="server_time"))
        .filter(patrol__unit=unit, done__gte=begin, done__lt=stop)
        .select_related("point", "patrol__officer")
    )
    for checkin in checkins:
        if checkin.within_tolerance is False:
            remark = _("%(m)d m from the point") % {"m": checkin.distance_m}
        elif checkin.within_tolerance is None:
            remark = _("no location")
        else:
            remark = ""
        what = (
            _("Checked in: normal")
            if checkin.outcome == CheckIn.Outcome.NORMAL
            else _("Checked in: danger found, hazard reported")
        )
        entries.append(
            LedgerEntry(
                checkin.done, "checkin", what, _name(checkin.patrol.officer),
                place=checkin.point.name, remark=" ".join(filter(None, [remark, checkin.note])),
                phone_time=checkin.client_time, link=reverse("patrols:patrol_detail", args=[checkin.patrol_id]),
            )
        )  # fmt: skip
    events = HazardEvent.objects.filter(hazard__unit=unit, at__gte=begin, at__lt=stop).select_related("hazard", "by")
    for event in events:
        entries.append(
            LedgerEntry(
                event.at, "hazard", event.get_action_display(), _name(event.by),
                place=f"{event.hazard.number} {event.hazard.title}", remark=event.note,
                link=reverse("hazards:detail", args=[event.hazard_id]),
            )
        )  # fmt: skip
    entries.sort(key=lambda entry: entry.at)
    return entries


# --- presence checks ------------------------------------------------------------------------------


@dataclass
class PresenceRow:
    request: PresenceRequest
    answer: str
    label: str


def presence_rows(checks, now: datetime.datetime) -> dict[int, list[PresenceRow]]:
    """The requests of ``checks`` with their answers at ``now``: one query."""
    rows: dict[int, list[PresenceRow]] = defaultdict(list)
    labels = dict(PresenceRequest.Answer.choices)
    for request in PresenceRequest.objects.filter(check_run__in=checks).select_related("officer", "unit"):
        answer = request.answer_at(now)
        rows[request.check_run_id].append(PresenceRow(request, answer, str(labels[answer])))
    return rows


def presence_checks_of_warning(checks_visible, warning: Warning):
    return list(checks_visible.filter(warning=warning).select_related("unit", "by"))


def presence_day(checks_visible, day: datetime.date) -> list[PresenceRequest]:
    """Every request of the checks of ``day`` (an export)."""
    begin, stop = bounds(day, day)
    return list(
        PresenceRequest.objects.filter(check_run__in=checks_visible.filter(at__gte=begin, at__lt=stop))
        .select_related("officer", "unit", "check_run__unit", "check_run__warning")
        .order_by("check_run__at", "id")
    )


def open_requests_for(user, now: datetime.datetime) -> list[PresenceRequest]:
    """The presence requests waiting for ``user``'s answer (their phone)."""
    return list(
        PresenceRequest.objects.filter(officer=user, answered_at__isnull=True, check_run__at__lte=now)
        .filter(due_at__gte=now - datetime.timedelta(days=1))
        .select_related("check_run__warning")
    )


# --- routes ---------------------------------------------------------------------------------------


def route_points(route: PatrolRoute) -> list[PatrolPoint]:
    """The route's points in use, in their order: one query."""
    return [
        stop.point
        for stop in RouteStop.objects.filter(route=route, point__active=True).select_related("point").order_by("order")
    ]


def patrol_points(patrol: Patrol, checkins: dict[int, CheckIn]) -> list[PatrolPoint]:
    """The points of a patrol's page: its route's points in use in their order (without a route,
    every point in use of the village by name), then any other point checked in at."""
    if patrol.route_id:
        points = route_points(patrol.route)
    else:
        points = list(patrol.unit.patrol_points.filter(active=True).order_by("name", "pk"))
    listed = {point.pk for point in points}
    return points + [checkin.point for checkin in checkins.values() if checkin.point_id not in listed]


def route_compliance(route: PatrolRoute, start: datetime.date, end: datetime.date, today: datetime.date):
    """The route's windows from ``start`` to ``end`` (a ``RouteRow``, ``None`` when no rule asks for
    it): a fixed number of queries."""
    unit = route.unit
    county_id = GridUnit.objects.filter(level=0, tree_id=unit.tree_id).values_list("pk", flat=True).first()
    book = rule_book({county_id}, start, end)
    rows = route_rows([unit], book, {unit.tree_id: county_id}, start, end, today, route=route)
    return rows[0] if rows else None


def recent_route_patrols(route: PatrolRoute, points: list[PatrolPoint], limit: int = 20) -> list[tuple]:
    """The route's latest patrols, each with the route's points it did not check in at: two queries."""
    patrols = list(route.patrols.select_related("officer").order_by("-started_at", "-pk")[:limit])
    seen: dict[int, set[int]] = defaultdict(set)
    for patrol_id, point_id in CheckIn.objects.filter(patrol__in=patrols).values_list("patrol_id", "point_id"):
        seen[patrol_id].add(point_id)
    return [(patrol, [point for point in points if point.pk not in seen[patrol.pk]]) for patrol in patrols]
