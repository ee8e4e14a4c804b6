"""Transfers (调拨): request → approve (or reject) → dispatch → receive and sign; an order from above
starts approved. Each step runs in one transaction under the transfer's row lock, checks the state
and the person's right (``supplies.access``), writes the ledger rows of the stock that moves, and
sends the next party a delivery (``delivery.services.send_document``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.sequences import next_value
from delivery.models import Document
from delivery.services import send_document
from grids.limits import NOTE_MAX_LENGTH, bound_int, bound_text
from grids.models import GridUnit, User
from grids.scope import scope_for
from supplies import access
from supplies.models import Depot, Lot, Movement, SupplyItem, Transfer, TransferLine, TransferSequence
from supplies.permissions import TransferAction
from supplies.services.stock import usable_refusal, write_movement


def _refuse_state(message: str) -> ValidationError:
    return ValidationError(message, code="state")


def locked_transfer(transfer: Transfer | int) -> Transfer:
    pk = transfer.pk if isinstance(transfer, Transfer) else transfer
    return (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("source_unit", "source_depot__unit", "to_unit", "to_depot")
        .get(pk=pk)
    )


def _number(county: GridUnit) -> str:
    year = timezone.localdate().year
    return f"{county.code}调〔{year}〕{next_value(TransferSequence, county=county, year=year):04d}"


def _clean_lines(lines: Iterable[tuple[SupplyItem, int]]) -> list[tuple[SupplyItem, int]]:
    merged: dict[int, list] = {}
    for item, quantity in lines:
        quantity = bound_int("quantity", quantity, TransferLine, min_value=1)
        if item.pk in merged:
            merged[item.pk][1] += quantity
        else:
            merged[item.pk] = [item, quantity]
    if not merged:
        raise ValidationError({"lines": _("Ask for at least one item.")})
    return [(item, quantity) for item, quantity in merged.values()]


def _save(transfer: Transfer, fields: list[str], reason: str, by: User) -> None:
    transfer._change_reason = reason
    transfer._history_user = by
    transfer.save(update_fields=fields)


def _deliver(transfer: Transfer, *, sender: GridUnit, to: GridUnit, title: str, by: User) -> None:
    lines = "；".join(
        f"{line.item.name} {line.quantity}{line.item.unit_of_measure}" for line in transfer.lines.select_related("item")
    )
    send_document(
        sender_unit=sender,
        kind=Document.Kind.SUPPLY_TRANSFER,
        title=f"{title}：{transfer.number}",
        body=lines,
        url=reverse("supplies:transfer_detail", args=[transfer.pk]),
        by=by,
        to_units=[to],
    )


def _create(*, by, kind, source_unit, to_unit, lines, urgency, reason, state, source_depot=None) -> Transfer:
    if urgency not in Transfer.Urgency.values:
        raise ValidationError({"urgency": _("Choose an urgency from the list.")})
    bound_text("reason", reason, Transfer, max_length=NOTE_MAX_LENGTH)
    now = timezone.now()
    transfer = Transfer(
        number=_number(to_unit.get_root()),
        kind=kind,
        urgency=urgency,
        state=state,
        source_unit=source_unit,
        source_depot=source_depot,
        to_unit=to_unit,
        reason=reason,
        requested_by=by,
        requested_at=now,
    )
    if state == Transfer.State.APPROVED:
        transfer.decided_by, transfer.decided_at = by, now
    transfer._history_user = by
    transfer._change_reason = kind
    transfer.save()
    TransferLine.objects.bulk_create(
        [TransferLine(transfer=transfer, item=item, quantity=quantity) for item, quantity in _clean_lines(lines)]
    )
    return transfer


@transaction.atomic
def transfer_request(
    *,
    by: User,
    to_unit: GridUnit,
    source_unit: GridUnit,
    lines: Iterable[tuple[SupplyItem, int]],
    urgency: str = Transfer.Urgency.NORMAL,
    reason: str = "",
) -> Transfer:
    """A lower tier asks a unit above it for supplies. The asking unit's own people; delivered to
    the source unit."""
    if not access.may_request(by, to_unit):
        raise PermissionDenied(_("Only the unit's own people may ask for supplies for it."))
    if source_unit.pk == to_unit.pk or not source_unit.contains(to_unit):
        raise ValidationError({"source_unit": _("Ask a unit above your own.")})
    transfer = _create(
        by=by, kind=Transfer.Kind.REQUEST, source_unit=source_unit, to_unit=to_unit, lines=lines,
        urgency=urgency, reason=reason, state=Transfer.State.REQUESTED,
    )  # fmt: skip
    _deliver(transfer, sender=to_unit, to=source_unit, title=_("Supply transfer request"), by=by)
    return transfer


@transaction.atomic
def transfer_order(
    *,
    by: User,
    source_depot: Depot,
    to_unit: GridUnit,
    lines: Iterable[tuple[SupplyItem, int]],
    urgency: str = Transfer.Urgency.NORMAL,
    reason: str = "",
) -> Transfer:
    """An order from above: the source depot's owner sends supplies to a unit below it. Its
    approvers; the transfer starts approved and is delivered to the receiving unit."""
    source_unit = source_depot.unit
    if not scope_for(by).can(TransferAction.APPROVE, source_unit):
        raise PermissionDenied(_("Only the source unit's leaders and dispatchers may order a transfer."))
    if source_unit.pk == to_unit.pk or not source_unit.contains(to_unit):
        raise ValidationError({"to_unit": _("Send to a unit below the depot's owner.")})
    transfer = _create(
        by=by, kind=Transfer.Kind.ORDER, source_unit=source_unit, to_unit=to_unit, lines=lines,
        urgency=urgency, reason=reason, state=Transfer.State.APPROVED, source_depot=source_depot,
    )  # fmt: skip
    _deliver(transfer, sender=source_unit, to=to_unit, title=_("Supply transfer order"), by=by)
    return transfer


def _check_approver(by: User, transfer: Transfer) -> None:
    if not access.may_approve(by, transfer):
        raise PermissionDenied(_("Only the source unit's leaders and dispatchers may decide on this transfer."))


@transaction.atomic
def transfer_approve(*, transfer: Transfer, by: User, source_depot: Depot, note: str = "") -> Transfer:
    """批准: the source unit names the depot that sends. Its approvers; delivered to the asking unit."""
    transfer = locked_transfer(transfer)
    _check_approver(by, transfer)
    if transfer.state != Transfer.State.REQUESTED:
        raise _refuse_state(_("Only a requested transfer is approved or rejected."))
    if source_depot.unit_id != transfer.source_unit_id or not source_depot.is_active:
        raise ValidationError({"source_depot": _("Choose one of the source unit's own depots.")})
    transfer.state, transfer.source_depot = Transfer.State.APPROVED, source_depot
    transfer.decided_by, transfer.decided_at = by, timezone.now()
    transfer.decision_note = bound_text("note", note, Transfer, "decision_note", max_length=NOTE_MAX_LENGTH)
    _save(transfer, ["state", "source_depot", "decided_by", "decided_at", "decision_note"], "approve", by)
    _deliver(transfer, sender=transfer.source_unit, to=transfer.to_unit, title=_("Supply transfer approved"), by=by)
    return transfer


@transaction.atomic
def transfer_reject(*, transfer: Transfer, by: User, note: str) -> Transfer:
    """不予调拨, with the reason. The source unit's approvers; delivered to the asking unit."""
    transfer = locked_transfer(transfer)
    _check_approver(by, transfer)
    if transfer.state != Transfer.State.REQUESTED:
        raise _refuse_state(_("Only a requested transfer is approved or rejected."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Give the reason for the refusal.")})
    transfer.state, transfer.decided_by, transfer.decided_at = Transfer.State.REJECTED, by, timezone.now()
    transfer.decision_note = bound_text("note", note, Transfer, "decision_note", max_length=NOTE_MAX_LENGTH)
    _save(transfer, ["state", "decided_by", "decided_at", "decision_note"], "reject", by)
    _deliver(transfer, sender=transfer.source_unit, to=transfer.to_unit, title=_("Supply transfer refused"), by=by)
    return transfer


@transaction.atomic
def transfer_dispatch(*, transfer: Transfer, by: User) -> Transfer:
    """发出: the stock leaves the source depot, first expiry first, skipping expired lots and lots
    under maintenance, under the lots' row locks; in transit until signed for. The source depot's own
    people; delivered to the receiving unit. All or nothing: a line the depot cannot fill refuses
    the whole dispatch."""
    transfer = locked_transfer(transfer)
    if transfer.state != Transfer.State.APPROVED:
        raise _refuse_state(_("Only an approved transfer is dispatched."))
    depot = transfer.source_depot
    if not access.may_move(by, depot):
        raise access.refuse_move()
    lines = list(transfer.lines.select_related("item"))
    today = timezone.localdate()
    lots = list(
        Lot.objects.select_for_update(of=("self",))
        .select_related("item", "depot")
        .filter(depot=depot, item__in=[line.item_id for line in lines], quantity__gt=0)
        .order_by("pk")  # locked in one order: two dispatches never deadlock
    )
    lots.sort(key=lambda lot: (lot.expiry_date is None, lot.expiry_date or today, lot.received_at, lot.pk))
    for line in lines:
        left = line.quantity
        for lot in (lot for lot in lots if lot.item_id == line.item_id):
            if left == 0:
                break
            if usable_refusal(lot, today):
                continue
            take = min(left, lot.quantity)
            write_movement(lot, kind=Movement.Kind.TRANSFER_OUT, change=-take, by=by, document_no=transfer.number,
                   to_unit=transfer.to_unit, transfer=transfer)  # fmt: skip
            left -= take
        if left:
            raise ValidationError(
                _("The depot has %(short)s %(unit)s of %(item)s too few usable to send (expired lots and lots under maintenance are not sent).")
                % {"short": left, "unit": line.item.unit_of_measure, "item": line.item.name}
            )  # fmt: skip
        line.sent = line.quantity
    TransferLine.objects.bulk_update(lines, ["sent"])
    transfer.state, transfer.dispatched_by, transfer.dispatched_at = Transfer.State.DISPATCHED, by, timezone.now()
    _save(transfer, ["state", "dispatched_by", "dispatched_at"], "dispatch", by)
    _deliver(transfer, sender=depot.unit, to=transfer.to_unit, title=_("Supplies dispatched"), by=by)
    return transfer


@transaction.atomic
def transfer_receive(
    *, transfer: Transfer, by: User, to_depot: Depot, received: dict[int, int], differences: str = ""
) -> Transfer:
    """签收: the receiving unit's own people count what arrived into one of its depots; each line's
    count (at most what was sent) becomes new lots keeping the source lots' dates, with their
    ``TRANSFER_IN`` ledger rows. A difference needs a note. Delivered to the source unit."""
    transfer = locked_transfer(transfer)
    if transfer.state != Transfer.State.DISPATCHED:
        raise _refuse_state(_("Only a transfer in transit is signed for."))
    if to_depot.unit_id != transfer.to_unit_id or not to_depot.is_active:
        raise ValidationError({"to_depot": _("Choose one of the receiving unit's own depots.")})
    if not access.may_move(by, to_depot):
        raise access.refuse_move()
    bound_text("differences", differences, Transfer, max_length=NOTE_MAX_LENGTH)
    lines = list(transfer.lines.select_related("item"))
    counts = {}
    for line in lines:
        count = received.get(line.pk, line.sent)
        count = bound_int(f"line_{line.pk}", count, TransferLine, "received", min_value=0)
        if count > line.sent:
            raise ValidationError(
                {f"line_{line.pk}": _("%(item)s: at most %(sent)s were sent.") % {"item": line.item.name, "sent": line.sent}}
            )  # fmt: skip
        counts[line.pk] = count
    if any(counts[line.pk] != line.sent for line in lines) and not differences.strip():
        raise ValidationError({"differences": _("Say what differs from what was sent.")})
    outs = list(transfer.movements.filter(kind=Movement.Kind.TRANSFER_OUT).select_related("lot").order_by("pk"))
    now = timezone.now()
    for line in lines:
        left = counts[line.pk]
        for out in (m for m in outs if m.item_id == line.item_id):
            if left == 0:
                break
            take = min(left, -out.quantity)
            lot = Lot(
                item_id=line.item_id, depot=to_depot, quantity=0, source=Lot.Source.TRANSFERRED,
                production_date=out.lot.production_date, expiry_date=out.lot.expiry_date, received_at=now,
                next_maintenance_due=out.lot.next_maintenance_due,
            )  # fmt: skip
            lot._history_user = by
            lot._change_reason = "transfer_in"
            lot.save()
            lot.item = line.item
            write_movement(lot, kind=Movement.Kind.TRANSFER_IN, change=take, by=by, document_no=transfer.number,
                   transfer=transfer)  # fmt: skip
            left -= take
        line.received = counts[line.pk]
    TransferLine.objects.bulk_update(lines, ["received"])
    transfer.state, transfer.to_depot, transfer.received_by, transfer.received_at = (
        Transfer.State.RECEIVED, to_depot, by, now,
    )  # fmt: skip
    transfer.differences = differences.strip()
    _save(transfer, ["state", "to_depot", "received_by", "received_at", "differences"], "receive", by)
    _deliver(transfer, sender=transfer.to_unit, to=transfer.source_unit, title=_("Supplies signed for"), by=by)
    return transfer
