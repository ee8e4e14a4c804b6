"""Reads of the drill register that take the user and go through ``drills.access``: the
compliance table (due this year / done / planned / missing, from the requirement rule table),
the calendar, the registers and the training gap. Each page's queries do not grow with its rows."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from drills import access
from drills.models import DONE_STATES, CategorisedUnit, Drill, DrillRequirement, DrillScope, DrillState, UnitGroup
from grids.models import GridUnit, Membership, Role
from grids.rules import TOWNSHIP_KINDS, VILLAGE_KINDS, Kind
from grids.scope import scope_for

OFFICER_ROLES = (Role.GRID_OFFICER, Role.INFORMATION_OFFICER)


def unit_group(unit: GridUnit) -> str:
    if unit.kind in TOWNSHIP_KINDS:
        return UnitGroup.TOWNSHIP
    if unit.kind in VILLAGE_KINDS:
        return UnitGroup.VILLAGE
    if unit.kind == Kind.ENTERPRISE:
        return UnitGroup.ENTERPRISE
    if unit.kind == Kind.PARK:
        return UnitGroup.PARK
    return UnitGroup.COUNTY


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The year's first and next year's first instant, local time (Beijing)."""
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=tz),
        datetime.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def drill_day(drill: Drill) -> datetime.date:
    """The day a drill counts on: when it was held (local date), else its planned date."""
    return timezone.localdate(drill.held_at) if drill.held_at else drill.planned_date


@dataclass
class ComplianceRow:
    unit: GridUnit
    requirement: DrillRequirement
    plan: object = None
    due: int = 0
    done: int = 0
    planned: int = 0
    drills: list = field(default_factory=list)

    @property
    def missing(self) -> int:
        return max(0, self.due - self.done - self.planned)


def applicable(unit: GridUnit, categories: set[int], requirements: list[DrillRequirement]) -> list[DrillRequirement]:
    """The rows that apply to ``unit``: its kind's rows; a category row only for a unit in that
    category, and it replaces its kind's uncategorised row of the same plan kind and drill scope
    (a 危化品 enterprise's comprehensive drills are counted once, by its category's row)."""
    group = unit_group(unit)
    rows = [r for r in requirements if r.unit_group == group and (r.category_id is None or r.category_id in categories)]
    specific = {(r.plan_kind_id, r.comprehensive_only) for r in rows if r.category_id is not None}
    return [r for r in rows if r.category_id is not None or (r.plan_kind_id, r.comprehensive_only) not in specific]


def _count(row: ComplianceRow, drills: list[Drill]) -> None:
    """One drill per part of the year counts (twice a year: one per half-year); a part with a
    held drill is done, one with only a planned drill is planned."""
    n = row.requirement.times_per_year
    parts = row.requirement.months_per_part
    done_parts, planned_parts = set(), set()
    done_total = planned_total = 0
    for drill in drills:
        part = (drill_day(drill).month - 1) // parts if 12 % n == 0 else None
        if drill.state in DONE_STATES:
            done_total += 1
            done_parts.add(part)
        else:
            planned_total += 1
            planned_parts.add(part)
    if 12 % n == 0 and n > 1:
        row.done = len(done_parts)
        row.planned = len(planned_parts - done_parts)
    else:
        row.done = min(n, done_total)
        row.planned = min(n - row.done, planned_total)
    row.due = n


def compliance(user, top: GridUnit, year: int) -> list[ComplianceRow]:
    """Every requirement row of every unit in ``top``'s subtree (as far as the person sees), with
    this year's drills counted. Six queries whatever the number of units and drills."""
    scope = scope_for(user)
    top = GridUnit.objects.get(pk=top.pk)  # its tree range as stored now (units may have been added)
    units = list(GridUnit.objects.within(top).filter(scope.unit_q(), is_active=True).order_by("tree_id", "lft"))
    requirements = list(DrillRequirement.objects.filter(is_active=True).select_related("plan_kind", "category"))
    categories = defaultdict(set)
    for unit_id, category_id in CategorisedUnit.objects.filter(unit__in=units).values_list("unit_id", "category_id"):
        categories[unit_id].add(category_id)
    plan_kinds = {r.plan_kind_id for r in requirements if r.plan_kind_id}
    from plans.models import Plan

    plans = defaultdict(list)
    if plan_kinds:
        for plan in Plan.objects.filter(unit__in=units, kind_id__in=plan_kinds).order_by("pk"):
            plans[(plan.unit_id, plan.kind_id)].append(plan)
    start, end = year_bounds(year)
    drills = defaultdict(list)
    year_q = Q(held_at__gte=start, held_at__lt=end) | Q(held_at__isnull=True, planned_date__year=year)
    queryset = (
        access.visible_drills(user)
        .filter(year_q, unit__in=units)
        .prefetch_related(Prefetch("linked_plans", to_attr="plan_list"))
    )
    for drill in queryset:
        drills[drill.unit_id].append(drill)
    rows = []
    for unit in units:
        for requirement in applicable(unit, categories[unit.pk], requirements):
            candidates = [
                d for d in drills[unit.pk] if not requirement.comprehensive_only or d.scope == DrillScope.COMPREHENSIVE
            ]
            if requirement.plan_kind_id:
                for plan in plans[(unit.pk, requirement.plan_kind_id)]:
                    row = ComplianceRow(unit=unit, requirement=requirement, plan=plan)
                    row.drills = [d for d in candidates if any(p.pk == plan.pk for p in d.plan_list)]
                    _count(row, row.drills)
                    rows.append(row)
            else:
                row = ComplianceRow(unit=unit, requirement=requirement)
                row.drills = candidates
                _count(row, candidates)
                rows.append(row)
    return rows


def totals(rows: list[ComplianceRow]) -> dict[str, int]:
    return {
        "due": sum(r.due for r in rows),
        "done": sum(r.done for r in rows),
        "planned": sum(r.planned for r in rows),
        "missing": sum(r.missing for r in rows),
    }


def calendar(user, year: int, month: int) -> QuerySet[Drill]:
    """The drills of a month the person sees (double-blind ones hidden as ``visible_drills`` says)."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return (
        access.visible_drills(user)
        .filter(planned_date__gte=first, planned_date__lt=last)
        .select_related("unit", "organiser")
        .order_by("planned_date", "pk")
    )


def drill_list(user, *, state: str = "", q: str = "") -> QuerySet[Drill]:
    drills = access.visible_drills(user).select_related("unit", "organiser").order_by("-planned_date", "-pk")
    if state in DrillState.values:
        drills = drills.filter(state=state)
    if q:
        drills = drills.filter(Q(title__icontains=q) | Q(unit__name__icontains=q))
    return drills


def untrained_officers(user, top: GridUnit, year: int) -> list[Membership]:
    """Every grid officer and information officer (网格员, 信息员) in ``top``'s subtree not trained in ``year``."""
    scope = scope_for(user)
    from drills.models import Training

    top = GridUnit.objects.get(pk=top.pk)
    trained = Training.objects.filter(held_on__year=year).values("attendees")
    return list(
        Membership.objects.active()
        .filter(scope.unit_q("unit__"), role__in=OFFICER_ROLES, unit__in=GridUnit.objects.within(top))
        .exclude(user_id__in=trained)
        .select_related("user", "unit")
        .order_by("unit__tree_id", "unit__lft", "user_id")
    )
