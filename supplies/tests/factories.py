"""Test data for supplies, made through the services (no side doors)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from supplies import services
from supplies.models import Depot, SupplyItem


def item(name: str) -> SupplyItem:
    return SupplyItem.objects.get(name=name)


def depot(unit, *, name=None, kind=Depot.Kind.POINT, **fields) -> Depot:
    fields.setdefault("manager_name", f"{unit.name}保管员")
    fields.setdefault("phone", "0776-7612345")
    return Depot.objects.create(unit=unit, name=name or f"{unit.name}应急物资储备点", kind=kind, **fields)


def lot(depot, name: str, quantity: int, *, by, expires_in: int | None = 365, **fields):
    """A lot received now, expiring ``expires_in`` days from today (``None``: no expiry)."""
    today = timezone.localdate()
    expiry = None if expires_in is None else today + datetime.timedelta(days=expires_in)
    production = min(today, expiry) - datetime.timedelta(days=30) if expiry else None
    return services.stock_receive(
        depot=depot, item=item(name), quantity=quantity, by=by, expiry_date=expiry, production_date=production, **fields
    )


def request(to_unit, source_unit, *, by, lines=(("编织袋", 100),)):
    """A transfer request from ``to_unit`` to ``source_unit`` (a unit above it)."""
    return services.transfer_request(
        by=by, to_unit=to_unit, source_unit=source_unit, lines=[(item(name), n) for name, n in lines]
    )


def agreement(
    unit, *, by, supplier="凌云县惠民商贸有限公司", lines=(("编织袋", 5000), ("救生衣", 200)), days=365, **fields
):
    """An agreement reserve of ``unit`` in force from today for ``days`` days."""
    today = timezone.localdate()
    fields.setdefault("contact_name", "黄经理")
    fields.setdefault("phone", "13800000000")
    fields.setdefault("contract_no", f"协储-{unit.code}-{supplier[-4:]}")
    fields.setdefault("response_hours", 4)
    return services.agreement_create(
        by=by, unit=unit, supplier=supplier, valid_from=fields.pop("valid_from", today),
        valid_until=fields.pop("valid_until", today + datetime.timedelta(days=days)),
        lines=[(item(name), n) for name, n in lines], **fields,
    )  # fmt: skip


def sheet(rows) -> bytes:
    """A counted sheet: the header and ``rows`` (lists of cells), as .xlsx bytes."""
    import io

    from openpyxl import Workbook

    from supplies.services.stocktake import COLUMNS

    book = Workbook()
    book.active.append([str(c) for c in COLUMNS])
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def counted_sheet(depot, counts: dict) -> bytes:
    """The depot's counting sheet filled in: ``counts`` by lot id, the books' figure elsewhere."""
    rows = []
    for row in services.expected_rows(depot):
        row[-1] = counts.get(row[0], row[7])
        rows.append(row)
    return sheet(rows)


def stock_take(depot, lot, *, counted: int, by):
    result = services.stocktake_import(depot=depot, by=by, data=counted_sheet(depot, {lot.pk: counted}))
    assert result.ok, result.errors
    return result.stock_take


def maintenance(depot, *, by, name="抽水泵"):
    """A pump received into ``depot`` and inspected today."""
    pump = lot(depot, name, 1, by=by, expires_in=None)
    return services.maintenance_record(lot=pump, by=by, done_on=timezone.localdate())
