"""The contact network: per unit, the roles that must be reachable and who holds them; a roll
call's answers, and the unreached listed per township. Fixed numbers of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from grids.models import GridUnit, Membership, Role, within_q
from grids.rules import TIER_OF_KIND
from grids.scope import scope_for
from resources.models import RollCall, RollCallEntry
from resources.services.rollcalls import required_roles


@dataclass
class RoleRow:
    role: str
    holders: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(Role(self.role).label)

    @property
    def filled(self) -> bool:
        return bool(self.holders)


@dataclass
class UnitRow:
    unit: GridUnit
    roles: list[RoleRow] = field(default_factory=list)

    @property
    def missing(self) -> list[RoleRow]:
        return [r for r in self.roles if not r.filled]


def reachability(user, *, root: GridUnit | None = None, missing_only: bool = False) -> list[UnitRow]:
    """Every active unit the person sees (under ``root`` when given), the roles its tier must have
    reachable and their holders (with their mobile numbers). Three queries."""
    units = scope_for(user).units().filter(is_active=True)
    if root is not None:
        units = units.filter(within_q(root))
    units = list(units.order_by("tree_id", "lft"))
    table = required_roles()
    holders: dict[tuple[int, str], list] = defaultdict(list)
    for membership in (
        Membership.objects.active()
        .filter(unit__in=[u.pk for u in units], user__is_active=True)
        .select_related("user")
        .order_by("user__real_name", "user_id")
    ):
        holders[(membership.unit_id, membership.role)].append(membership.user)
    rows = []
    for unit in units:
        row = UnitRow(
            unit=unit, roles=[RoleRow(r, holders[(unit.pk, r)]) for r in table.get(TIER_OF_KIND[unit.kind], [])]
        )
        if not missing_only or row.missing:
            rows.append(row)
    return rows


@dataclass
class TownshipRow:
    township: GridUnit | None
    called: int = 0
    answered: int = 0
    unreached: list = field(default_factory=list)


def roll_call_answers(roll_call: RollCall) -> list[TownshipRow]:
    """The roll call's entries by township: how many were called and answered, and the unreached
    (person, unit, role, escalated to whom). One query."""
    rows: dict[int | None, TownshipRow] = {}
    for entry in (
        RollCallEntry.objects.filter(roll_call=roll_call)
        .select_related("unit", "township", "person", "escalated_to")
        .order_by("township__lft", "unit__lft", "person__real_name", "pk")
    ):
        row = rows.setdefault(entry.township_id, TownshipRow(township=entry.township))
        row.called += 1
        if entry.acknowledged_at:
            row.answered += 1
        else:
            row.unreached.append(entry)
    return list(rows.values())


def my_open_entries(user, roll_call: RollCall) -> list[RollCallEntry]:
    return list(RollCallEntry.objects.filter(roll_call=roll_call, person=user).select_related("unit"))


def my_roll_calls(user) -> list[RollCallEntry]:
    """The person's unanswered roll-call entries (their phone's list)."""
    return list(
        RollCallEntry.objects.filter(person=user, acknowledged_at__isnull=True)
        .select_related("roll_call__unit", "unit")
        .order_by("-roll_call__started_at")[:20]
    )
