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

from grids.scope import scope_for
from hazards.models import Hazard, HazardCopy
from hazards.permissions import HazardAction


def visible_hazards(user) -> QuerySet[Hazard]:
    scope = scope_for(user)
    condition = scope.unit_q("unit__", grants_only=True)
    if getattr(user, "department_id", None):
        copied = HazardCopy.objects.filter(scope.department_q(), hazard=OuterRef("pk"))
        condition |= Q(Exists(copied))
    return scope.filter_q(Hazard.objects.all(), condition)


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
