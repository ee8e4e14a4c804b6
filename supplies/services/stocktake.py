"""Stock-take (盘点): the expected counts of a depot as a sheet, the counted sheet imported whole
(every bad row reported with its number, nothing saved unless all rows are good), the differences
pending the approval of the depot's owner tier, then written as ``ADJUST`` ledger rows."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grids.limits import NOTE_MAX_LENGTH, bound_text
from grids.models import User
from grids.scope import scope_for
from supplies import access
from supplies.models import Depot, Lot, Movement, StockTake, StockTakeLine
from supplies.permissions import StockTakeAction
from supplies.services.stock import write_movement

COLUMNS = [
    gettext_lazy("Lot number"), gettext_lazy("Item code"), gettext_lazy("Item"), gettext_lazy("Specification"),
    gettext_lazy("Unit of measure"), gettext_lazy("Expiry date"), gettext_lazy("Storage place"),
    gettext_lazy("On the books"), gettext_lazy("Counted"),
]  # fmt: skip
LOT_COLUMN, BOOKS_COLUMN, COUNTED_COLUMN = 0, 7, 8
MAX_ROWS = 20_000


def expected_rows(depot: Depot) -> list[list]:
    """The sheet to count with: one row per lot in stock (one query)."""
    lots = Lot.objects.filter(depot=depot, quantity__gt=0).select_related("item").order_by("item__code", "pk")
    return [
        [lot.pk, lot.item.code, lot.item.name, lot.item.spec, lot.item.unit_of_measure, lot.expiry_date,
         lot.storage_place, lot.quantity, None]
        for lot in lots
    ]  # fmt: skip


@dataclass
class ImportResult:
    stock_take: StockTake | None = None
    errors: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _rows(data: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(_("The file is not an Excel workbook (.xlsx).")) from exc
    sheet = book.worksheets[0]
    return list(sheet.iter_rows(min_row=2, max_row=MAX_ROWS + 2, values_only=True))


def _number(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def stocktake_import(*, depot: Depot, by: User, data: bytes, filename: str = "") -> ImportResult:
    """Read the counted sheet of ``depot``. Each row names a lot of the depot and its count (a whole
    number, 0 or more); a row left blank in the count column is refused, so is a lot named twice or
    one not in the depot. With any bad row nothing is saved; otherwise the lots whose count differs
    become one stock-take awaiting the owner tier's approval (none when everything agrees). The
    depot owner's own people."""
    if not access.may_move(by, depot):
        raise access.refuse_move()
    bound_text("filename", filename[:200], StockTake)
    rows = _rows(data)
    if len(rows) > MAX_ROWS:
        return ImportResult(errors=[_("At most %(n)d rows in one sheet.") % {"n": MAX_ROWS}])
    lots = {lot.pk: lot for lot in Lot.objects.filter(depot=depot).select_related("item")}
    errors, seen, lines = [], set(), []
    counted_rows = 0
    for number, row in enumerate(rows, start=2):
        row = tuple(row) + (None,) * (COUNTED_COLUMN + 1 - len(row))
        if all(value in (None, "") for value in row):
            continue
        counted_rows += 1
        lot_pk = _number(row[LOT_COLUMN])
        lot = lots.get(lot_pk) if lot_pk is not None else None
        if lot is None:
            errors.append(_("Row %(row)d: no lot %(lot)s in this depot.") % {"row": number, "lot": row[LOT_COLUMN]})
            continue
        if lot_pk in seen:
            errors.append(_("Row %(row)d: lot %(lot)s is counted twice.") % {"row": number, "lot": lot_pk})
            continue
        seen.add(lot_pk)
        counted = _number(row[COUNTED_COLUMN])
        if counted is None:
            errors.append(
                _("Row %(row)d: the count of %(item)s must be a whole number, 0 or more.")
                % {"row": number, "item": lot.item.name}
            )
            continue
        if counted > 2_147_483_647:
            errors.append(_("Row %(row)d: the count is too large.") % {"row": number})
            continue
        if counted != lot.quantity:
            lines.append(StockTakeLine(lot=lot, expected=lot.quantity, counted=counted))
    if not counted_rows and not errors:
        errors.append(_("The sheet has no counted rows."))
    if errors:
        return ImportResult(errors=errors, rows=counted_rows)
    if not lines:
        return ImportResult(rows=counted_rows)
    with transaction.atomic():
        Depot.objects.select_for_update(of=("self",)).filter(pk=depot.pk).get()
        if StockTake.objects.filter(depot=depot, state=StockTake.State.PENDING).exists():
            return ImportResult(errors=[_("A stock-take of this depot already awaits approval.")], rows=counted_rows)
        stock_take = StockTake(depot=depot, counted_by=by, counted_at=timezone.now(), filename=filename[:200])
        stock_take._history_user = by
        stock_take._change_reason = "import"
        stock_take.save()
        for line in lines:
            line.stock_take = stock_take
        StockTakeLine.objects.bulk_create(lines)
    return ImportResult(stock_take=stock_take, rows=counted_rows)


