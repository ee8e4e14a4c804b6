"""Every change of stock: receive, issue, dispose, adjust, flag maintenance. Each runs in one
transaction, locks the lot (``select_for_update(of=("self",))``), checks the person's right through
``supplies.access``, changes the lot's quantity and writes its ledger row together, and refuses in
Chinese (``ValidationError`` for the stock, ``PermissionDenied`` for the role). A lot's quantity is
therefore always the sum of its ledger rows, and never negative."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.models import Incident
from grids.limits import NOTE_MAX_LENGTH, bound_date, bound_int, bound_text
from grids.models import GridUnit, User
from supplies import access
from supplies.models import Depot, Lot, Movement, SupplyItem


def locked_lot(lot: Lot | int) -> Lot:
    pk = lot.pk if isinstance(lot, Lot) else lot
    return Lot.objects.select_for_update(of=("self",)).select_related("depot__unit", "item").get(pk=pk)


def _check_move(by: User, depot: Depot) -> None:
    if not access.may_move(by, depot):
        raise access.refuse_move()


def _positive(value, field: str = "quantity") -> int:
    return bound_int(field, value, Lot, "quantity", min_value=1)


def write_movement(
    lot: Lot, *, kind: str, change: int, by: User, reason: str = "", document_no: str = "", **extra
) -> Movement:
    """Change the locked ``lot`` by ``change`` and write its ledger row (the caller holds the lock)."""
    bound_text("reason", reason, Movement, max_length=NOTE_MAX_LENGTH)
    bound_text("document_no", document_no, Movement)
    balance = lot.quantity + change
    if balance < 0:
        raise ValidationError(
            {
                "quantity": _("Only %(left)s %(unit)s of %(item)s are left in this lot.")
                % {"left": lot.quantity, "unit": lot.item.unit_of_measure, "item": lot.item.name}
            }
        )
    lot.quantity = balance
    lot.save(update_fields=["quantity"])
    return Movement.objects.create(
        lot=lot,
        depot_id=lot.depot_id,
        item_id=lot.item_id,
        kind=kind,
        quantity=change,
        balance=balance,
        by=by,
        at=timezone.now(),
        reason=reason,
        document_no=document_no,
        **extra,
    )


def first_maintenance_due(item: SupplyItem, *, on: datetime.date | None = None) -> datetime.date | None:
    """When equipment received ``on`` (today) is first due for maintenance: one interval later."""
    if not item.needs_maintenance or not item.maintenance_interval_days:
        return None
    return (on or timezone.localdate()) + datetime.timedelta(days=item.maintenance_interval_days)


def usable_refusal(lot: Lot, today: datetime.date) -> str | None:
    """Why ``lot`` may not leave its depot (expired, under maintenance), or ``None``."""
    if lot.is_expired(today):
        return _("This lot of %(item)s expired on %(date)s and cannot be issued or transferred; dispose of it.") % {
            "item": lot.item.name,
            "date": lot.expiry_date.isoformat(),
        }
    if lot.under_maintenance:
        return _("This lot of %(item)s is under maintenance and cannot be issued or transferred.") % {
            "item": lot.item.name
        }
    return None


def fefo(depot: Depot, item: SupplyItem, quantity: int, *, today: datetime.date | None = None) -> list[tuple[Lot, int]]:
    """First-expiry-first-out: the usable lots of ``item`` in ``depot`` (unexpired, not under
    maintenance) to take ``quantity`` from, earliest expiry first, as (lot, how many). Less than
    ``quantity`` in all when the depot does not hold enough."""
    today = today or timezone.localdate()
    plan, left = [], quantity
    lots = Lot.objects.filter(depot=depot, item=item, quantity__gt=0, under_maintenance=False).exclude(
        expiry_date__lt=today
    )
    for lot in lots.order_by(*Lot._meta.ordering):
        if left <= 0:
            break
        take = min(left, lot.quantity)
        plan.append((lot, take))
        left -= take
    return plan


@transaction.atomic
def stock_receive(
    *,
    depot: Depot,
    item: SupplyItem,
    quantity: int,
    by: User,
    source: str = Lot.Source.PROCURED,
    production_date: datetime.date | None = None,
    expiry_date: datetime.date | None = None,
    storage_place: str = "",
    reason: str = "",
    document_no: str = "",
    kind: str = Movement.Kind.RECEIVE,
) -> Lot:
    """入库: a new lot of ``item`` in ``depot`` with its first ledger row. The owner's own people."""
    _check_move(by, depot)
    quantity = _positive(quantity)
    bound_date("production_date", production_date, model=Lot)
    bound_date("expiry_date", expiry_date, model=Lot)
    if source not in Lot.Source.values:
        raise ValidationError({"source": _("Choose a source from the list.")})
    if production_date and expiry_date and expiry_date < production_date:
        raise ValidationError({"expiry_date": _("The expiry date cannot be before the production date.")})
    if expiry_date is None and production_date and item.shelf_life_days:
        expiry_date = production_date + datetime.timedelta(days=item.shelf_life_days)
    bound_text("storage_place", storage_place, Lot)
    lot = Lot(
        item=item,
        depot=depot,
        quantity=0,
        source=source,
        production_date=production_date,
        expiry_date=expiry_date,
        storage_place=storage_place,
        received_at=timezone.now(),
        next_maintenance_due=first_maintenance_due(item),
    )
    lot._history_user = by
    lot._change_reason = "receive"
    lot.save()
    write_movement(lot, kind=kind, change=quantity, by=by, reason=reason, document_no=document_no)
    return lot


