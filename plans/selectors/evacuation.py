"""Reads of the evacuation lists (转移避险), through ``plans.access``: a village's list, the capacity
of shelters against the persons to move per township, the figures the warning hooks compare.
Every read here costs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, Sum

from grids.models import GridUnit
from grids.rules import TOWNSHIP_KINDS, VILLAGE_KINDS
from grids.scope import scope_for
from hazards.models import HazardCategory
from plans import access
from plans.models import DangerZone, EvacuationTrigger, Household, Shelter


@dataclass
class VillageList:
    unit: GridUnit
    zones: list[DangerZone]
    shelters: list[Shelter]  # the village's own and the ones its households go to
    categories: list[HazardCategory]
    private: bool  # may the person read vulnerable persons' details and phones?
    may_edit: bool
    persons: int = 0
    households: int = 0
    vulnerable: int = 0


def village_list(user, unit: GridUnit, *, category: HazardCategory | None = None) -> VillageList:
    """The village's zones (of ``category`` if given) with their households and shelters: 4 queries."""
    households = Household.objects.select_related("shelter__unit").order_by("address", "head_name")
    zones = access.visible_zones(user).filter(unit=unit).select_related("category")
    all_categories = HazardCategory.objects.filter(pk__in=zones.values("category")).order_by("family", "order")
    if category is not None:
        zones = zones.filter(category=category)
    zones = list(
        zones.prefetch_related(Prefetch("households", queryset=households)).order_by("category__order", "name")
    )
    used = {h.shelter_id for z in zones for h in z.households.all() if h.shelter_id}
    shelters = list(
        access.visible_shelters(user).filter(Q(unit=unit) | Q(pk__in=used)).select_related("unit").order_by("name")
    )
    result = VillageList(
        unit=unit,
        zones=zones,
        shelters=shelters,
        categories=list(all_categories),
        private=access.may_see_private(user, unit),
        may_edit=access.may_edit_evacuation(user, unit),
    )
    for zone in zones:
        for household in zone.households.all():
            result.households += 1
            result.persons += household.persons
            result.vulnerable += household.vulnerable
    return result


def export_rows(user, unit: GridUnit) -> dict[str, list[Household | DangerZone | Shelter]]:
    """What the export writes: all the village's zones, own shelters and households (3 queries)."""
    return {
        "zones": list(
            access.visible_zones(user).filter(unit=unit).select_related("category").order_by("category__order", "name")
        ),
        "shelters": list(access.visible_shelters(user).filter(unit=unit).order_by("name")),
        "households": list(
            access.visible_households(user)
            .filter(zone__unit=unit)
            .select_related("zone__category", "shelter__unit")
            .order_by("zone__category__order", "zone__name", "address", "head_name")
        ),
    }


# --- capacity per township ----------------------------------------------------------------------


@dataclass
class TownshipCapacity:
    township: GridUnit
    persons_by_category: dict[int, int] = field(default_factory=dict)
    persons: int = 0  # a household listed in two zones (山洪 and 地质灾害) counts in each
    households: int = 0
    vulnerable: int = 0
    capacity: int = 0  # open shelters of the township and its villages
    closed_capacity: int = 0
    villages: int = 0
    cells: list[dict] = field(default_factory=list)  # per category column: persons, short of places?

    @property
    def shortfall(self) -> int:
        return max(0, self.persons - self.capacity)

    def category_short(self, category_id: int) -> bool:
        return self.persons_by_category.get(category_id, 0) > self.capacity


