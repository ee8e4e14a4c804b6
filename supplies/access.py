"""Which depots, lots and ledger rows a person may see and act on: built on grids.scope, nowhere else.

- A depot (and its lots and ledger) is seen by whoever sees its owner unit: the owner, the tiers
  above it, and the county's departments (read-only).
- Its stock is moved (received, issued, adjusted, disposed of) by the owner's own people: a role in
  the owner unit itself that ``supplies.permissions`` allows. A superuser may do everything."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from grids.models import GridUnit, above_q
from grids.scope import scope_for
from supplies.models import AgreementReserve, Depot, Lot, MaintenanceRecord, Movement, StockTake, Transfer
from supplies.permissions import StockTakeAction, SupplyAction, TransferAction


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


# --- transfers ----------------------------------------------------------------------------------


def visible_transfers(user) -> QuerySet[Transfer]:
    """Transfers the person sees: those from or to a unit they see (both sides)."""
    scope = scope_for(user)
    return scope.filter_q(Transfer.objects.all(), scope.unit_q("source_unit__") | scope.unit_q("to_unit__"))


def may_approve(user, transfer: Transfer) -> bool:
    return scope_for(user).can(TransferAction.APPROVE, transfer.source_unit)


def may_request(user, unit) -> bool:
    """May the person ask for supplies for ``unit`` (its own people)?"""
    return scope_for(user).can(SupplyAction.MOVE, unit)


def get_transfer_for_user(user, pk) -> Transfer:
    try:
        return visible_transfers(user).select_related("source_unit", "source_depot", "to_unit", "to_depot").get(pk=pk)
    except (Transfer.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such transfer.")) from None


def request_units(user) -> QuerySet:
    """The units the person may ask supplies for (their own units)."""
    return scope_for(user).units_where(SupplyAction.MOVE)


def request_sources(user) -> QuerySet:
    """The units above the person's own units, which they may ask for supplies (names only)."""
    units = list(request_units(user))
    if not units:
        return GridUnit.objects.none()
    condition = reduce(or_, (above_q(unit) for unit in units))
    return GridUnit.objects.filter(condition).exclude(pk__in=[u.pk for u in units]).filter(is_active=True)


def order_depots(user) -> QuerySet[Depot]:
    """The depots the person may order transfers from (their own units' depots, as approver)."""
    return Depot.objects.filter(
        unit__in=scope_for(user).units_where(TransferAction.APPROVE), is_active=True
    ).select_related("unit")


def transfers_awaiting(user) -> QuerySet[Transfer]:
    """Transfers waiting for one of the person's own units: to approve, to dispatch, to sign for."""
    scope = scope_for(user)
    approve = scope.units_where(TransferAction.APPROVE)
    move = scope.units_where(SupplyAction.MOVE)
    return visible_transfers(user).filter(
        Q(state=Transfer.State.REQUESTED, source_unit__in=approve)
        | Q(state=Transfer.State.APPROVED, source_depot__unit__in=move)
        | Q(state=Transfer.State.DISPATCHED, to_unit__in=move)
    )


# --- agreement reserves, maintenance, stock-takes --------------------------------------------------


def visible_agreements(user) -> QuerySet[AgreementReserve]:
    """Agreement reserves of the units the person sees."""
    return scope_for(user).filter(AgreementReserve.objects.all(), "unit")


def may_agree(user, unit) -> bool:
    """May the person record agreement reserves for ``unit`` (its leaders and dispatchers)?"""
    return scope_for(user).can(StockTakeAction.AGREE, unit)


def agreement_units(user) -> QuerySet:
    return scope_for(user).units_where(StockTakeAction.AGREE)


def get_agreement_for_user(user, pk, *, write: bool = False) -> AgreementReserve:
    """The agreement ``pk``: 404 when unseen, 403 with ``write`` unless the person may record its unit's agreements."""
    try:
        agreement = visible_agreements(user).select_related("unit", "created_by").get(pk=pk)
    except (AgreementReserve.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such agreement reserve.")) from None
    if write and not may_agree(user, agreement.unit):
        raise PermissionDenied(_("Only the unit's leaders and dispatchers may record its agreement reserves."))
    return agreement


def visible_maintenance(user) -> QuerySet[MaintenanceRecord]:
    return scope_for(user).filter(MaintenanceRecord.objects.all(), "lot__depot__unit")


def visible_stock_takes(user) -> QuerySet[StockTake]:
    return scope_for(user).filter(StockTake.objects.all(), "depot__unit")


def get_stocktake_for_user(user, pk, *, write: bool = False) -> StockTake:
    """The stock-take ``pk``: 404 when unseen, 403 with ``write`` unless the person may approve it."""
    try:
        stock_take = visible_stock_takes(user).select_related("depot__unit", "counted_by", "decided_by").get(pk=pk)
    except (StockTake.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such stock-take.")) from None
    if write and not scope_for(user).can(StockTakeAction.APPROVE, stock_take.depot.unit):
        raise PermissionDenied(_("Only the depot owner's leaders may approve its stock-take."))
    return stock_take
