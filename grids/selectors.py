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


UNIT_CHOICES_PAGE = 20


@dataclass
class UnitChoicePage:
    units: list[GridUnit]
    more: bool


def unit_choices(
    user: User, *, query: str = "", parent: GridUnit | None = None, page: int = 1, size: int = UNIT_CHOICES_PAGE
) -> UnitChoicePage:
    """One page of the active units ``user`` may pick, for the unit chooser (a search box that
    loads its options on demand instead of listing every unit of a county).

    ``query`` matches the name (anywhere) or the division code (from its start) among all units
    in scope; ``parent`` gives that unit's children in scope (the caller checked that the parent
    itself is seen); neither gives the person's top units and their children. Each unit comes
    with its parent's name (``unit.parent.name``) to tell apart villages of the same name.
    One query whatever the size of the grid (and the scope's own, once per request): the page
    is read one row long to know whether there is more, never counted."""
    scope = scope_for(user)
    units = scope.units().filter(is_active=True)
    query = query.strip()
    if query:
        units = units.filter(Q(name__icontains=query) | Q(code__startswith=query))
    elif parent is not None:
        units = units.filter(parent_id=parent.pk)
    elif scope.nodes:
        top = [node.unit_id for node in scope.nodes]
        units = units.filter(Q(pk__in=top) | Q(parent_id__in=top))
    else:  # the administrator (no roles, every county); anyone else without a role sees none
        units = units.filter(level__lte=1)
    page = max(1, page)
    start = (page - 1) * size
    rows = list(
        units.select_related("parent")
        .only("id", "name", "code", "level", "lft", "rght", "parent__name")
        .order_by("tree_id", "lft")[start : start + size + 1]
    )
    return UnitChoicePage(units=rows[:size], more=len(rows) > size)


def unit_choice_label(unit: GridUnit) -> str:
    """How the chooser names a unit: its name, after its parent's (``泗城镇 › 平林村``)."""
    parent = unit.parent if unit.parent_id else None
    return f"{parent.name} › {unit.name}" if parent is not None else unit.name
