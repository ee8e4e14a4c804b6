"""Every change to supplies, by subject (``supplies.services.stock``: receive, issue, dispose, adjust)."""

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
