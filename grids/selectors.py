"""Reads of the grid that respect scope. Each takes the user and filters through ``grids.scope``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, When

from grids.models import GridUnit, Membership, Role, User, above_q
from grids.rules import TIER_OF_KIND
from grids.scope import scope_for


def tree_for_user(user: User, *, max_tier: int = 3) -> list[GridUnit]:
    """The visible part of the grid as nested nodes (``node.visible_children``), one query."""
    scope = scope_for(user)
    units = list(scope.units().filter(level__lt=max_tier).order_by("tree_id", "lft"))
    by_id = {unit.pk: unit for unit in units}
    roots = []
    for unit in units:
        unit.visible_children = []
        parent = by_id.get(unit.parent_id)
        if parent is None:
            roots.append(unit)
        else:
            parent.visible_children.append(unit)
    return roots


def tier_counts(units: QuerySet[GridUnit] | list[GridUnit]) -> dict[int, int]:
    """How many active units per tier."""
    if isinstance(units, QuerySet):
        rows = units.filter(is_active=True).values_list("kind", flat=True)
    else:
        rows = [u.kind for u in units if u.is_active]
    counts = Counter(TIER_OF_KIND[kind] for kind in rows)
    return {tier: counts.get(tier, 0) for tier in (1, 2, 3)}


@dataclass
class PersonRoles:
    user: User
    roles: list[str]

    @property
    def role_labels(self) -> str:
        return "、".join(self.roles)


def unit_people(unit: GridUnit) -> list[PersonRoles]:
    """The people of a unit, one entry per person with all their roles there."""
    order = {role: i for i, role in enumerate(Role)}
    memberships = sorted(
        Membership.objects.active().filter(unit=unit).select_related("user", "user__department"),
        key=lambda m: (order[m.role], m.user.real_name),
    )
    people: dict[int, PersonRoles] = {}
    for m in memberships:
        people.setdefault(m.user_id, PersonRoles(user=m.user, roles=[])).roles.append(m.get_role_display())
    return list(people.values())


def unit_children(unit: GridUnit) -> QuerySet[GridUnit]:
    return unit.get_children()


def contacts_above(user: User) -> list[Membership]:
    """Leaders and dispatchers of the tiers above a person's units: whom to call to report up."""
    scope = scope_for(user)
    if not scope.nodes:  # a superuser holds no role: nobody above them
        return []
    above = reduce(or_, (above_q(n, "unit__") & ~Q(unit_id=n.unit_id) for n in scope.nodes))
    return list(
        Membership.objects.active()
        .filter(above, role__in=[Role.DISPATCHER, Role.GRID_LEADER, Role.GRID_OFFICER])
        .select_related("user", "unit")
        .order_by("-unit__level", "role")
    )


def memberships_of(user: User) -> list[Membership]:
    return list(
        Membership.objects.active()
        .filter(user=user)
        .select_related("unit")
        .order_by("unit__level", "unit__code", "role")
    )


def people_for_user(user: User) -> QuerySet[User]:
    from grids.scope import visible_people

    return (
        visible_people(user)
        .select_related("department")
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.active().select_related("unit")))
    )


def ancestor_at(level: int, *, unit: str = "unit"):
    """SQL for the id of the ancestor at ``level`` of each row's unit (the unit itself when it is
    at that level), so that one GROUP BY counts per township or per county. At level 0 (the
    county) it is the unit's tree id: one tree per county."""
    if level == 0:
        return F(f"{unit}__tree_id")
    return Case(
        When(**{f"{unit}__level": level}, then=F(f"{unit}_id")),
        When(**{f"{unit}__level": level + 1}, then=F(f"{unit}__parent_id")),
        When(**{f"{unit}__level": level + 2}, then=F(f"{unit}__parent__parent_id")),
        output_field=IntegerField(),
    )
