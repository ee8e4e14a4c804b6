"""Reads of the hazard register that respect scope: the list, the risk map, the statistics table
(网格隐患统计表), the dashboard and the department copies.

Every function takes the user and starts from ``hazards.access.visible_hazards`` (or the user's
department), so what one page shows the others show too. ``filters`` is the cleaned data of
``hazards.filters.HazardFilterSet`` (a plain dict: missing or empty keys do not filter), so the
benchmark command and the API can call these with a dict of their own.

Queries scale with the page, not the register: the list is one page of rows with its relations
joined, the map is at most one capped point query plus one GROUP BY, the statistics table is one
GROUP BY, the dashboard one aggregate and the trend two GROUP BYs.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db.models import Avg, Case, Count, F, FloatField, IntegerField, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Floor, TruncMonth
from django.utils import timezone

from core.periods import month_start
from grids.models import GridUnit, User, within_q
from grids.rules import TIER_OF_KIND
from grids.scope import scope_for
from hazards import rollup, tallies
from hazards.access import visible_hazards
from hazards.models import OPEN_STATES, Grade, Hazard, HazardCopy, RiskLevel, State
from hazards.statistics import (  # noqa: F401  (the table's names, for the views)
    COLUMNS_CATEGORY,
    COLUMNS_FAMILY,
    MEASURES_STATE,
    MEASURES_SUMMARY,
    StatisticsTable,
    build_table,
)

Filters = Mapping[str, Any]

# Above this many matching points the map gets server-side buckets instead of points.
# Overridable per site with settings.HAZARDS_MAP_POINT_LIMIT (read at call time).
MAP_POINT_LIMIT = 3000
# A bucket is about this many screen pixels wide at the requested zoom (256-px tiles).
MAP_BUCKET_PIXELS = 64
DEFAULT_MAP_ZOOM = 9
# The deepest level of the grid tree (tier 3 = level 2): the statistics table walks parents up to it.
MAX_LEVEL = max(TIER_OF_KIND.values()) - 1
LEVEL_NONE = tallies.LEVEL_NONE  # filter value for hazards not graded yet
STATE_OPEN = tallies.STATE_OPEN  # filter value: every state before closing


# --- the list -----------------------------------------------------------------------------------


def apply_filters(queryset: QuerySet[Hazard], filters: Filters | None) -> QuerySet[Hazard]:
    """Narrow a hazard queryset by the shared filters (the same for list, map, export and statistics)."""
    filters = filters or {}
    unit: GridUnit | None = filters.get("unit")
    if unit is not None:
        queryset = queryset.filter(within_q(unit, "unit__"))
    if filters.get("category"):
        queryset = queryset.filter(category=filters["category"])
    if filters.get("family"):
        queryset = queryset.filter(family=filters["family"])
    if filters.get("grade"):
        queryset = queryset.filter(grade=filters["grade"])
    level = filters.get("level")
    if level == LEVEL_NONE:
        queryset = queryset.filter(risk_level__isnull=True)
    elif level:
        queryset = queryset.filter(risk_level=int(level))
    state = filters.get("state")
    if state == STATE_OPEN:
        queryset = queryset.filter(state__in=OPEN_STATES)
    elif state:
        queryset = queryset.filter(state=state)
    if filters.get("overdue"):
        queryset = queryset.filter(overdue_since__isnull=False, state=State.RECTIFYING)
    if filters.get("supervised"):
        queryset = queryset.filter(supervised=True)
    start: datetime.date | None = filters.get("found_from")
    if start:
        queryset = queryset.filter(found_at__gte=_local_midnight(start))
    end: datetime.date | None = filters.get("found_to")
    if end:
        queryset = queryset.filter(found_at__lt=_local_midnight(end + datetime.timedelta(days=1)))
    text = (filters.get("q") or "").strip()
    if text:
        queryset = queryset.filter(Q(number__icontains=text) | Q(title__icontains=text) | Q(address__icontains=text))
    return queryset


def hazard_list(user: User, filters: Filters | None = None) -> QuerySet[Hazard]:
    """The register list: visible hazards matching ``filters``, newest first, relations joined
    (unit, category, owning unit, supervising department) so a page costs the same at any size."""
    return (
        apply_filters(visible_hazards(user), filters)
        .select_related("unit", "owner_unit", "category", "supervising_department")
        .order_by("-found_at", "-id")
    )


# What a row of the register page shows (``{% hazard_rows %}``): fifty hazards of some forty
# columns, each with four relations, were the page's largest Python cost after its template.
LIST_ROW_FIELDS = (
    "number", "title", "unit_id", "owner_unit_id", "category_id", "supervising_department_id", "grade",
    "risk_level", "state", "deadline", "overdue_since", "supervised", "found_at",
    "unit__name", "unit__parent_id", "owner_unit__name", "category__name", "category__name_en",
    "supervising_department__name", "supervising_department__short_name",
)  # fmt: skip


def hazard_count(user: User, filters: Filters | None = None) -> int | None:
    """How many hazards ``hazard_list`` would give, summed from the roll-ups (one query over at
    most a few thousand rows, never the register); None when the roll-ups cannot answer (a text
    or date filter, department staff) and the list must count its rows."""
    filters = filters or {}
    unit_ids = tallies.roots(user, filters.get("unit"))
    condition = tallies.tally_filter(filters)
    if unit_ids is None or condition is None:
        return None
    return tallies.total(unit_ids, condition)


def _only_unit(filters: Filters | None) -> bool:
    """No filter but the unit: the maps and the dashboard read their roll-ups, which have no
    columns for the other filters (the list and the statistics table map them: ``tally_filter``)."""
    return not any(value for key, value in (filters or {}).items() if key != "unit")


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- the risk map -------------------------------------------------------------------------------


def map_point_limit() -> int:
    return int(getattr(settings, "HAZARDS_MAP_POINT_LIMIT", MAP_POINT_LIMIT))


def bucket_size(zoom: int | None) -> float:
    """Width in degrees of a map bucket at ``zoom``: about MAP_BUCKET_PIXELS screen pixels."""
    zoom = DEFAULT_MAP_ZOOM if zoom is None else max(0, min(int(zoom), 20))
    return 360.0 / (2**zoom) * MAP_BUCKET_PIXELS / 256.0


def map_points(
    user: User,
    filters: Filters | None = None,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    zoom: int | None = None,
    limit: int | None = None,
) -> dict:
    """Located hazards for the risk map, inside ``bbox`` (west, south, east, north) when given.

    Up to ``limit`` matches (settings.HAZARDS_MAP_POINT_LIMIT, default 3000) come back one by one
    (``mode: "points"``). Above that, PostgreSQL groups them into square buckets of a size derived
    from ``zoom`` (``mode: "clusters"``): each with its count, the mean position of its hazards and
    the highest risk level among them (the smallest number; None when none is graded). Two queries
    at most, whatever the number of hazards: the capped point query, then one GROUP BY."""
    limit = map_point_limit() if limit is None else limit
    zoom_in = DEFAULT_MAP_ZOOM if zoom is None else max(0, min(int(zoom), 20))
    unit_ids = tallies.map_roots(user, (filters or {}).get("unit"))
    if unit_ids is not None and zoom_in <= rollup.MAP_ZOOM and _only_unit(filters):
        clusters = tallies.map_buckets(unit_ids, zoom_in, bbox)  # a county's or a township's map
        total = sum(c["count"] for c in clusters)
        if total > limit:
            return {"mode": "clusters", "total": total, "cell": bucket_size(zoom_in), "clusters": clusters}
    queryset = apply_filters(visible_hazards(user), filters).filter(lng__isnull=False, lat__isnull=False)
    if bbox is not None:
        west, south, east, north = bbox
        queryset = queryset.filter(lng__gte=west, lng__lte=east, lat__gte=south, lat__lte=north)
    queryset = queryset.order_by()
    rows = list(
        queryset.values_list("id", "number", "title", "risk_level", "state", "lng", "lat", "overdue_since")[: limit + 1]
    )
    if len(rows) <= limit:
        return {
            "mode": "points",
            "total": len(rows),
            "points": [
                {
                    "id": pk,
                    "number": number,
                    "title": title,
                    "level": level,
                    "state": state,
                    "overdue": overdue is not None and state == State.RECTIFYING,
                    "lng": lng,
                    "lat": lat,
                }
                for pk, number, title, level, state, lng, lat, overdue in rows
            ],
        }
    cell = bucket_size(zoom)
    size = Value(cell, output_field=FloatField())
    buckets = (
        queryset.annotate(ix=Floor(F("lng") / size), iy=Floor(F("lat") / size))
        .values("ix", "iy")
        .annotate(count=Count("id"), level=Min("risk_level"), lng=Avg("lng"), lat=Avg("lat"))
        .order_by()
    )
    clusters = [
        {"count": b["count"], "level": b["level"], "lng": round(b["lng"], 6), "lat": round(b["lat"], 6)}
        for b in buckets
    ]
    return {"mode": "clusters", "total": sum(c["count"] for c in clusters), "cell": cell, "clusters": clusters}


def map_boundaries(user: User, filters: Filters | None = None) -> dict:
    """GeoJSON of the grid boundaries to draw under the hazards: the chosen unit (or the user's top
    units) outlined, and the units one tier below it. One query."""
    scope = scope_for(user)
    unit = (filters or {}).get("unit")
    roots = [unit] if unit is not None else list(scope.top_units())
    if not roots:
        return {"type": "FeatureCollection", "features": []}
    condition = Q()
    for root in roots:
        condition |= within_q(root) & Q(level__lte=root.level + 1)
    root_ids = {root.pk for root in roots}
    units = (
        scope.units()
        .filter(condition, is_active=True, boundary__isnull=False)
        .only("id", "name", "kind", "level", "boundary")
        .order_by("tree_id", "lft")
    )
    features = [
        {
            "type": "Feature",
            "geometry": u.boundary,
            "properties": {"id": u.pk, "name": u.name, "tier": u.tier, "role": "root" if u.pk in root_ids else "child"},
        }
        for u in units
    ]
    return {"type": "FeatureCollection", "features": features}


# --- the statistics table (网格隐患统计表) -------------------------------------------------------
# The table's shape is hazards.statistics; here are its two sources (the roll-ups, the register).


def statistics_rows(user: User, root: GridUnit | None = None) -> tuple[list[GridUnit], list[GridUnit]]:
    """(roots, row units): the units one tier below ``root`` (default: the user's top units); a
    root with nothing below it is its own row. One query for the rows."""
    scope = scope_for(user)
    roots = [root] if root is not None else list(scope.top_units().order_by("tree_id", "lft"))
    parents = [r for r in roots if r.rght - r.lft > 1]
    rows: list[GridUnit] = []
    if parents:
        rows = list(
            scope.units()
            .filter(parent__in=parents)
            .only("id", "name", "kind", "code", "tree_id", "lft", "rght", "level", "parent_id", "is_active")
            .order_by("tree_id", "lft")
        )
    leaves = [r for r in roots if r.rght - r.lft <= 1]
    return roots, sorted([*rows, *leaves], key=lambda u: (u.tree_id, u.lft))


def statistics_table(
    user: User,
    filters: Filters | None = None,
    *,
    columns: str = COLUMNS_CATEGORY,
    measures: str = MEASURES_SUMMARY,
) -> StatisticsTable:
    """The grid hazard statistics table: rows = units one tier below the chosen root
    (``filters["unit"]``, default the user's top units), columns = categories (or families) ×
    measures (summary: total / open / overdue / closed, or one per state), with row, column and
    tier totals.

    All counts come from ONE GROUP BY over the visible hazards: each hazard is annotated with its
    ancestor among the row units. The grid has at most three tiers, so that ancestor is the
    hazard's unit, its parent or its grandparent; a CASE over those three primary keys (``IN`` the
    row ids, hashed by PostgreSQL) finds it with two joins on primary keys, which is the same
    answer as a tree_id/lft/rght range join and much cheaper over a million rows. Hazards located
    at the root unit itself (not in any row) get a row of their own."""
    filters = dict(filters or {})
    root = filters.pop("unit", None)
    roots, row_units = statistics_rows(user, root)
    row_ids = [u.pk for u in row_units]
    column_field = "category_id" if columns == COLUMNS_CATEGORY else "family"
    counted = tallies.roots(user, root)
    condition = tallies.tally_filter(filters)
    if counted is not None and condition is not None:
        groups = _statistics_groups_from_tallies(counted, row_ids, condition, column_field)
    else:
        groups = _statistics_groups(user, filters, roots, row_ids, column_field)
    return build_table(groups, roots, row_units, row_ids, columns, measures)


def _statistics_groups_from_tallies(counted: list[int], row_ids: list[int], condition: Q, column_field: str) -> list:
    """The statistics GROUP BY read from the roll-ups: the row units' own subtree tallies, and
    what the counted subtrees hold beyond their rows (hazards at the root unit itself)."""
    sums = (
        tallies.tallies({*counted, *row_ids}, condition)
        .values("unit_id", column_field, "state", "overdue")
        .annotate(n=Sum("n"))
    )
    rows = set(row_ids)
    counted_set = set(counted)
    outside: dict[tuple, int] = {}
    groups = []
    for s in sums:
        key = (s[column_field], s["state"], bool(s["overdue"]) and s["state"] == State.RECTIFYING)
        if s["unit_id"] in rows:
            groups.append({"row": s["unit_id"], "column": key[0], "state": key[1], "is_overdue": key[2], "n": s["n"]})
            outside[key] = outside.get(key, 0) - s["n"]
        if s["unit_id"] in counted_set:
            outside[key] = outside.get(key, 0) + s["n"]
    for (column, state, is_overdue), n in outside.items():
        if n > 0:
            groups.append({"row": None, "column": column, "state": state, "is_overdue": is_overdue, "n": n})
    return groups


def _statistics_groups(user: User, filters: Filters, roots: list[GridUnit], row_ids: list[int], column_field: str):
    queryset = apply_filters(visible_hazards(user), filters)
    if roots:
        in_roots = Q()
        for r in roots:
            in_roots |= within_q(r, "unit__")
        queryset = queryset.filter(in_roots)
    else:
        queryset = queryset.none()
    branches = []
    path = "unit"
    for _depth in range(MAX_LEVEL + 1):
        branches.append(When(**{f"{path}_id__in": row_ids}, then=F(f"{path}_id")))
        path += "__parent"
    row_of = Case(*branches, default=None, output_field=IntegerField()) if row_ids else Value(None, IntegerField())
    overdue = Case(
        When(overdue_since__isnull=False, state=State.RECTIFYING, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        queryset.order_by()
        .annotate(row=row_of, column=F(column_field), is_overdue=overdue)
        .values("row", "column", "state", "is_overdue")
        .annotate(n=Count("id"))
    )


# --- dashboard ----------------------------------------------------------------------------------


def dashboard_figures(user: User, filters: Filters | None = None) -> dict[str, Any]:
    """The headline figures of the user's scope: summed from the roll-ups (two small GROUP BYs)
    when they can answer, else one aggregate over the register."""
    unit_ids = tallies.roots(user, (filters or {}).get("unit"))
    if unit_ids is not None and _only_unit(filters):
        return _with_rate(tallies.dashboard(unit_ids, month_start()))
    start = _local_midnight(month_start())
    open_q = Q(state__in=OPEN_STATES)
    figures = (
        apply_filters(visible_hazards(user), filters)
        .order_by()
        .aggregate(
            total=Count("id"),
            rejected=Count("id", filter=Q(state=State.REJECTED)),
            closed=Count("id", filter=Q(state=State.CLOSED)),
            open=Count("id", filter=open_q),
            open_red=Count("id", filter=open_q & Q(risk_level=RiskLevel.RED)),
            open_orange=Count("id", filter=open_q & Q(risk_level=RiskLevel.ORANGE)),
            open_yellow=Count("id", filter=open_q & Q(risk_level=RiskLevel.YELLOW)),
            open_blue=Count("id", filter=open_q & Q(risk_level=RiskLevel.BLUE)),
            open_ungraded=Count("id", filter=open_q & Q(risk_level__isnull=True)),
            major=Count("id", filter=open_q & Q(grade=Grade.MAJOR)),
            supervised=Count("id", filter=open_q & Q(supervised=True)),
            overdue=Count("id", filter=Q(state=State.RECTIFYING, overdue_since__isnull=False)),
            reported_this_month=Count("id", filter=Q(found_at__gte=start)),
            closed_this_month=Count("id", filter=Q(state=State.CLOSED, closed_at__gte=start)),
        )
    )
    return _with_rate(figures)


def _with_rate(figures: dict[str, Any]) -> dict[str, Any]:
    counted = figures["total"] - figures["rejected"]
    # Rectification rate (整改率): closed ÷ hazards found and confirmed as hazards (rejected reports left out).
    figures["rectification_rate"] = round(100 * figures["closed"] / counted, 1) if counted else None
    return figures


def monthly_trend(user: User, months: int = 12, *, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """Hazards reported and closed per month over the last ``months`` months (this one included),
    oldest first: two GROUP BY queries, not one per month."""
    first = month_start(today)
    for _i in range(months - 1):
        first = month_start(first - datetime.timedelta(days=1))
    unit_ids = tallies.roots(user)
    if unit_ids is not None:
        found = tallies.months(unit_ids, first)
        reported = {month: n for (kind, month), n in found.items() if kind == rollup.FOUND}
        closed = {month: n for (kind, month), n in found.items() if kind == rollup.CLOSED}
        return _trend(first, months, reported, closed)
    start = _local_midnight(first)
    tz = timezone.get_current_timezone()
    base = visible_hazards(user).order_by()
    reported = {
        _as_date(r["month"]): r["n"]
        for r in base.filter(found_at__gte=start)
        .annotate(month=TruncMonth("found_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("id"))
    }
    closed = {
        _as_date(r["month"]): r["n"]
        for r in base.filter(state=State.CLOSED, closed_at__gte=start)
        .annotate(month=TruncMonth("closed_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("id"))
    }
    return _trend(first, months, reported, closed)


def _trend(first: datetime.date, months: int, reported: dict, closed: dict) -> list[dict[str, Any]]:
    trend = []
    month = first
    for _i in range(months):
        trend.append({"month": month, "reported": reported.get(month, 0), "closed": closed.get(month, 0)})
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return trend


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


# --- department copies (抄告) ---------------------------------------------------------------------


def department_copies(user: User) -> QuerySet[HazardCopy]:
    """The hazards copied to the user's department, newest first (a superuser: every copy).
    Others get nothing; the view refuses them before asking."""
    queryset = HazardCopy.objects.select_related(
        "hazard", "hazard__unit", "hazard__category", "department", "feedback_by"
    ).order_by("-created_at", "-id")
    scope = scope_for(user)
    return scope.filter_q(queryset, scope.department_q())
