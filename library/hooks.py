"""What the library adds to the pages and briefings of lower apps (registered in ``apps.py``):

- ``briefing_cases``: a consultation's briefing lists the published cases of the hazard categories
  and incident types concerned (the hazards found or open, the incidents of the previous period,
  in the consulting unit's subtree) that the unit may see; a fixed number of queries per tier;
- ``consultation_section``: shows them on the consultation page (from the stored briefing);
- ``incident_section`` / ``drill_section``: the 转为案例 button of a closed incident or a held drill,
  or the link to its case;
- ``plan_section``: on a plan's page, the regulations citing it and the cases of its categories
  and incident types."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Q

from core.periods import bounds
from dispatch.models import Incident
from drills.models import DONE_STATES
from grids.models import GridUnit
from grids.selectors import ancestor_at
from hazards.models import Hazard
from library import access
from library.models import Case

BRIEFING_CASES = 8  # cases listed per unit, the most recent first
PAGE_CASES = 20


def briefing_cases(units: list[GridUnit], start: datetime.date, end: datetime.date) -> dict[int, dict[str, Any]]:
    begin, stop = bounds(start, end)
    by_level: dict[int, list[GridUnit]] = defaultdict(list)
    for unit in units:
        by_level[unit.level].append(unit)
    result: dict[int, dict[str, Any]] = {}
    for level, group in by_level.items():
        trees = {unit.tree_id for unit in group}
        key_of = {unit.pk: (unit.tree_id if level == 0 else unit.pk) for unit in group}
        categories: dict[int, set[int]] = defaultdict(set)
        for anchor, category in (
            Hazard.objects.filter(unit__tree_id__in=trees, unit__level__gte=level)
            .filter(Q(found_at__gte=begin, found_at__lt=stop) | Q(pk__in=Hazard.objects.open().values("pk")))
            .annotate(anchor=ancestor_at(level))
            .values_list("anchor", "category_id")
            .distinct()
        ):
            categories[anchor].add(category)
        types: dict[int, set[int]] = defaultdict(set)
        for anchor, type_id in (
            Incident.objects.filter(
                unit__tree_id__in=trees, unit__level__gte=level, occurred_at__gte=begin, occurred_at__lt=stop
            )
            .annotate(anchor=ancestor_at(level))
            .values_list("anchor", "type_id")
            .distinct()
        ):
            types[anchor].add(type_id)
        cases = list(
            Case.objects.filter(state=Case.State.PUBLISHED, unit__tree_id__in=trees)
            .annotate(anchor=ancestor_at(level))
            .values(
                "pk", "title", "anchor", "occurred_on", "lessons", "incident_type_id", "incident_type__name",
                "drill_form", "unit__name", "unit__level", "unit__tree_id",
            )
            .order_by("-occurred_on", "-pk")
        )  # fmt: skip
        case_categories: dict[int, set[int]] = defaultdict(set)
        for case_id, category in Case.hazard_categories.through.objects.filter(
            case_id__in=[c["pk"] for c in cases]
        ).values_list("case_id", "hazardcategory_id"):
            case_categories[case_id].add(category)
        for unit in group:
            key = key_of[unit.pk]
            listed = []
            for c in cases:
                seen = c["anchor"] == key or (c["unit__level"] == 0 and c["unit__tree_id"] == unit.tree_id)
                concerned = c["incident_type_id"] in types[key] or case_categories[c["pk"]] & categories[key]
                if seen and concerned and len(listed) < BRIEFING_CASES:
                    listed.append(
                        {
                            "id": c["pk"],
                            "title": c["title"],
                            "unit": c["unit__name"],
                            "type": c["incident_type__name"] or c["drill_form"],
                            "date": c["occurred_on"].isoformat(),
                            "lessons": c["lessons"][:200],
                        }
                    )
            result[unit.pk] = {"cases": listed}
    return result


def consultation_section(user, consultation) -> dict | None:
    briefing = consultation.briefing or {}
    if "cases" not in briefing:
        return None
    return {"cases": briefing["cases"]}


def _source_section(user, case_filter: dict, closed: bool, unit, convert_url: str) -> dict | None:
    case = access.visible_cases(user).filter(**case_filter).only("pk", "title", "state").first()
    if case is not None:
        return {"case": case}
    if closed and access.may_edit(user, unit):
        return {"convert_url": convert_url}
    return None


def incident_section(user, incident) -> dict | None:
    from django.urls import reverse

    return _source_section(
        user, {"incident": incident}, incident.is_final, incident.unit,
        reverse("library:case_from_incident", args=[incident.pk]),
    )  # fmt: skip


def drill_section(user, drill) -> dict | None:
    from django.urls import reverse

    return _source_section(
        user,
        {"drill": drill},
        drill.state in DONE_STATES,
        drill.unit,
        reverse("library:case_from_drill", args=[drill.pk]),
    )


def plan_section(user, plan) -> dict:
    types = list(plan.incident_types.values_list("pk", flat=True))
    categories = list(plan.hazard_categories.values_list("pk", flat=True))
    cases = []
    if types or categories:
        cases = list(
            access.visible_cases(user)
            .filter(Q(incident_type__in=types) | Q(hazard_categories__in=categories))
            .select_related("unit", "incident_type")
            .distinct()
            .order_by("-occurred_on", "-pk")[:PAGE_CASES]
        )
    regulations = list(access.visible_regulations(user).filter(plans=plan).select_related("replaced_by"))
    return {"cases": cases, "regulations": regulations, "may_link": access.may_edit(user, plan.unit)}
