"""Reads of the compliance calendar: the plans in force (and issued, not filed) in the person's
scope with their next evaluation, next drill, filing due and open triggers, and the roll-up per
township. A constant number of queries, whatever the number of plans or units (plans, their
issued versions, open triggers, last evaluations, last drills, rules, the high-risk list, the
townships)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from grids.models import GridUnit, within_q
from grids.scope import scope_for
from plans.access import visible_plans
from plans.models import Clock, RevisionTrigger
from plans.services.clock_notices import CLOCKS, all_clocks, live_plans, status_of

STATUS_ORDER = {"overdue": 0, "due_soon": 1, "ok": 2, "none": 3}


@dataclass
class CalendarRow:
    clocks: object  # plans.services.clocks.PlanClocks
    statuses: dict[str, str]
    triggers: list[RevisionTrigger]

    @property
    def plan(self):
        return self.clocks.plan

    @property
    def worst(self) -> str:
        return min(self.statuses.values(), key=STATUS_ORDER.__getitem__)

    def cells(self) -> list[tuple[str, datetime.date | None, str]]:
        return [(clock, self.clocks.due(clock), self.statuses[clock]) for clock in CLOCKS]


@dataclass
class RollupRow:
    unit: GridUnit
    linked: bool
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # clock → {"overdue": n, "due_soon": n}
    plans: int = 0
    triggers: int = 0

    def cells(self) -> list[tuple[str, int, int]]:
        return [(clock, self.counts[clock]["overdue"], self.counts[clock]["due_soon"]) for clock in CLOCKS]


def calendar_rows(user, unit: GridUnit | None = None, *, today: datetime.date | None = None) -> list[CalendarRow]:
    """Every plan in force or issued-not-filed the person sees (within ``unit`` when given), most
    urgent first."""
    today = today or timezone.localdate()
    plans = live_plans().filter(pk__in=visible_plans(user).values("pk"))
    if unit is not None:
        plans = plans.filter(within_q(unit, "unit__"))
    plans = plans.prefetch_related(
        Prefetch(
            "revision_triggers",
            queryset=RevisionTrigger.objects.filter(closed_at__isnull=True).order_by("raised_at"),
            to_attr="open_triggers",
        )
    ).order_by("unit__tree_id", "unit__lft", "title", "pk")
    plans = list(plans)
    rows = []
    for clocks in all_clocks(plans):
        statuses = {clock: status_of(clocks.due(clock), today) for clock in CLOCKS}
        rows.append(CalendarRow(clocks=clocks, statuses=statuses, triggers=clocks.plan.open_triggers))
    rows.sort(key=lambda row: STATUS_ORDER[row.worst])
    return rows


def rollup(user, rows: list[CalendarRow]) -> list[RollupRow]:
    """Per township (tier 2; the county's own plans under the county): counts overdue and due soon
    per clock. A township the person cannot open is listed without a link."""
    scope = scope_for(user)
    trees = {row.plan.unit.tree_id for row in rows}
    tops = list(GridUnit.objects.filter(tree_id__in=trees, level__lte=1).order_by("tree_id", "lft"))
    groups: dict[int, RollupRow] = {}
    for row in rows:
        unit = row.plan.unit
        home = next(
            (t for t in tops if t.level == 1 and t.contains(unit)),
            next((t for t in tops if t.level == 0 and t.contains(unit)), unit),
        )
        group = groups.get(home.pk)
        if group is None:
            group = groups[home.pk] = RollupRow(
                unit=home,
                linked=scope.can_see(home),
                counts={clock: {"overdue": 0, "due_soon": 0} for clock in CLOCKS},
            )
        group.plans += 1
        group.triggers += len(row.triggers)
        for clock, status in row.statuses.items():
            if status in ("overdue", "due_soon"):
                group.counts[clock][status] += 1
    return sorted(groups.values(), key=lambda g: (g.unit.tree_id, g.unit.lft))


def clock_label(clock: str) -> str:
    return Clock(clock).label