def township_capacity(user, *, township: GridUnit | None = None) -> tuple[list[TownshipCapacity], list[HazardCategory]]:
    """Per township the person sees (or just ``township``): persons to move per hazard category and
    in all, against the capacity of the open shelters in the township and its villages. Four
    queries, whatever the number of townships, villages, zones, households or shelters."""
    townships = scope_for(user).units().filter(kind__in=TOWNSHIP_KINDS, is_active=True)
    if township is not None:
        townships = townships.filter(pk=township.pk)
    rows = {t.pk: TownshipCapacity(township=t) for t in townships.order_by("lft")}
    if not rows:
        return [], []
    households = Household.objects.filter(zone__unit__parent_id__in=rows, zone__unit__kind__in=VILLAGE_KINDS)
    by_category = households.values("zone__unit__parent_id", "zone__category_id").annotate(persons=Sum("persons"))
    totals = households.values("zone__unit__parent_id").annotate(
        persons=Sum("persons"),
        households=Count("pk"),
        vulnerable=Sum("vulnerable"),
        villages=Count("zone__unit", distinct=True),
    )
    categories = {}
    for line in by_category:
        rows[line["zone__unit__parent_id"]].persons_by_category[line["zone__category_id"]] = line["persons"]
        categories[line["zone__category_id"]] = True
    for line in totals:
        row = rows[line["zone__unit__parent_id"]]
        row.persons, row.households = line["persons"] or 0, line["households"]
        row.vulnerable, row.villages = line["vulnerable"] or 0, line["villages"]
    shelters = (
        Shelter.objects.filter(Q(unit_id__in=rows) | Q(unit__parent_id__in=rows, unit__kind__in=VILLAGE_KINDS))
        .values("unit_id", "unit__parent_id", "is_open")
        .annotate(capacity=Sum("capacity"))
    )
    for line in shelters:
        row = rows.get(line["unit_id"]) or rows[line["unit__parent_id"]]
        if line["is_open"]:
            row.capacity += line["capacity"] or 0
        else:
            row.closed_capacity += line["capacity"] or 0
    columns = list(HazardCategory.objects.filter(pk__in=categories).order_by("family", "order"))
    for row in rows.values():
        row.cells = [
            {"persons": row.persons_by_category.get(c.pk, 0), "short": row.category_short(c.pk)} for c in columns
        ]
    return list(rows.values()), columns


def villages_with_lists(user) -> list[dict]:
    """The villages the person sees that have a list, with their counts (one query)."""
    zones = access.visible_zones(user).values("unit_id", "unit__name", "unit__parent__name")
    lines = zones.annotate(zones=Count("pk", distinct=True), persons=Sum("households__persons")).order_by("unit__lft")
    return list(lines)


def editable_villages(user) -> list[GridUnit]:
    """Villages whose list (and townships whose shelters) the person may import (the overview's links)."""
    from plans.permissions import EvacuationAction

    return list(
        scope_for(user)
        .units_where(EvacuationAction.EDIT)
        .filter(kind__in=VILLAGE_KINDS | TOWNSHIP_KINDS, is_active=True)
        .order_by("lft")
    )


# --- what the warning page's hooks read ----------------------------------------------------------


def categories_of_warning(warning) -> list[HazardCategory]:
    return [
        t.category for t in EvacuationTrigger.objects.filter(warning_type_id=warning.type_id).select_related("category")
    ]


def zones_for_units(units: list[GridUnit], category_ids: list[int]) -> dict[int, list[DangerZone]]:
    """{unit id: its zones of those categories} for villages among ``units`` (one query)."""
    villages = [u.pk for u in units if u.kind in VILLAGE_KINDS]
    found: dict[int, list[DangerZone]] = defaultdict(list)
    if villages and category_ids:
        for zone in DangerZone.objects.filter(unit_id__in=villages, category_id__in=category_ids).select_related(
            "category"
        ):
            found[zone.unit_id].append(zone)
    return found


def listed_persons(units: list[GridUnit], category_ids: list[int]) -> dict[int, int]:
    """{unit id: persons on the lists of those categories}: a village's own list, a township's
    villages' (at most two queries)."""
    result = {u.pk: 0 for u in units}
    if not category_ids:
        return result
    households = Household.objects.filter(zone__category_id__in=category_ids)
    villages = [u.pk for u in units if u.kind in VILLAGE_KINDS]
    townships = [u.pk for u in units if u.kind in TOWNSHIP_KINDS]
    for ids, key in ((villages, "zone__unit_id"), (townships, "zone__unit__parent_id")):
        if ids:
            lines = households.filter(**{f"{key}__in": ids}).values(key).annotate(persons=Sum("persons"))
            for line in lines:
                result[line[key]] += line["persons"] or 0
    return result
