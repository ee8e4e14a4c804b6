"""Hazard figures for many units at once: a constant number of aggregate queries, whatever the
number of units or hazards. Used by the monthly reports and the consultation briefings."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q

from core.periods import bounds
from grids.models import GridUnit
from hazards.models import Grade, Hazard, HazardCategory, HazardEvent, State

METRICS = ("new", "confirmed", "rectified", "closed", "rejected", "overdue", "open_start", "open_end")


def _empty() -> dict[str, int]:
    return dict.fromkeys(METRICS, 0)


def hazard_rows(*, start: datetime.date, end: datetime.date, unit_ids: list[int] | None = None) -> list[dict]:
    """Per (unit, category, grade, risk level): the metrics of the period [start, end]."""
    begin, stop = bounds(start, end)
    touching = Q(found_at__lt=stop) & (Q(closed_at__isnull=True) | Q(closed_at__gte=begin))
    queryset = Hazard.objects.filter(touching)
    if unit_ids is not None:
        queryset = queryset.filter(unit_id__in=unit_ids)
    open_at_end = Q(closed_at__isnull=True) | Q(closed_at__gte=stop)
    return list(
        queryset.values("unit_id", "category_id", "grade", "risk_level").annotate(
            new=Count("id", filter=Q(found_at__gte=begin)),
            closed=Count("id", filter=Q(state=State.CLOSED, closed_at__gte=begin, closed_at__lt=stop)),
            rejected=Count("id", filter=Q(state=State.REJECTED, closed_at__gte=begin, closed_at__lt=stop)),
            open_start=Count("id", filter=Q(found_at__lt=begin)),
            open_end=Count("id", filter=open_at_end & ~Q(state=State.REJECTED)),
            overdue=Count(
                "id",
                filter=open_at_end & Q(overdue_since__isnull=False, overdue_since__lt=end + datetime.timedelta(days=1)),
            ),
        )
    )


def event_rows(*, start: datetime.date, end: datetime.date) -> dict[int, dict[str, int]]:
    """Per unit: hazards confirmed and hazards reported rectified during the period."""
    begin, stop = bounds(start, end)
    result: dict[int, dict[str, int]] = defaultdict(lambda: {"confirmed": 0, "rectified": 0})
    rows = (
        HazardEvent.objects.filter(
            at__gte=begin, at__lt=stop, action__in=[HazardEvent.Action.CONFIRM, HazardEvent.Action.EVIDENCE]
        )
        .values("hazard__unit_id", "action")
        .annotate(n=Count("hazard_id", distinct=True))
    )
    for row in rows:
        key = "confirmed" if row["action"] == HazardEvent.Action.CONFIRM else "rectified"
        result[row["hazard__unit_id"]][key] = row["n"]
    return result


def major_rows(*, start: datetime.date, end: datetime.date) -> dict[int, list[dict]]:
    begin, stop = bounds(start, end)
    rows = (
        Hazard.objects.filter(grade=Grade.MAJOR, found_at__lt=stop)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=begin))
        .values("unit_id", "number", "title", "state", "supervised", "unit__name")
        .order_by("found_at")
    )
    result: dict[int, list[dict]] = defaultdict(list)
    labels = dict(State.choices)
    for row in rows:
        result[row["unit_id"]].append(
            {
                "number": row["number"],
                "title": row["title"],
                "state": row["state"],
                "state_display": str(labels[row["state"]]),
                "unit": row["unit__name"],
                "supervised": row["supervised"],
            }
        )
    return result


def monthly_figures(*, start: datetime.date, end: datetime.date, units: list[GridUnit]) -> dict[int, dict]:
    """Figures for each unit in ``units``: its own hazards, and for tier 2 its tier-3 units rolled up."""
    children: dict[int, list[dict]] = defaultdict(list)
    tier2_ids = [u.pk for u in units if u.tier == 2]
    for child in (
        GridUnit.objects.filter(parent_id__in=tier2_ids, is_active=True)
        .values("id", "parent_id", "name", "code")
        .order_by("code")
    ):
        children[child["parent_id"]].append(child)
    categories = dict(HazardCategory.objects.values_list("id", "name"))
    per_unit: dict[int, list[dict]] = defaultdict(list)
    for row in hazard_rows(start=start, end=end):
        per_unit[row["unit_id"]].append(row)
    events = event_rows(start=start, end=end)
    majors = major_rows(start=start, end=end)

    figures = {}
    for unit in units:
        members = [unit.pk] + [c["id"] for c in children.get(unit.pk, [])]
        rows = [row for member in members for row in per_unit.get(member, [])]
        block = _summarise(rows, categories)
        for member in members:
            block["totals"]["confirmed"] += events.get(member, {}).get("confirmed", 0)
            block["totals"]["rectified"] += events.get(member, {}).get("rectified", 0)
        block["majors"] = [m for member in members for m in majors.get(member, [])]
        if unit.tier == 2:
            block["children"] = []
            for child in children.get(unit.pk, []):
                totals = _summarise(per_unit.get(child["id"], []), categories)["totals"]
                block["children"].append(
                    {
                        "id": child["id"],
                        "name": child["name"],
                        "code": child["code"],
                        "new": totals["new"],
                        "closed": totals["closed"],
                        "open_end": totals["open_end"],
                        "found_nothing": totals["new"] == 0,
                    }
                )
        block["period"] = start.strftime("%Y-%m")
        figures[unit.pk] = block
    return figures


def _summarise(rows: list[dict], categories: dict[int, str]) -> dict:
    totals = _empty()
    by_category: dict[int, dict[str, int]] = defaultdict(_empty)
    by_grade: dict[str, dict[str, int]] = defaultdict(_empty)
    by_level: dict[str, dict[str, int]] = defaultdict(_empty)
    for row in rows:
        for metric in ("new", "closed", "rejected", "overdue", "open_start", "open_end"):
            value = row[metric]
            totals[metric] += value
            by_category[row["category_id"]][metric] += value
            by_grade[row["grade"]][metric] += value
            by_level[str(row["risk_level"] or 0)][metric] += value
    handled = totals["open_start"] + totals["new"] - totals["rejected"]
    return {
        "totals": totals,
        "rate": round(totals["closed"] / handled, 4) if handled > 0 else None,
        "by_category": [
            {"id": cid, "name": categories.get(cid, "?"), **values}
            for cid, values in sorted(by_category.items(), key=lambda item: categories.get(item[0], ""))
        ],
        "by_grade": dict(by_grade),
        "by_level": dict(sorted(by_level.items())),
    }
