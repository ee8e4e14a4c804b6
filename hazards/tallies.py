"""Reading the hazard roll-ups (``hazards.rollup`` keeps them): which subtrees make up a person's
view, the register's filters as a filter on the tallies, and the sums the pages need.

``roots`` is None when the tallies cannot answer (department staff also see the hazards copied to
their department, wherever they lie) and ``tally_filter`` is None for a filter the tallies do not
hold (a text search, a date range): the selectors then read the register itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import F, FloatField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Floor

from grids.models import GridUnit
from hazards.access import visible_subtrees
from hazards.models import OPEN_STATES, Grade, HazardMapTally, HazardMonthTally, HazardTally, State
from hazards.rollup import FOUND, MAP_COLUMNS, MAP_LEVELS, MAP_TOP_LEVEL, MAP_ZOOM, map_cell

LEVEL_NONE = "none"  # filter value for hazards not graded yet
STATE_OPEN = "open"  # filter value: every state before closing
TALLY_FILTERS = frozenset({"unit", "category", "family", "grade", "level", "state", "overdue", "supervised"})


def roots(user, unit: GridUnit | None = None) -> list[int] | None:
    """The units whose subtree tallies add up to what ``user`` sees of the register inside
    ``unit`` (default: all of it); None when the tallies cannot say (``visible_subtrees``)."""
    found = visible_subtrees(user, unit)
    return None if found is None else [pk for pk, _level in found]


def tally_filter(filters: Mapping[str, Any] | None) -> Q | None:
    """The register's filters (``hazards.filters``) as a filter on HazardTally, or None when one of
    them (a text search, a date range) is not a column of the tallies. ``unit`` is left to
    ``roots``."""
    filters = filters or {}
    if any(value not in (None, "", False, [], ()) for key, value in filters.items() if key not in TALLY_FILTERS):
        return None
    condition = Q()
    for name in ("category", "family", "grade"):
        if filters.get(name):
            condition &= Q(**{name: filters[name]})
    level = filters.get("level")
    if level == LEVEL_NONE:
        condition &= Q(level=0)
    elif level:
        condition &= Q(level=int(level))
    state = filters.get("state")
    if state == STATE_OPEN:
        condition &= Q(state__in=OPEN_STATES)
    elif state:
        condition &= Q(state=state)
    if filters.get("overdue"):
        condition &= Q(overdue=True, state=State.RECTIFYING)
    if filters.get("supervised"):
        condition &= Q(supervised=True)
    return condition


def tallies(unit_ids: Iterable[int], condition: Q | None = None) -> QuerySet[HazardTally]:
    """The tally rows of ``unit_ids`` matching ``condition``; kinds that have come down to zero
    are left out (they stay in the table for the next hazard of that kind)."""
    return HazardTally.objects.filter(condition or Q(), unit_id__in=list(unit_ids), n__gt=0).order_by()


def total(unit_ids: list[int], condition: Q) -> int:
    """The number of hazards in the subtrees of ``unit_ids`` matching ``condition``: one SUM."""
    if not unit_ids:
        return 0
    return tallies(unit_ids, condition).aggregate(n=Coalesce(Sum("n"), 0))["n"]


def months(unit_ids: list[int], first: datetime.date) -> dict[tuple[str, datetime.date], int]:
    """(kind, month) → hazards found or closed in the subtrees of ``unit_ids`` since ``first``."""
    if not unit_ids:
        return {}
    rows = (
        HazardMonthTally.objects.filter(unit_id__in=unit_ids, month__gte=first, n__gt=0)
        .order_by()
        .values("kind", "month")
        .annotate(total=Sum("n"))
    )
    return {(r["kind"], r["month"]): r["total"] for r in rows}


LEVEL_FIGURES = {1: "open_red", 2: "open_orange", 3: "open_yellow", 4: "open_blue", 0: "open_ungraded"}
FIGURES = (
    "total",
    "rejected",
    "closed",
    "open",
    *LEVEL_FIGURES.values(),
    "major",
    "supervised",
    "overdue",
    "reported_this_month",
    "closed_this_month",
)


def dashboard(unit_ids: list[int], month: datetime.date) -> dict[str, int]:
    """The dashboard's headline figures for the subtrees of ``unit_ids``, ``month`` being this
    month's first day: one GROUP BY over their tallies (at most a few hundred kinds) and one over
    their months."""
    figures = dict.fromkeys(FIGURES, 0)
    if not unit_ids:
        return figures
    groups = tallies(unit_ids).values("state", "level", "grade", "supervised", "overdue").annotate(total=Sum("n"))
    for group in groups:
        n, state = group["total"], group["state"]
        figures["total"] += n
        if state == State.REJECTED:
            figures["rejected"] += n
        elif state == State.CLOSED:
            figures["closed"] += n
        if state in OPEN_STATES:
            figures["open"] += n
            figures[LEVEL_FIGURES[group["level"]]] += n
            figures["major"] += n if group["grade"] == Grade.MAJOR else 0
            figures["supervised"] += n if group["supervised"] else 0
        if state == State.RECTIFYING and group["overdue"]:
            figures["overdue"] += n
    for (kind, _month), n in months(unit_ids, month).items():
        figures["reported_this_month" if kind == FOUND else "closed_this_month"] += n
    return figures


def map_roots(user, unit: GridUnit | None = None) -> list[int] | None:
    """``roots`` when the map tallies can answer: every subtree a county or a township."""
    found = visible_subtrees(user, unit)
    if found is None or any(level > MAP_TOP_LEVEL for _pk, level in found):
        return None
    return [pk for pk, _level in found]


def map_buckets(unit_ids: list[int], zoom: int, bbox: tuple[float, float, float, float] | None) -> list[dict]:
    """The risk map's buckets at ``zoom`` (at most MAP_ZOOM) summed from the map tallies of
    ``unit_ids``: each bucket a square of 2**(MAP_ZOOM - zoom) cells a side, with its count, the
    mean position of its hazards and the highest level among them. With ``bbox``, the cells that
    touch it. One GROUP BY over the cells of the subtrees, never the register."""
    if not unit_ids:
        return []
    side = float(2 ** (MAP_ZOOM - zoom))
    cells = HazardMapTally.objects.filter(unit_id__in=unit_ids, n__gt=0)
    if bbox is not None:
        west, south, east, north = bbox
        cells = cells.filter(
            ix__gte=map_cell(west), ix__lte=map_cell(east), iy__gte=map_cell(south), iy__lte=map_cell(north)
        )
    size = Value(side, output_field=FloatField())
    rows = (
        cells.order_by()
        .annotate(bx=Floor(F("ix") / size), by=Floor(F("iy") / size))
        .values("bx", "by")
        .annotate(**{name: Sum(name) for name in MAP_COLUMNS})
    )
    buckets = []
    for row in rows:
        level = next((n for n, name in zip(MAP_LEVELS[:4], MAP_COLUMNS[1:5], strict=True) if row[name]), None)
        buckets.append(
            {
                "count": row["n"],
                "level": level,
                "lng": round(row["sum_lng"] / row["n"], 6),
                "lat": round(row["sum_lat"] / row["n"], 6),
            }
        )
    return buckets
