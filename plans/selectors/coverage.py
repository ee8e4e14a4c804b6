"""Coverage reads (横向到边、纵向到底): the required plans of every unit in the person's scope, and
the open hazards and recent incidents that no plan in force at the unit or above it covers.

Each read is a constant number of queries, one per table (units, the units above the scope,
required-plan rows, plans in force, the plans' categories and types, grouped hazards, grouped
incidents, the category lists); "in the subtree" and "above" are computed in Python from the tree
(each unit's parent, and the MPTT ranges of the few units above the scope)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from dispatch.access import visible_incidents
from dispatch.models import IncidentType
from grids.models import GridUnit, above_q
from grids.scope import scope_for
from hazards.access import visible_hazards
from hazards.models import HazardCategory
from plans.models import Plan, PlanKind, RequiredPlan, VersionState

IN_FORCE = (VersionState.IN_FORCE, VersionState.REVISING)
UNIT_FIELDS = (
    "id",
    "name",
    "code",
    "kind",
    "parent_id",
    "tree_id",
    "lft",
    "rght",
    "level",
    "is_active",
    "is_hazardous",
)


def incident_years() -> int:
    """How far back an incident type counts (settings.PLANS_COVERAGE_INCIDENT_YEARS, 3 by default:
    the plans' 3-year evaluation cycle, RULES.md §5.1)."""
    return int(getattr(settings, "PLANS_COVERAGE_INCIDENT_YEARS", 3))


@dataclass
class CoverageFilters:
    township: int | None = None
    kind: int | None = None


@dataclass
class Cell:
    kind: PlanKind
    required: bool
    plans: list[Plan] = field(default_factory=list)
    rule: str = ""

    @property
    def gap(self) -> bool:
        return self.required and not self.plans


@dataclass
class Row:
    unit: GridUnit
    cells: list[Cell]


@dataclass
class Group:
    """The units of one township (or park, or the county's own row), in tree order."""

    head: GridUnit
    rows: list[Row] = field(default_factory=list)


@dataclass
class CoverageTable:
    kinds: list[PlanKind]
    groups: list[Group]
    townships: list[GridUnit]
    all_kinds: list[PlanKind]

    @property
    def required(self) -> int:
        return sum(cell.required for group in self.groups for row in group.rows for cell in row.cells)

    @property
    def gaps(self) -> int:
        return sum(cell.gap for group in self.groups for row in group.rows for cell in row.cells)


@dataclass
class Gap:
    unit: GridUnit
    source: str  # "hazard" or "incident"
    category: HazardCategory | IncidentType
    count: int
    url: str


@dataclass
class GapGroup:
    head: GridUnit
    gaps: list[Gap] = field(default_factory=list)


@dataclass
class _Tree:
    """The units in scope (tree order, by id) and the units above the scope."""

    units: list[GridUnit]
    by_id: dict[int, GridUnit]
    above: list[GridUnit]

    def head_of(self, unit: GridUnit) -> GridUnit:
        """The unit's township (tier 2), or the unit itself at tier 1 or 2."""
        if unit.level <= 1:
            return unit
        parent = self.by_id.get(unit.parent_id) or next((u for u in self.above if u.pk == unit.parent_id), None)
        return parent or unit

    def chain(self, unit: GridUnit):
        """``unit`` and its ancestors within the scope, nearest first."""
        while unit is not None:
            yield unit
            unit = self.by_id.get(unit.parent_id)


def _tree(user) -> _Tree:
    scope = scope_for(user)
    units = list(scope.units().only(*UNIT_FIELDS).order_by("tree_id", "lft"))
    by_id = {unit.pk: unit for unit in units}
    outermost = [unit for unit in units if unit.parent_id not in by_id]
    above: list[GridUnit] = []
    tops = [unit for unit in outermost if unit.parent_id]
    if tops:
        condition = reduce(or_, (above_q(unit) for unit in tops))
        above = list(GridUnit.objects.filter(condition).exclude(pk__in=[u.pk for u in tops]).only(*UNIT_FIELDS))
    return _Tree(units=units, by_id=by_id, above=above)


def _plans_in_force(user, tree: _Tree, *, with_above: bool):
    """Plans whose version in force is in force (or being revised), at a unit in scope (and, with
    ``with_above``, at a unit above the scope: they cover the units below them)."""
    condition = scope_for(user).unit_q("unit__")
    if with_above and tree.above:
        condition |= reduce(or_, (above_q(unit, "unit__") for unit in tree.above))
    return Plan.objects.filter(condition, current_version__state__in=IN_FORCE)


# --- the coverage table --------------------------------------------------------------------------


def coverage_table(user, filters: CoverageFilters | None = None) -> CoverageTable:
    """Units × required plan kinds for the person's scope: each cell the plans in force of that
    kind owned by the unit, a gap (required, none in force) or not required."""
    filters = filters or CoverageFilters()
    tree = _tree(user)
    rules = list(RequiredPlan.objects.filter(is_active=True).select_related("plan_kind"))
    all_kinds = sorted({rule.plan_kind for rule in rules}, key=lambda k: (k.order, k.pk))
    kinds = [k for k in all_kinds if filters.kind in (None, k.pk)]
    plans = defaultdict(list)
    for plan in (
        _plans_in_force(user, tree, with_above=False)
        .filter(kind__in=[k.pk for k in kinds])
        .only("id", "title", "unit_id", "kind_id")
        .order_by("title", "id")
    ):
        plans[(plan.unit_id, plan.kind_id)].append(plan)
    townships = [unit for unit in tree.units if unit.level == 1]
    groups: dict[int, Group] = {}
    for unit in tree.units:
        if not unit.is_active:
            continue
        head = tree.head_of(unit)
        if filters.township and head.pk != filters.township:
            continue
        cells = []
        for kind in kinds:
            rule = next((r for r in rules if r.plan_kind_id == kind.pk and r.applies_to(unit)), None)
            cells.append(
                Cell(
                    kind=kind,
                    required=rule is not None,
                    plans=plans[(unit.pk, kind.pk)],
                    rule=rule.rule if rule else "",
                )
            )
        if not any(cell.required or cell.plans for cell in cells):
            continue
        groups.setdefault(head.pk, Group(head=head)).rows.append(Row(unit=unit, cells=cells))
    return CoverageTable(kinds=kinds, groups=list(groups.values()), townships=townships, all_kinds=all_kinds)


# --- coverage against the live hazard register -----------------------------------------------------


def _covered(tree: _Tree, plan_sets: dict[int, set[int]]) -> dict[int, set[int]]:
    """For each unit in scope: the categories (or types) covered by a plan at it or above it."""
    covered: dict[int, set[int]] = {}
    for unit in tree.units:  # tree order: a parent comes before its children
        if unit.parent_id in covered:
            inherited = covered[unit.parent_id]
        else:
            inherited = set()
            for up in tree.above:
                if up.tree_id == unit.tree_id and up.lft < unit.lft and unit.rght < up.rght:
                    inherited |= plan_sets.get(up.pk, set())
        covered[unit.pk] = inherited | plan_sets.get(unit.pk, set())
    return covered


def _in_subtree(tree: _Tree, counts) -> dict[int, dict[int, int]]:
    """``{unit id: {category id: count}}`` summed over each unit's subtree (within the scope)."""
    totals: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for unit_id, category_id, count in counts:
        unit = tree.by_id.get(unit_id)
        if unit is None:
            continue  # seen through another route (an incident that reached one's tier)
        for holder in tree.chain(unit):
            totals[holder.pk][category_id] += count
    return totals


def hazard_gaps(user, filters: CoverageFilters | None = None) -> list[GapGroup]:
    """Per township: each unit's hazard categories with open hazards in its subtree, and incident
    types seen there in the last ``incident_years()``, that no plan in force at the unit or above
    it covers, each with a link to the hazards (or incidents) that make the gap."""
    filters = filters or CoverageFilters()
    tree = _tree(user)
    plans = _plans_in_force(user, tree, with_above=True)
    plan_units = dict(plans.values_list("id", "unit_id"))
    category_sets: dict[int, set[int]] = defaultdict(set)
    for plan_id, category_id in Plan.hazard_categories.through.objects.filter(plan__in=plans).values_list(
        "plan_id", "hazardcategory_id"
    ):
        category_sets[plan_units[plan_id]].add(category_id)
    type_sets: dict[int, set[int]] = defaultdict(set)
    for plan_id, type_id in Plan.incident_types.through.objects.filter(plan__in=plans).values_list(
        "plan_id", "incidenttype_id"
    ):
        type_sets[plan_units[plan_id]].add(type_id)
    hazards = visible_hazards(user).open().values("unit_id", "category_id").annotate(n=Count("pk")).order_by()
    since = timezone.now() - datetime.timedelta(days=365 * incident_years())
    incidents = (
        visible_incidents(user)
        .filter(occurred_at__gte=since)
        .values("unit_id", "type_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    hazard_totals = _in_subtree(tree, ((r["unit_id"], r["category_id"], r["n"]) for r in hazards))
    incident_totals = _in_subtree(tree, ((r["unit_id"], r["type_id"], r["n"]) for r in incidents))
    categories = {c.pk: c for c in HazardCategory.objects.all()} if hazard_totals else {}
    types = {t.pk: t for t in IncidentType.objects.all()} if incident_totals else {}
    covered_categories = _covered(tree, category_sets)
    covered_types = _covered(tree, type_sets)
    hazard_list, incident_list = reverse("hazards:list"), reverse("dispatch:incident_list")
    since_date = timezone.localdate(since).isoformat()
    groups: dict[int, GapGroup] = {}
    for unit in tree.units:
        head = tree.head_of(unit)
        if filters.township and head.pk != filters.township:
            continue
        gaps = []
        for category_id, count in sorted(hazard_totals.get(unit.pk, {}).items()):
            if category_id not in covered_categories[unit.pk]:
                query = urlencode({"unit": unit.pk, "category": category_id, "state": "open"})
                gaps.append(Gap(unit, "hazard", categories[category_id], count, f"{hazard_list}?{query}"))
        for type_id, count in sorted(incident_totals.get(unit.pk, {}).items()):
            if type_id not in covered_types[unit.pk]:
                kind = types[type_id]
                query = urlencode({"category": kind.category, "date_from": since_date})
                gaps.append(Gap(unit, "incident", kind, count, f"{incident_list}?{query}"))
        if gaps:
            groups.setdefault(head.pk, GapGroup(head=head)).gaps.extend(gaps)
    return list(groups.values())


def coverage_townships(user) -> list[GridUnit]:
    """The townships and parks in the person's scope (the filter's choices)."""
    return list(scope_for(user).units().filter(level=1, is_active=True).only("id", "name").order_by("tree_id", "lft"))
