"""Which teams, experts and roll calls a person may see and change: built on grids.scope, nowhere else.

- A team or an expert is seen by its keeping unit's line: the units below it (a township's
  villages call on its squadron), the tiers above it and the county's departments (read-only).
- They are kept (changed, imported) by ``resources.edit`` on the keeping unit.
- A roll call is seen by whoever sees the unit that started it; each person called sees their
  own entries (to acknowledge them on the phone).
- A team or an expert is recorded on an incident, a consultation or a plan by ``resources.assign``
  on that object's unit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from grids.models import above_q
from grids.scope import scope_for
from resources.models import Expert, RollCall, Team, TeamMember
from resources.permissions import ResourceAction


def _line_q(scope, prefix: str = "") -> Q:
    """Kept in the person's subtrees or by a unit above one of them."""
    condition = scope.unit_q(f"{prefix}unit__")
    for unit in scope.top_units():
        condition |= above_q(unit, f"{prefix}unit__")
    return condition


def visible_teams(user) -> QuerySet[Team]:
    scope = scope_for(user)
    return scope.filter_q(Team.objects.all(), _line_q(scope))


def visible_members(user) -> QuerySet[TeamMember]:
    scope = scope_for(user)
    return scope.filter_q(TeamMember.objects.all(), _line_q(scope, "team__"))


def visible_experts(user) -> QuerySet[Expert]:
    scope = scope_for(user)
    return scope.filter_q(Expert.objects.all(), _line_q(scope))


def visible_roll_calls(user) -> QuerySet[RollCall]:
    return scope_for(user).filter(RollCall.objects.all(), "unit")


def may_edit(user, unit) -> bool:
    return scope_for(user).can(ResourceAction.EDIT, unit)


def may_assign(user, unit) -> bool:
    return scope_for(user).can(ResourceAction.ASSIGN, unit)


def may_roll_call(user, unit) -> bool:
    return scope_for(user).can(ResourceAction.ROLL_CALL, unit)


def edit_units(user) -> QuerySet:
    """The units whose teams and experts the person keeps (form choices)."""
    return scope_for(user).units_where(ResourceAction.EDIT)


def roll_call_units(user) -> QuerySet:
    return scope_for(user).units_where(ResourceAction.ROLL_CALL)


def may_open_resources(user) -> bool:
    """The navigation link: anyone who sees some unit."""
    return scope_for(user).sees_anything()


def refuse_edit() -> PermissionDenied:
    return PermissionDenied(_("You may not change the teams and experts of this unit."))


def get_team_for_user(user, pk, *, write: bool = False) -> Team:
    """The team ``pk``: 404 when unseen, 403 with ``write`` unless the user keeps its unit's teams."""
    try:
        team = visible_teams(user).select_related("unit").get(pk=pk)
    except (Team.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such team.")) from None
    if write and not may_edit(user, team.unit):
        raise refuse_edit()
    return team


def get_expert_for_user(user, pk, *, write: bool = False) -> Expert:
    try:
        expert = visible_experts(user).select_related("unit").get(pk=pk)
    except (Expert.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such expert.")) from None
    if write and not may_edit(user, expert.unit):
        raise refuse_edit()
    return expert


def get_roll_call_for_user(user, pk, *, write: bool = False) -> RollCall:
    """The roll call ``pk``: seen by those who see its unit, or by a person it called (to answer)."""
    scope = scope_for(user)
    condition = scope.unit_q("unit__") | Q(entries__person=user) if user.is_authenticated else scope.unit_q("unit__")
    try:
        roll_call = (
            scope.filter_q(RollCall.objects.all(), condition).distinct().select_related("unit", "started_by").get(pk=pk)
        )
    except (RollCall.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such roll call.")) from None
    if write and not may_roll_call(user, roll_call.unit):
        raise PermissionDenied(_("You may not run roll calls of this unit."))
    return roll_call
