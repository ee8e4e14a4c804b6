"""What a person may see and do: decided here and nowhere else.

A person sees the subtrees under their active memberships (a superuser sees everything; the staff
of a county department see their county, read-only). What they may *do* there depends on their
role and on the tier of the unit they hold it in: ``PERMISSIONS`` below is the whole table.

Every view, API endpoint, admin list, export and task asks a ``GridScope`` (``scope_for(user)``)
or one of the access helpers built on it. Registers of other apps filter through
``scope.filter(queryset, "unit")`` so that a new page that forgets scope shows nothing, not all.
No other module tests ``is_superuser``, writes a tree range or reads ``grants``: it calls a helper
here (``is_administrator``, ``acts_for``, ``can_here``, ``filter_q``, ``serves_department`` …;
``docs/architecture.md`` "Access in one screen"), and ``.ci/access-check`` fails otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from grids.models import GridUnit, Membership, Role, User, within_q
from grids.rules import TIER_OF_KIND


class Action(StrEnum):
    VIEW = "view"
    MANAGE_GRID = "grid.manage"  # edit units and memberships, import people and units


ALL_ROLES = frozenset(Role)
LEADERS_AND_DISPATCH = frozenset({Role.GRID_LEADER, Role.DEPUTY_LEADER, Role.DISPATCHER})

# action -> {tier of the membership's unit: roles that may do it in that subtree}
# (or in that very unit only, for the actions in ``HERE_ONLY``)
PERMISSIONS: dict[str, dict[int, frozenset[Role]]] = {
    Action.VIEW: {1: ALL_ROLES, 2: ALL_ROLES, 3: ALL_ROLES},
    Action.MANAGE_GRID: {1: LEADERS_AND_DISPATCH, 2: LEADERS_AND_DISPATCH},
}


# Actions done by a unit's own people in that very unit (sign its report, receipt what was sent to
# it): a role above the unit does not give them.
HERE_ONLY: set[str] = set()


def register_permission(action: str, table: dict[int, Iterable[Role]], *, here_only: bool = False) -> None:
    """Let another app (hazards, dispatch, reports …) add its actions to the one table.
    ``here_only``: the roles act in the unit they are held in, not in the units below it."""
    PERMISSIONS[action] = {tier: frozenset(roles) for tier, roles in table.items()}
    if here_only:
        HERE_ONLY.add(action)
    else:
        HERE_ONLY.discard(action)


@dataclass(frozen=True)
class _Node:
    unit_id: int
    tree_id: int
    lft: int
    rght: int
    tier: int

    def contains(self, unit: GridUnit) -> bool:
        return unit.tree_id == self.tree_id and self.lft <= unit.lft and unit.rght <= self.rght

    def covers(self, other: _Node) -> bool:
        return other.tree_id == self.tree_id and self.lft <= other.lft and other.rght <= self.rght


@dataclass
class GridScope:
    user: User
    is_superuser: bool = False
    grants: list[tuple[_Node, Role]] = field(default_factory=list)  # (membership unit, role)
    read_only: list[_Node] = field(default_factory=list)  # department staff: their county

    # --- what may be seen -------------------------------------------------------------------
    @property
    def nodes(self) -> list[_Node]:
        return [node for node, _role in self.grants] + self.read_only

    def unit_q(self, prefix: str = "", *, grants_only: bool = False) -> Q:
        """A filter that keeps rows whose unit (reached through ``prefix``) is in scope.

        ``grants_only`` leaves out the read-only county of department staff (registers such as
        hazards show a department only what was copied to it)."""
        if self.is_superuser:
            return Q()
        nodes = _outermost([node for node, _role in self.grants] if grants_only else self.nodes)
        if not nodes:
            return Q(pk__in=[])
        return reduce(or_, (within_q(n, prefix) for n in nodes))

    def unit_in_q(self, field: str = "unit", *, grants_only: bool = False) -> Q:
        """The same rows as ``unit_q(f"{field}__")``, written ``<field>_id IN (SELECT id FROM
        grids_gridunit WHERE <the scope's tree ranges>)`` for a large register (hazards).

        Joined to its unit, a row's scope is a range on the unit table that PostgreSQL cannot
        estimate: for a township it walks the register's date index through a county's rows to
        find a page of fifty. As a set of unit ids it reads the township's rows through the
        register's unit index (checked with EXPLAIN in ``hazards/tests/test_scope_index.py``)."""
        if self.is_superuser:
            return Q()
        condition = self.unit_q(grants_only=grants_only)
        if condition == Q(pk__in=[]):
            return condition
        return Q(**{f"{field}__in": GridUnit.objects.filter(condition).values("pk")})

    def units(self) -> QuerySet[GridUnit]:
        return GridUnit.objects.filter(self.unit_q())

    def filter(self, queryset: QuerySet, unit_field: str = "unit", *, grants_only: bool = False) -> QuerySet:
        """Keep the rows of any register whose ``unit_field`` points into this scope."""
        if self.is_superuser:
            return queryset
        return queryset.filter(self.unit_q(f"{unit_field}__", grants_only=grants_only))

    def can_see_by_grant(self, unit: GridUnit) -> bool:
        return self.is_superuser or any(node.contains(unit) for node, _role in self.grants)

    def can_see(self, unit: GridUnit) -> bool:
        return self.is_superuser or any(node.contains(unit) for node in self.nodes)

    def filter_q(self, queryset: QuerySet, condition: Q) -> QuerySet:
        """``queryset`` whole for a superuser, else only the rows matching ``condition``: the rule
        of a register whose visibility is not (only) a unit in the tree (an inbox, one's own
        uploads, the copies of one's department)."""
        if self.is_superuser:
            return queryset
        return queryset.filter(condition)

    def sees_anything(self) -> bool:
        """Does this person see some unit at all (a superuser, a role, or a department's county)?"""
        return self.is_superuser or bool(self.nodes)

    def administrator_counties(self) -> QuerySet[GridUnit]:
        """The active counties, for a superuser (who holds no role but acts for every county, e.g.
        issues its warnings or opens its overview); none for anyone else."""
        if self.is_superuser:
            return GridUnit.objects.filter(level=0, is_active=True)
        return GridUnit.objects.none()

    def top_units(self) -> QuerySet[GridUnit]:
        """The highest units this person sees, each standing for its subtree."""
        if self.is_superuser:
            return GridUnit.objects.root_nodes()
        return GridUnit.objects.filter(pk__in=[n.unit_id for n in _outermost(self.nodes)])

    def subtree_roots(self, within: GridUnit | None = None) -> list[tuple[int, int]]:
        """(unit id, level) of the units whose whole subtrees, taken together, are exactly the units
        this person sees by grant inside ``within`` (default: all of them). They never overlap, so
        figures kept per subtree (``hazards.rollup``) add up to the scope's. A superuser: every
        county, or ``within``. Level 0 is a county."""
        if self.is_superuser:
            if within is not None:
                return [(within.pk, within.level)]
            return [(pk, 0) for pk in GridUnit.objects.root_nodes().values_list("pk", flat=True)]
        nodes = _outermost([node for node, _role in self.grants])
        if within is None:
            return [(n.unit_id, n.tier - 1) for n in nodes]
        inner = _Node(within.pk, within.tree_id, within.lft, within.rght, 0)
        if any(n.covers(inner) for n in nodes):
            return [(within.pk, within.level)]
        return [(n.unit_id, n.tier - 1) for n in nodes if inner.covers(n)]

    # --- what may be done -------------------------------------------------------------------
    def can(self, action: str, unit: GridUnit) -> bool:
        if self.is_superuser:
            return True
        if action == Action.VIEW:
            return self.can_see(unit)
        if action in HERE_ONLY:
            return self.can_here(action, unit)
        table = PERMISSIONS[action]
        return any(node.contains(unit) and role in table.get(node.tier, ()) for node, role in self.grants)

    def units_where(self, action: str) -> QuerySet[GridUnit]:
        """Every unit in which this person may do ``action``."""
        if self.is_superuser:
            return GridUnit.objects.all()
        if action in HERE_ONLY:
            return GridUnit.objects.filter(pk__in=self.units_granting(action))
        nodes = self._nodes_where(action)
        if not nodes:
            return GridUnit.objects.none()
        return GridUnit.objects.filter(reduce(or_, (within_q(n) for n in nodes)))

    def units_granting(self, action: str) -> list[int]:
        """The units of the person's own memberships that grant ``action`` (not the units below)."""
        table = PERMISSIONS[action]
        return [node.unit_id for node, role in self.grants if role in table.get(node.tier, ())]

    def _nodes_where(self, action: str) -> list[_Node]:
        table = PERMISSIONS[action]
        return _outermost([node for node, role in self.grants if role in table.get(node.tier, ())])

    def may_anywhere(self, action: str) -> bool:
        if self.is_superuser:
            return True
        table = PERMISSIONS[action]
        return any(role in table.get(node.tier, ()) for node, role in self.grants)

    def holds_role_in(self, unit: GridUnit) -> bool:
        """Does this person hold a role in ``unit`` itself (not above it)? Inboxes and a unit's own
        reports are acted on by the unit's own people."""
        return any(node.unit_id == unit.pk for node, _role in self.grants)

    def acts_for(self, unit: GridUnit) -> bool:
        """May this person act as ``unit``'s own people (sign its report, record its consultation,
        report its evacuation figures, receipt what was sent to it)? A superuser, or someone who
        holds a role in that very unit (a role above it is not enough)."""
        return self.is_superuser or self.holds_role_in(unit)

    def can_here(self, action: str, unit: GridUnit) -> bool:
        """May this person do ``action`` in ``unit`` as one of its own officers: a superuser, or a
        role held in that very unit that the table allows for its tier (not a role above it)."""
        if self.is_superuser:
            return True
        table = PERMISSIONS[action]
        return any(node.unit_id == unit.pk and role in table.get(node.tier, ()) for node, role in self.grants)

    def own_units_at_tiers(self, tiers: Iterable[int]) -> list[int]:
        """The units of the person's own memberships whose tier is in ``tiers`` (not the units below).
        A superuser holds none: ask ``administrator_counties`` for theirs."""
        tiers = set(tiers)
        return [node.unit_id for node, _role in self.grants if node.tier in tiers]

    # --- departments ------------------------------------------------------------------------
    # The staff of a county department act for it: they reply to the hazards copied to it and
    # receipt what is delivered to it. The department is the person's own ``department``.

    def member_of_department(self, department_id: int | None) -> bool:
        """Does this person work in department ``department_id`` (a superuser does not, as such)?"""
        own = getattr(self.user, "department_id", None)
        return own is not None and own == department_id

    def serves_department(self, department_id: int | None) -> bool:
        """May this person act for department ``department_id``: a superuser or its staff."""
        return self.is_superuser or self.member_of_department(department_id)

    def serves_any_department(self) -> bool:
        """Does this person act for some department (a superuser, or the staff of one)? Who sees the
        pages of department copies."""
        return self.is_superuser or getattr(self.user, "department_id", None) is not None

    def department_q(self, field: str = "department") -> Q:
        """Rows whose ``field`` is the person's own department (nothing when they have none). No
        superuser case: combine with other conditions, then ``filter_q``."""
        own = getattr(self.user, "department_id", None)
        return Q(**{f"{field}_id": own}) if own is not None else Q(pk__in=[])

    # --- people -----------------------------------------------------------------------------
    # Who may edit whom (profile, password, department, roles): a person is managed by whoever
    # manages EVERY place their rights come from — each unit of an active membership and, for the
    # staff of a county department, that county. Never oneself, never a superuser, and a person
    # whose rights come from nowhere (no active role, no department) only by a superuser. A person
    # who does not exist yet (a new row of an import) has no rights to protect: see
    # ``grids.importing``.

    def may_manage_person(self, person: User, *, also: Iterable[GridUnit] = ()) -> bool:
        """May this person change ``person`` (profile, password, department, roles, unlock)?
        ``also``: units where ``person`` is about to get a role (an import row), counted with the
        roles they hold."""
        if self.is_superuser:
            return True
        if person.pk is not None and person.pk == self.user.pk:
            return False
        if person.is_superuser:
            return False
        managed = self._nodes_where(Action.MANAGE_GRID)
        if not managed:
            return False
        places = list(also)
        if person.pk is not None:
            places += list(GridUnit.objects.filter(_active_places(person.pk)))
            fellows = self._fellow_roles_q()
            if fellows is not None and Membership.objects.active().filter(fellows, user_id=person.pk).exists():
                return False
        if not places:
            return False
        return all(any(node.contains(unit) for node in managed) for unit in places)

    def _fellow_roles_q(self) -> Q | None:
        """Roles that manage the very unit this person manages from: a fellow leader, deputy or
        dispatcher of that unit is managed by the tier above, not by their colleague."""
        table = PERMISSIONS[Action.MANAGE_GRID]
        own = [node for node, role in self.grants if role in table.get(node.tier, ())]
        tops = _outermost(own)
        fellows = [Q(unit_id=n.unit_id, role__in=table.get(n.tier, ())) for n in tops if table.get(n.tier)]
        return reduce(or_, fellows) if fellows else None

    def manageable_people(self) -> QuerySet[User]:
        """Everyone ``may_manage_person`` allows, in one SQL query."""
        if self.is_superuser:
            return User.objects.all()
        managed = self._nodes_where(Action.MANAGE_GRID)
        if not managed:
            return User.objects.none()
        inside = reduce(or_, (within_q(n, "unit__") for n in managed))
        county_inside = reduce(or_, (within_q(n, "department__county__") for n in managed))
        roles = Membership.objects.active().filter(user=OuterRef("pk"))
        people = (
            User.objects.filter(is_superuser=False)
            .exclude(pk=self.user.pk)
            .filter(~Exists(roles.exclude(inside)))
            .filter(Q(department__isnull=True) | county_inside)
            .filter(Exists(roles.filter(inside)) | Q(department__isnull=False))
        )
        fellows = self._fellow_roles_q()
        return people.filter(~Exists(roles.filter(fellows))) if fellows is not None else people

    def may_set_department(self, department) -> bool:
        """Only a manager of the department's county (tier 1) places people in a department."""
        return self.is_superuser or (department.county.tier == 1 and self.can(Action.MANAGE_GRID, department.county))

    def stands_in(self, unit: GridUnit) -> bool:
        """Does this person hold an active role in ``unit`` or above it (or, for a county, work in
        one of its departments)? Who may stand duty there; a shift of anyone else gives nothing."""
        return bool(self.roles_at(unit)) or any(node.unit_id == unit.pk for node in self.read_only)

    def own_unit_ids(self) -> set[int]:
        return {node.unit_id for node, _role in self.grants}

    def roles_at(self, unit: GridUnit) -> set[Role]:
        """Roles this person holds at ``unit`` or above it."""
        return {role for node, role in self.grants if node.contains(unit)}


def _active_places(user_id: int) -> Q:
    """The units a person's rights come from: active memberships and their department's county."""
    roles = Membership.objects.active().filter(user_id=user_id).values("unit_id")
    county = User.objects.filter(pk=user_id, department__isnull=False).values("department__county_id")
    return Q(pk__in=roles) | Q(pk__in=county)


def _outermost(nodes: Iterable[_Node]) -> list[_Node]:
    """Drop nodes already covered by another node (a township inside a held county)."""
    unique = list({n.unit_id: n for n in nodes}.values())
    return [n for n in unique if not any(o.unit_id != n.unit_id and o.covers(n) for o in unique)]


def scope_for(user) -> GridScope:
    """The scope of ``user``, computed once per request (cached on the user object)."""
    cached = getattr(user, "_grid_scope", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        scope = GridScope(user=user)
    elif user.is_superuser:
        scope = GridScope(user=user, is_superuser=True)
    else:
        memberships = (
            Membership.objects.active()
            .filter(user=user)
            .values_list("role", "unit_id", "unit__tree_id", "unit__lft", "unit__rght", "unit__kind")
        )
        grants = [
            (_Node(unit_id, tree_id, lft, rght, TIER_OF_KIND[kind]), Role(role))
            for role, unit_id, tree_id, lft, rght, kind in memberships
        ]
        read_only = []
        if user.department_id:
            county = (
                GridUnit.objects.filter(departments__id=user.department_id, departments__is_active=True, is_active=True)
                .values_list("id", "tree_id", "lft", "rght")
                .first()
            )
            if county:
                read_only.append(_Node(*county, tier=1))
        scope = GridScope(user=user, grants=grants, read_only=read_only)
    user._grid_scope = scope
    return scope


def is_administrator(user) -> bool:
    """Is ``user`` the administrator of the installation: an active superuser? Asked where only
    the administrator may do something (superuser-only admin pages, adding a county, deleting
    rule rows, writes to the unit API). No query."""
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def forget_scope(*users) -> None:
    """Drop cached scopes after the tree or someone's memberships changed (tree ranges move)."""
    for user in users:
        if user is not None:
            user.__dict__.pop("_grid_scope", None)


def get_unit_for_user(user, pk, *, action: str = Action.VIEW) -> GridUnit:
    """The unit ``pk`` if the user may see it: 404 when unseen, 403 when seen but not allowed."""
    try:
        unit = GridUnit.objects.get(pk=pk)
    except (GridUnit.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such grid unit.")) from None
    scope = scope_for(user)
    if not scope.can_see(unit):
        raise Http404(_("No such grid unit."))
    if action != Action.VIEW and not scope.can(action, unit):
        raise PermissionDenied(_("You may view this unit but not change it."))
    return unit


def visible_people(user) -> QuerySet[User]:
    """People who hold a role in a unit in scope, the staff of visible departments, and oneself."""
    scope = scope_for(user)
    if scope.is_superuser:
        return User.objects.all()
    in_units = Membership.objects.filter(scope.unit_q("unit__")).values("user_id")
    return User.objects.filter(
        Q(pk__in=in_units) | Q(department__county__in=scope.units().filter(level=0)) | Q(pk=user.pk)
    )


def may_manage_person(user, person: User) -> bool:
    """May ``user`` reset the password of ``person``, unlock their login or edit them? The
    administrator may, for anyone but themselves and other superusers (they change their own
    password on the password page); everyone else as ``GridScope.may_manage_person`` says."""
    if person.pk == user.pk or person.is_superuser:
        return False
    return scope_for(user).may_manage_person(person)


def get_person_for_user(user, pk, *, manage: bool = False) -> User:
    """The person ``pk`` if ``user`` may see them (404 otherwise); with ``manage``, 403 unless
    ``may_manage_person``."""
    try:
        person = visible_people(user).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such person.")) from None
    if manage and not may_manage_person(user, person):
        raise PermissionDenied(
            _("Only a grid leader who manages every role of this person may do this, never for themselves.")
        )
    return person
