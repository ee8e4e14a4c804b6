"""The warnings and incidents sections of a risk-consultation briefing (风险会商研判).

Registered from ``dispatch/apps.py`` (``core.registry.register_briefing_section``):
``reports.services.consultation_briefings`` calls it for the units consulting in one period and stores each unit's two sections in its briefing (JSON: only plain numbers,
strings and lists). Queries: a fixed number per tier present among ``units`` (normally one tier),
whatever the number of units or incidents.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from core.periods import bounds
from delivery.models import Document
from dispatch.models import LEVEL_COLOURS, Incident, IncidentCategory, Level, Warning
from grids.models import GridUnit
from grids.selectors import ancestor_at

CENTS = Decimal("0.01")  # SQLite sums decimals without their places; PostgreSQL keeps them

LARGEST = 5  # incidents listed per unit


def briefing_sections(units: list[GridUnit], start: datetime.date, end: datetime.date) -> dict[int, dict[str, Any]]:
    """For each unit: ``incidents`` (in its subtree, happened from ``start`` to ``end`` inclusive:
    count, dead, injured, missing, direct loss, by category, the largest) and ``warnings`` (the
    warnings delivered to the unit itself in the period: count, by type, by level)."""
    begin, stop = bounds(start, end)
    result: dict[int, dict[str, Any]] = {}
    by_level: dict[int, list[GridUnit]] = defaultdict(list)
    for unit in units:
        by_level[unit.level].append(unit)
    categories = dict(IncidentCategory.choices)
    levels = dict(Level.choices)
    for level, group in by_level.items():
        key_of = {unit.pk: (unit.tree_id if level == 0 else unit.pk) for unit in group}
        keys = set(key_of.values())
        base = Incident.objects.filter(
            occurred_at__gte=begin,
            occurred_at__lt=stop,
            unit__level__gte=level,
            unit__tree_id__in={unit.tree_id for unit in group},
        )
        base = base.annotate(anchor=ancestor_at(level)).filter(anchor__in=keys)
        totals: dict[int, dict[str, Any]] = {}
        for row in (
            base.values("anchor", "category")
            .annotate(
                n=Count("id"),
                deaths=Sum("deaths"),
                injured=Sum("injured"),
                missing=Sum("missing"),
                loss=Sum("direct_loss"),
            )
            .order_by()
        ):
            entry = totals.setdefault(
                row["anchor"],
                {"count": 0, "deaths": 0, "injured": 0, "missing": 0, "direct_loss": Decimal(0), "by_category": []},
            )
            entry["count"] += row["n"]
            entry["deaths"] += row["deaths"] or 0
            entry["injured"] += row["injured"] or 0
            entry["missing"] += row["missing"] or 0
            entry["direct_loss"] += row["loss"] or Decimal(0)
            entry["by_category"].append(
                {"category": row["category"], "label": str(categories.get(row["category"], "")), "count": row["n"]}
            )
        largest: dict[int, list[dict[str, Any]]] = defaultdict(list)
        ranked = (
            base.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("anchor")],
                    order_by=[
                        F("deaths").desc(),
                        F("injured").desc(),
                        F("direct_loss").desc(),
                        F("occurred_at").desc(),
                    ],
                )
            )
            .filter(rank__lte=LARGEST)
            .order_by("anchor", "rank")
        )
        for row in ranked.values(
            "anchor",
            "pk",
            "number",
            "title",
            "occurred_at",
            "level",
            "deaths",
            "injured",
            "missing",
            "direct_loss",
            "unit__name",
            "type__name",
        ):
            largest[row["anchor"]].append(
                {
                    "id": row["pk"],
                    "number": row["number"],
                    "title": row["title"],
                    "unit": row["unit__name"],
                    "type": row["type__name"],
                    "occurred_at": timezone.localtime(row["occurred_at"]).isoformat(),
                    "level": row["level"],
                    "level_label": str(levels.get(row["level"], "")),
                    "colour": LEVEL_COLOURS.get(row["level"], ""),
                    "deaths": row["deaths"],
                    "injured": row["injured"],
                    "missing": row["missing"],
                    "direct_loss": str(Decimal(row["direct_loss"]).quantize(CENTS)),
                }
            )
        for unit in group:
            key = key_of[unit.pk]
            entry = totals.get(
                key, {"count": 0, "deaths": 0, "injured": 0, "missing": 0, "direct_loss": Decimal(0), "by_category": []}
            )
            entry = {
                **entry,
                "direct_loss": str(Decimal(entry["direct_loss"]).quantize(CENTS)),
                "by_category": sorted(entry["by_category"], key=lambda c: -c["count"]),
                "largest": largest.get(key, []),
            }
            result[unit.pk] = {"incidents": entry}

    warnings = _warnings_section([unit.pk for unit in units], begin, stop)
    for unit in units:
        result.setdefault(unit.pk, {})["warnings"] = warnings.get(unit.pk, {"count": 0, "by_type": [], "by_level": []})
    return result


def _warnings_section(unit_ids: list[int], begin: datetime.datetime, stop: datetime.datetime) -> dict[int, dict]:
    """Warnings delivered (reports.Delivery of the warning's Document) to each unit in the period."""
    if not unit_ids:
        return {}
    rows = (
        Warning.objects.filter(
            Q(
                document__kind=Document.Kind.WARNING,
                document__sent_at__gte=begin,
                document__sent_at__lt=stop,
                document__deliveries__recipient_unit_id__in=unit_ids,
            )
        )
        .values("document__deliveries__recipient_unit_id", "type__name", "level")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    section: dict[int, dict[str, Any]] = {}
    distinct: dict[int, int] = defaultdict(int)
    by_type: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_level: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    levels = dict(Level.choices)
    for row in rows:
        unit_id = row["document__deliveries__recipient_unit_id"]
        distinct[unit_id] += row["n"]  # (type, level) pairs partition a unit's warnings
        by_type[unit_id][row["type__name"]] += row["n"]
        by_level[unit_id][row["level"]] += row["n"]
    for unit_id, count in distinct.items():
        section[unit_id] = {
            "count": count,
            "by_type": sorted(
                ({"type": name, "count": n} for name, n in by_type[unit_id].items()), key=lambda item: -item["count"]
            ),
            "by_level": [
                {
                    "level": level,
                    "label": str(levels.get(level, "")),
                    "colour": LEVEL_COLOURS.get(level, ""),
                    "count": by_level[unit_id][level],
                }
                for level in sorted(by_level[unit_id])
            ],
        }
    return section
