"""Agreement reserves (协议储备) and maintenance records (检修保养). Each runs in one transaction,
checks the person's right through ``supplies.access`` and refuses in Chinese."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.limits import NOTE_MAX_LENGTH, bound_date, bound_int, bound_text
from grids.models import GridUnit, User
from supplies import access
from supplies.models import AgreementLine, AgreementReserve, Lot, MaintenanceRecord, ReserveMode, SupplyItem
from supplies.services.stock import locked_lot


@transaction.atomic
def agreement_create(
    *,
    by: User,
    unit: GridUnit,
    supplier: str,
    contact_name: str,
    phone: str,
    contract_no: str,
    valid_from: datetime.date,
    valid_until: datetime.date,
    response_hours: int,
    lines: Iterable[tuple[SupplyItem, int]],
    method: str = AgreementReserve.Method.AGREEMENT,
    reserve_mode: str = ReserveMode.COMMERCIAL,
    note: str = "",
) -> AgreementReserve:
    """协议储备: record a supplier's guarantee for ``unit`` (its leaders and dispatchers, county or township)."""
    if not access.may_agree(by, unit):
        raise PermissionDenied(_("Only the unit's leaders and dispatchers may record its agreement reserves."))
    for field, value in (("supplier", supplier), ("contact_name", contact_name), ("phone", phone),
                         ("contract_no", contract_no)):  # fmt: skip
        if not (value or "").strip():
            raise ValidationError({field: _("This field is required.")})
        bound_text(field, value, AgreementReserve)
    bound_text("note", note, AgreementReserve, max_length=NOTE_MAX_LENGTH)
    bound_date("valid_from", valid_from, model=AgreementReserve, allow_none=False)
    bound_date("valid_until", valid_until, model=AgreementReserve, allow_none=False)
    if valid_until < valid_from:
        raise ValidationError({"valid_until": _("The contract cannot end before it starts.")})
    bound_int("response_hours", response_hours, AgreementReserve, min_value=1)
    if response_hours > 720:
        raise ValidationError({"response_hours": _("At most 720 hours (30 days).")})
    if method not in AgreementReserve.Method.values:
        raise ValidationError({"method": _("Choose a reserve method from the list.")})
    if reserve_mode not in ReserveMode.values:
        raise ValidationError({"reserve_mode": _("Choose a reserve mode from the list.")})
    merged: dict[int, list] = {}
    for item, quantity in lines:
        quantity = bound_int("quantity", quantity, AgreementLine, min_value=1)
        merged.setdefault(item.pk, [item, 0])[1] += quantity
    if not merged:
        raise ValidationError({"lines": _("Name at least one item the supplier guarantees.")})
    agreement = AgreementReserve(
        unit=unit, supplier=supplier.strip(), contact_name=contact_name.strip(), phone=phone.strip(),
        contract_no=contract_no.strip(), valid_from=valid_from, valid_until=valid_until,
        response_hours=response_hours, method=method, reserve_mode=reserve_mode, note=note, created_by=by,
    )  # fmt: skip
    agreement._history_user = by
    agreement._change_reason = "create"
    agreement.save()
    AgreementLine.objects.bulk_create(
        [AgreementLine(agreement=agreement, item=item, quantity=n) for item, n in merged.values()]
    )
    return agreement


@transaction.atomic
def agreement_end(*, agreement: AgreementReserve, by: User) -> AgreementReserve:
    """Stop counting an agreement (terminated early). Its unit's leaders and dispatchers."""
    agreement = AgreementReserve.objects.select_for_update(of=("self",)).select_related("unit").get(pk=agreement.pk)
    if not access.may_agree(by, agreement.unit):
        raise PermissionDenied(_("Only the unit's leaders and dispatchers may record its agreement reserves."))
    if agreement.is_active:
        agreement.is_active = False
        agreement._history_user = by
        agreement._change_reason = "end"
        agreement.save(update_fields=["is_active"])
    return agreement


@transaction.atomic
def maintenance_record(
    *,
    lot: Lot,
    by: User,
    done_on: datetime.date,
    kind: str = MaintenanceRecord.Kind.INSPECTION,
    result: str = MaintenanceRecord.Result.GOOD,
    note: str = "",
) -> MaintenanceRecord:
    """检修保养: record an inspection or maintenance of the lot; the next due date is one item
    interval after it. A faulty result puts (or keeps) the lot under maintenance, so it cannot be
    issued or transferred; a good one takes it out. The depot owner's own people."""
    lot = locked_lot(lot)
    if not access.may_move(by, lot.depot):
        raise access.refuse_move()
    if not lot.item.needs_maintenance:
        raise ValidationError({"lot": _("%(item)s needs no maintenance.") % {"item": lot.item.name}})
    bound_date("done_on", done_on, model=MaintenanceRecord, allow_none=False)
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The date cannot be in the future.")})
    if kind not in MaintenanceRecord.Kind.values:
        raise ValidationError({"kind": _("Choose a kind from the list.")})
    if result not in MaintenanceRecord.Result.values:
        raise ValidationError({"result": _("Choose a result from the list.")})
    bound_text("note", note, MaintenanceRecord, max_length=NOTE_MAX_LENGTH)
    if result == MaintenanceRecord.Result.FAULTY and not note.strip():
        raise ValidationError({"note": _("Say what is wrong.")})
    next_due = done_on + datetime.timedelta(days=lot.item.maintenance_interval_days)
    record = MaintenanceRecord.objects.create(
        lot=lot, kind=kind, result=result, done_on=done_on, next_due=next_due, note=note, by=by, at=timezone.now()
    )
    lot.next_maintenance_due = next_due
    lot.under_maintenance = result == MaintenanceRecord.Result.FAULTY
    lot._history_user = by
    lot._change_reason = f"maintenance {kind} {result}"
    lot.save(update_fields=["next_maintenance_due", "under_maintenance"])
    return record
