"""The briefing of a risk consultation (风险会商研判): what the meeting reads before it sits.

For each unit of one tier: hazard trends by category for the previous period against the same
period a year before, open major hazards, overdue rectifications, the seasonal risks of the coming
period, and the sections other apps register (``core.registry.register_briefing_section``:
dispatch adds the warnings and incidents of the previous period). Stored as JSON on the
consultation when it opens (``reports.services.consultations_brief``).
"""

from __future__ import annotations

import datetime

from django.db.models import Count

from core import registry
from core.periods import add_months, bounds, period_end
from grids.models import GridUnit
from grids.selectors import ancestor_at
from hazards.models import Grade, Hazard, HazardCategory, State
from reports.models import SeasonalRisk


def consultation_briefings(
    *, units: list[GridUnit], start: datetime.date, months: int, until: datetime.date | None = None
) -> dict[int, dict]:
    """For each unit (same tier): hazard trends by category for the previous period against the
    same period a year before, open major hazards, overdue rectifications, the seasonal risks of
    the coming period, and the sections other apps register (``core.registry.register_briefing_section``: dispatch adds
    the warnings and incidents). The sections cover the previous period and, when ``until`` is
    given (the day the briefing is read, or the meeting's), the consultation's own period up to
    that day: a briefing read before the meeting shows the warning issued yesterday."""
    previous_start = add_months(start, -months)
    previous_end = start - datetime.timedelta(days=1)
    window_end = previous_end if until is None else max(previous_end, min(until, period_end(start, months)))
    year_ago_start, year_ago_end = add_months(previous_start, -12), add_months(start, -12) - datetime.timedelta(days=1)
    level = units[0].level if units else 0
    anchor = ancestor_at(level)
    categories = dict(HazardCategory.objects.values_list("id", "name"))

    def counts(first: datetime.date, last: datetime.date) -> dict[tuple[int, int], int]:
        begin, stop = bounds(first, last)
        rows = (
            Hazard.objects.filter(found_at__gte=begin, found_at__lt=stop, unit__level__gte=level)
            .annotate(anchor=anchor)
            .values("anchor", "category_id")
            .annotate(n=Count("id"))
        )
        return {(row["anchor"], row["category_id"]): row["n"] for row in rows}

    previous, year_ago = counts(previous_start, previous_end), counts(year_ago_start, year_ago_end)
    majors: dict[int, list[dict]] = {}
    for row in (
        Hazard.objects.open()
        .filter(grade=Grade.MAJOR, unit__level__gte=level)
        .annotate(anchor=anchor)
        .values("anchor", "number", "title", "state", "supervised", "unit__name")
        .order_by("found_at")
    ):
        majors.setdefault(row["anchor"], []).append(
            {k: row[k] for k in ("number", "title", "state", "supervised")} | {"unit": row["unit__name"]}
        )
    overdue = dict(
        Hazard.objects.filter(state=State.RECTIFYING, overdue_since__isnull=False, unit__level__gte=level)
        .annotate(anchor=anchor)
        .values("anchor")
        .annotate(n=Count("id"))
        .values_list("anchor", "n")
    )
    seasonal = [
        {"name": risk.name, "advice": risk.advice, "category": categories.get(risk.category_id, "")}
        for risk in SeasonalRisk.objects.all()
        if any(risk.covers(add_months(start, i).month) for i in range(months))
    ]
    result = {}
    for unit in units:
        key = unit.tree_id if level == 0 else unit.pk  # the county's hazards are keyed by their tree
        trend = []
        for category_id, name in categories.items():
            now_count = previous.get((key, category_id), 0)
            then_count = year_ago.get((key, category_id), 0)
            if now_count or then_count:
                trend.append(
                    {"category": name, "previous": now_count, "year_ago": then_count, "change": now_count - then_count}
                )
        result[unit.pk] = {
            "period": [start.isoformat(), period_end(start, months).isoformat()],
            "compared": [
                previous_start.isoformat(),
                previous_end.isoformat(),
                year_ago_start.isoformat(),
                year_ago_end.isoformat(),
            ],
            "trend": sorted(trend, key=lambda t: -t["previous"]),
            "majors": majors.get(key, []),
            "overdue": overdue.get(key, 0),
            "seasonal": seasonal,
            "window": [previous_start.isoformat(), window_end.isoformat()],
        }
    for section in registry.briefing_sections():  # e.g. dispatch's warnings and incidents (dispatch/apps.py)
        for unit_id, keys in section.build(units, previous_start, window_end).items():
            if unit_id in result:
                result[unit_id].update(keys)
    return result