def may_decide(user, stock_take: StockTake) -> bool:
    return scope_for(user).can(StockTakeAction.APPROVE, stock_take.depot.unit)


def _locked(stock_take: StockTake) -> StockTake:
    locked = StockTake.objects.select_for_update(of=("self",)).select_related("depot__unit").get(pk=stock_take.pk)
    if locked.state != StockTake.State.PENDING:
        raise ValidationError(_("Only a stock-take awaiting approval is approved or rejected."), code="state")
    return locked


@transaction.atomic
def stocktake_approve(*, stock_take: StockTake, by: User, note: str = "") -> StockTake:
    """批准盘点: each line becomes an ``ADJUST`` ledger row of its difference (applied to the lot as
    it is now, so an issue since the count is kept), under the lots' row locks. The depot owner
    unit's leaders and dispatchers."""
    stock_take = _locked(stock_take)
    if not may_decide(by, stock_take):
        raise PermissionDenied(_("Only the depot owner's leaders may approve its stock-take."))
    bound_text("note", note, StockTake, "decision_note", max_length=NOTE_MAX_LENGTH)
    lines = list(stock_take.lines.order_by("lot_id"))
    lots = {
        lot.pk: lot
        for lot in Lot.objects.select_for_update(of=("self",))
        .select_related("item")
        .filter(pk__in=[line.lot_id for line in lines])
        .order_by("pk")
    }
    for line in lines:
        write_movement(
            lots[line.lot_id], kind=Movement.Kind.ADJUST, change=line.difference, by=by,
            reason=_("Stock-take: counted %(counted)s, books %(expected)s") % {"counted": line.counted, "expected": line.expected},
            document_no=stock_take.number, stock_take=stock_take,
        )  # fmt: skip
    stock_take.state, stock_take.decided_by, stock_take.decided_at = StockTake.State.APPROVED, by, timezone.now()
    stock_take.decision_note = note
    stock_take._history_user = by
    stock_take._change_reason = "approve"
    stock_take.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    return stock_take


@transaction.atomic
def stocktake_reject(*, stock_take: StockTake, by: User, note: str) -> StockTake:
    """退回盘点, with the reason: nothing is adjusted. The depot owner unit's leaders and dispatchers."""
    stock_take = _locked(stock_take)
    if not may_decide(by, stock_take):
        raise PermissionDenied(_("Only the depot owner's leaders may approve its stock-take."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Give the reason for the refusal.")})
    bound_text("note", note, StockTake, "decision_note", max_length=NOTE_MAX_LENGTH)
    stock_take.state, stock_take.decided_by, stock_take.decided_at = StockTake.State.REJECTED, by, timezone.now()
    stock_take.decision_note = note
    stock_take._history_user = by
    stock_take._change_reason = "reject"
    stock_take.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    return stock_take
