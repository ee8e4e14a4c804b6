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

__all__ = [
    "fefo",
    "locked_lot",
    "lot_set_maintenance",
    "stock_adjust",
    "stock_dispose",
    "stock_issue",
    "stock_receive",
    "usable_refusal",
]