@transaction.atomic
def stock_issue(
    *,
    lot: Lot,
    quantity: int,
    by: User,
    reason: str = "",
    document_no: str = "",
    incident: Incident | None = None,
    to_unit: GridUnit | None = None,
    recipient: str = "",
) -> Movement:
    """出库: issue ``quantity`` of the lot to an incident, a unit or a named recipient. Refused for an
    expired lot, a lot under maintenance, and more than the lot holds (under the lot's row lock, so
    two issues at once never overdraw it). The owner's own people."""
    lot = locked_lot(lot)
    _check_move(by, lot.depot)
    quantity = _positive(quantity)
    refusal = usable_refusal(lot, timezone.localdate())
    if refusal:
        raise ValidationError({"lot": refusal})
    if incident is None and to_unit is None and not recipient.strip():
        raise ValidationError({"recipient": _("Say whom the goods go to: an incident, a unit or a recipient.")})
    bound_text("recipient", recipient, Movement)
    return write_movement(
        lot,
        kind=Movement.Kind.ISSUE,
        change=-quantity,
        by=by,
        reason=reason,
        document_no=document_no,
        incident=incident,
        to_unit=to_unit,
        recipient=recipient.strip(),
    )


@transaction.atomic
def stock_dispose(*, lot: Lot, quantity: int, by: User, reason: str, document_no: str = "") -> Movement:
    """报废: take expired or damaged goods out of the lot, with the reason. The owner's own people."""
    lot = locked_lot(lot)
    _check_move(by, lot.depot)
    quantity = _positive(quantity)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the disposal.")})
    return write_movement(
        lot, kind=Movement.Kind.DISPOSE, change=-quantity, by=by, reason=reason, document_no=document_no
    )


@transaction.atomic
def stock_adjust(*, lot: Lot, counted: int, by: User, reason: str, document_no: str = "") -> Movement | None:
    """盘点调整: set the lot to the ``counted`` quantity, the difference as a ledger row (none when
    the count agrees). The owner's own people."""
    lot = locked_lot(lot)
    _check_move(by, lot.depot)
    counted = bound_int("counted", counted, Lot, "quantity")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    if counted == lot.quantity:
        return None
    return write_movement(
        lot, kind=Movement.Kind.ADJUST, change=counted - lot.quantity, by=by, reason=reason, document_no=document_no
    )


@transaction.atomic
def lot_set_maintenance(*, lot: Lot, under_maintenance: bool, by: User) -> Lot:
    """Put the lot under maintenance (it cannot be issued) or take it out again. The owner's own people."""
    lot = locked_lot(lot)
    _check_move(by, lot.depot)
    if lot.under_maintenance != under_maintenance:
        lot.under_maintenance = under_maintenance
        lot._history_user = by
        lot._change_reason = "maintenance" if under_maintenance else "maintained"
        lot.save(update_fields=["under_maintenance"])
    return lot
