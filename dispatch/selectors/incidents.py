"""Reads of the incidents, within the person's scope: the filtered list and the statistics."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.access import (  # who may see and do what: dispatch/access.py
    visible_incidents,
)
from dispatch.models import (
    Incident,
    IncidentCategory,
    IncidentTier,
    IncidentType,
    Level,
)
from grids.models import User
from grids.scope import scope_for


def incident_list(user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Incident]:
    """Visible incidents, newest first, with type and unit joined and two flags per row: ``any_late``
    (some tier was late) and ``reached_me`` (it arrived at a tier where the person holds a role)."""
    filters = filters or {}
    queryset = visible_incidents(user)
    if filters.get("category"):
        queryset = queryset.filter(category=filters["category"])
    if filters.get("level"):
        queryset = queryset.filter(level=int(filters["level"]))
    if filters.get("date_from"):
        queryset = queryset.filter(occurred_at__gte=_midnight(filters["date_from"]))
    if filters.get("date_to"):
        queryset = queryset.filter(occurred_at__lt=_midnight(filters["date_to"] + datetime.timedelta(days=1)))
    if filters.get("late"):
        queryset = queryset.filter(
            Exists(IncidentTier.objects.filter(Q(phone_late=True) | Q(written_late=True), incident=OuterRef("pk")))
        )
    late = IncidentTier.objects.filter(Q(phone_late=True) | Q(written_late=True), incident=OuterRef("pk"))
    own = scope_for(user).own_unit_ids()
    reached = IncidentTier.objects.filter(incident=OuterRef("pk"), unit_id__in=own or [0], received_at__isnull=False)
    return (
        queryset.select_related("type", "unit")
        .annotate(any_late=Exists(late), reached_me=Exists(reached))
        .order_by("-occurred_at", "-id")
    )


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


PERIODS = ("month", "quarter", "year")


TRUNC = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


@dataclass
class StatLine:
    """One row of the statistics: a period, a category or a level."""

    key: Any
    label: str
    count: int = 0
    deaths: int = 0
    injured: int = 0
    missing: int = 0
    loss: Decimal = Decimal("0.00")
    by_category: dict[str, int] = field(default_factory=dict)
    by_level: dict[int, int] = field(default_factory=dict)

    def add(self, row: Mapping[str, Any]) -> None:
        self.count += row["n"]
        self.deaths += row["deaths"] or 0
        self.injured += row["injured"] or 0
        self.missing += row["missing"] or 0
        self.loss += row["loss"] or Decimal(0)
        self.by_category[row["category"]] = self.by_category.get(row["category"], 0) + row["n"]
        self.by_level[row["level"]] = self.by_level.get(row["level"], 0) + row["n"]

    @property
    def category_counts(self) -> list[int]:
        """Counts per category in the order of ``IncidentCategory`` (for tables)."""
        return [self.by_category.get(value, 0) for value in IncidentCategory.values]

    @property
    def level_counts(self) -> list[int]:
        return [self.by_level.get(value, 0) for value in Level.values]

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": str(self.key),
            "label": self.label,
            "count": self.count,
            "deaths": self.deaths,
            "injured": self.injured,
            "missing": self.missing,
            "direct_loss": str(self.loss),
            "by_category": self.by_category,
            "by_level": {str(k): v for k, v in self.by_level.items()},
        }


@dataclass
class IncidentStatistics:
    period: str
    year: int
    rows: list[StatLine]
    total: StatLine
    categories: list[StatLine]
    levels: list[StatLine]

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "year": self.year,
            "rows": [r.as_dict() for r in self.rows],
            "total": self.total.as_dict(),
            "categories": [c.as_dict() for c in self.categories],
            "levels": [lv.as_dict() for lv in self.levels],
        }


def _period_label(period: str, day: datetime.date) -> str:
    if period == "month":
        return _("%(year)d-%(month)02d") % {"year": day.year, "month": day.month}
    if period == "quarter":
        return _("%(year)d Q%(quarter)d") % {"year": day.year, "quarter": (day.month - 1) // 3 + 1}
    return str(day.year)


def incident_statistics(
    user: User, *, year: int, period: str = "month", filters: Mapping[str, Any] | None = None
) -> IncidentStatistics:
    """Incidents in the person's scope by month, quarter (of ``year``) or year (every year): count,
    dead, injured, missing and direct loss, by category and by level. One GROUP BY query."""
    if period not in PERIODS:
        raise ValidationError(_("Choose month, quarter or year."))
    filters = filters or {}
    queryset = visible_incidents(user)
    if period != "year":
        queryset = queryset.filter(
            occurred_at__gte=_midnight(datetime.date(year, 1, 1)),
            occurred_at__lt=_midnight(datetime.date(year + 1, 1, 1)),
        )
    if filters.get("category"):
        queryset = queryset.filter(category=filters["category"])
    if filters.get("level"):
        queryset = queryset.filter(level=int(filters["level"]))
    rows = list(
        queryset.annotate(bucket=TRUNC[period]("occurred_at", tzinfo=timezone.get_current_timezone()))
        .values("bucket", "category", "level")
        .annotate(
            n=Count("id"), deaths=Sum("deaths"), injured=Sum("injured"), missing=Sum("missing"), loss=Sum("direct_loss")
        )
        .order_by()
    )
    lines: dict[datetime.date, StatLine] = {}
    if period == "month":
        for month in range(1, 13):
            day = datetime.date(year, month, 1)
            lines[day] = StatLine(day, _period_label(period, day))
    elif period == "quarter":
        for quarter in range(4):
            day = datetime.date(year, quarter * 3 + 1, 1)
            lines[day] = StatLine(day, _period_label(period, day))
    categories = {value: StatLine(value, str(label)) for value, label in IncidentCategory.choices}
    levels = {value: StatLine(value, str(label)) for value, label in Level.choices}
    total = StatLine("total", _("Total"))
    for row in rows:
        bucket = row["bucket"]
        day = timezone.localtime(bucket).date() if isinstance(bucket, datetime.datetime) else bucket
        if day not in lines:
            lines[day] = StatLine(day, _period_label(period, day))
        lines[day].add(row)
        categories[row["category"]].add(row)
        levels[row["level"]].add(row)
        total.add(row)
    ordered = [lines[key] for key in sorted(lines, reverse=(period == "year"))]
    return IncidentStatistics(
        period=period,
        year=year,
        rows=ordered,
        total=total,
        categories=list(categories.values()),
        levels=list(levels.values()),
    )


def group_types(types: Iterable[IncidentType]) -> list[tuple[str, str, list[IncidentType]]]:
    """Incident types under their four categories, in the rule table's order: (value, label, types)."""
    groups: dict[str, list[IncidentType]] = defaultdict(list)
    for item in types:
        groups[item.category].append(item)
    return [(value, str(label), groups[value]) for value, label in IncidentCategory.choices if groups[value]]
