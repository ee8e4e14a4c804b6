"""Every change to supplies, by subject (``supplies.services.stock``: receive, issue, dispose, adjust)."""

from supplies.services.notices import flag_due
from supplies.services.readiness import agreement_create, agreement_end, maintenance_record
from supplies.services.stock import (
    fefo,
    locked_lot,
    lot_set_maintenance,
    stock_adjust,
    stock_dispose,
    stock_issue,
    stock_receive,
    usable_refusal,
)
from supplies.services.stocktake import (
    ImportResult,
    expected_rows,
    stocktake_approve,
    stocktake_import,
    stocktake_reject,
)
from supplies.services.transfers import (
    locked_transfer,
    transfer_approve,
    transfer_dispatch,
    transfer_order,
    transfer_receive,
    transfer_reject,
    transfer_request,
)

__all__ = [
    "agreement_create",
    "agreement_end",
    "flag_due",
    "maintenance_record",
    "ImportResult",
    "expected_rows",
    "stocktake_approve",
    "stocktake_import",
    "stocktake_reject",
    "locked_transfer",
    "transfer_approve",
    "transfer_dispatch",
    "transfer_order",
    "transfer_receive",
    "transfer_reject",
    "transfer_request",
    "fefo",
    "locked_lot",
    "lot_set_maintenance",
    "stock_adjust",
    "stock_dispose",
    "stock_issue",
    "stock_receive",
    "usable_refusal",
]
