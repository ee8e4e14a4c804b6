"""Reads of supplies, by subject."""

from supplies.selectors.readiness import Cell, Row, readiness, usable_stock
from supplies.selectors.stock import depot_ledger, depot_list, depot_lots, ledger_for, stock_for

__all__ = [
    "Cell",
    "Row",
    "readiness",
    "usable_stock",
    "depot_ledger",
    "depot_list",
    "depot_lots",
    "ledger_for",
    "stock_for",
]
