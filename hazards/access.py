"""Which hazards a person may see and act on: built on grids.scope, nowhere else.

A person sees the hazards located in the grids of their memberships (escalated ones included:
the lower tiers keep seeing them), and department staff see the hazards copied to their
department. Acting is checked against the owning tier (rulings) or the hazard's own unit
(evidence), through the action table of grids.scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from grids.models import GridUnit
from grids.scope import scope_for
from hazards.models import Hazard, HazardCopy
from hazards.permissions import HazardAction


def visible_hazards(user) -> QuerySet[Hazard]:
    scope = scope_for(user)
    condition = scope.unit_in_q("unit", grants_only=True)  # unit_id IN (…): the unit index
    if getattr(user, "department_id", None):
        copied = HazardCopy.objects.filter(scope.department_q(), hazard=OuterRef("pk"))
        condition |= Q(Exists(copied))
    return scope.filter_q(Hazard.objects.all(), condition)


def visible_subtrees(user, unit: GridUnit | None = None) -> list[tuple[int, int]] | None:
    """``visible_hazards`` (inside ``unit``) as whole subtrees: (unit id, level) of the units whose
    subtrees hold exactly the hazards the person sees, for figures kept per subtree
    (``hazards.tallies``). None when no set of subtrees is that: department staff also see the
    hazards copied to their department, wherever those lie."""
    if getattr(user, "department_id", None):
        return None
    return scope_for(user).subtree_roots(unit)


def can_see_hazard(user, hazard: Hazard) -> bool:
    scope = scope_for(user)
    if scope.can_see_by_grant(hazard.unit):
        return True
    return bool(getattr(user, "department_id", None)) and hazard.copies.filter(scope.department_q()).exists()


def may(user, action: str, hazard: Hazard) -> bool:
    unit = hazard.unit if action == HazardAction.EVIDENCE else hazard.owner_unit
    return scope_for(user).can(action, unit)


def get_hazard_for_user(user, pk, *, action: str | None = None) -> Hazard:
    """The hazard ``pk``: 404 when the user cannot see it, 403 when they may not do ``action``."""
    try:
        hazard = Hazard.objects.select_related("unit", "owner_unit", "category", "reporter").get(pk=pk)
    except (Hazard.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such hazard.")) from None
    if not can_see_hazard(user, hazard):
        raise Http404(_("No such hazard."))
    if action and not may(user, action, hazard):
        raise PermissionDenied(_("Your roles do not allow this on this hazard."))
    return hazard


def reportable_units(user) -> QuerySet[GridUnit]:
    """The active units where the person may report a hazard, in tree order."""
    return scope_for(user).units_where(HazardAction.REPORT).filter(is_active=True).order_by("tree_id", "lft")


def may_report(user) -> bool:
    """May the person report a hazard anywhere (the 上报隐患 link and page)?"""
    return reportable_units(user).exists()


def has_own_hazards(user) -> bool:
    """Has the person a list of their own hazards ("我的隐患"): a role in a grid, or reports of their own."""
    return bool(scope_for(user).own_unit_ids()) or Hazard.objects.filter(reporter=user).exists()


def may_see_copies(user) -> bool:
    """The page of hazards copied (抄告) to a department: its staff and administrators."""
    return scope_for(user).serves_any_department()
