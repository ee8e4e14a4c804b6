"""Reads of the patrol register, through ``patrols.access``; their queries do not grow with rows.

- ``compliance(unit, start, end, today)``: per village of a township (or county), the patrol
  windows its rules ask for (``patrols.rules``), done (a patrol started in the window), late (none
  in it, one within ``PATROL_LATE_GRACE_DAYS`` after it), missed (neither, and the window is over)
  and still open; per officer the windows they covered; the points nobody visited.
- ``ledger(unit, start, end)``: the grid ledger (网格信息台账) of a village: its patrols, check-ins
  and every step of its hazards (found, fixed on the spot, reported, handled, closed) in time order.
- ``presence_board(warning)``: the presence checks of a warning with each request's answer."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import bounds
from dispatch.models import Warning
from grids.models import GridUnit, Membership, within_q
from hazards.models import Hazard, HazardEvent
from patrols.models import CheckIn, Patrol, PatrolPoint, PatrolRule, PresenceRequest, Season
from patrols.rules import RuleBook, WarningSpan, windows


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
class Compliance:
    unit: GridUnit
    start: datetime.date
    end: datetime.date
    villages: list[VillageRow]
    officers: list[OfficerRow]

    @property
    def totals(self) -> dict[str, int]:
        return {
            key: sum(getattr(row, key) for row in self.villages)
            for key in ("due", "done", "late", "missed", "open", "patrols")
        }


def compliance(unit: GridUnit, start: datetime.date, end: datetime.date, today: datetime.date) -> Compliance:
    """The compliance table of ``unit``'s villages from ``start`` to ``end``: a fixed number of queries."""
    grace = datetime.timedelta(days=settings.PATROL_LATE_GRACE_DAYS)
    villages = list(GridUnit.objects.filter(within_q(unit), level=2, is_active=True).order_by("tree_id", "lft"))
    counties = {village.tree_id: None for village in villages}
    county_of = dict(GridUnit.objects.filter(level=0, tree_id__in=counties).values_list("tree_id", "pk"))
    book = rule_book(set(county_of.values()), start, end)
    begin, stop = bounds(start, end + grace)
    patrols = list(
        Patrol.objects.filter(unit__in=villages, started_at__gte=begin, started_at__lt=stop).values_list(
            "unit_id", "officer_id", "started_at"
        )
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
    return Compliance(unit=unit, start=start, end=end, villages=rows, officers=list(officers.values()))


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
    for patrol in Patrol.objects.filter(unit=unit, started_at__gte=begin, started_at__lt=stop).select_related(
        "officer"
    ):
        link = reverse("patrols:patrol_detail", args=[patrol.pk])
        entries.append(LedgerEntry(patrol.started_at, "patrol", _("Patrol started"), _name(patrol.officer), link=link))
        if patrol.finished_at:
            entries.append(
                LedgerEntry(
                    patrol.finished_at,
                    "patrol",
                    _("Patrol finished"),
                    _name(patrol.officer),
                    remark=patrol.note,
                    link=link,
                )
            )
    checkins = CheckIn.objects.filter(patrol__unit=unit, server_time__gte=begin, server_time__lt=stop).select_related(
        "point", "patrol__officer"
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
                checkin.client_time or checkin.server_time, "checkin", what, _name(checkin.patrol.officer),
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
