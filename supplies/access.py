"""Which depots, lots and ledger rows a person may see and act on: built on grids.scope, nowhere else.

- A depot (and its lots and ledger) is seen by whoever sees its owner unit: the owner, the tiers
  above it, and the county's departments (read-only).
- Its stock is moved (received, issued, adjusted, disposed of) by the owner's own people: a role in
  the owner unit itself that ``supplies.permissions`` allows. A superuser may do everything."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from grids.scope import scope_for
from supplies.models import Depot, Lot, Movement
from supplies.permissions import SupplyAction


def visible_depots(user) -> QuerySet[Depot]:
    return scope_for(user).filter(Depot.objects.all(), "unit")


def visible_lots(user) -> QuerySet[Lot]:
    return scope_for(user).filter(Lot.objects.all(), "depot__unit")


def visible_movements(user) -> QuerySet[Movement]:
    return scope_for(user).filter(Movement.objects.all(), "depot__unit")


def may_move(user, depot: Depot) -> bool:
    """May ``user`` move the stock of ``depot`` (one of its owner's own people)?"""
    return scope_for(user).can(SupplyAction.MOVE, depot.unit)


def refuse_move() -> PermissionDenied:
    return PermissionDenied(_("Only the depot owner's own people may move its stock."))


def get_depot_for_user(user, pk, *, move: bool = False) -> Depot:
    """The depot ``pk``: 404 when the user cannot see it, 403 with ``move`` unless they may move its stock."""
    try:
        depot = visible_depots(user).select_related("unit").get(pk=pk)
    except (Depot.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such depot.")) from None
    if move and not may_move(user, depot):
        raise refuse_move()
    return depot


def get_lot_for_user(user, pk, *, move: bool = False) -> Lot:
    """The lot ``pk``: 404 when unseen, 403 with ``move`` unless the user may move its depot's stock."""
    try:
        lot = visible_lots(user).select_related("depot__unit", "item").get(pk=pk)
    except (Lot.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such lot.")) from None
    if move and not may_move(user, lot.depot):
        raise refuse_move()
    return lot


def get_movement_for_user(user, pk) -> Movement:
    try:
        return (
            visible_movements(user).select_related("depot__unit", "item", "lot", "by", "to_unit", "incident").get(pk=pk)
        )
    except (Movement.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such ledger row.")) from None
