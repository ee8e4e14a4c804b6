"""Reads of supplies, by subject."""

from supplies.selectors.nearest import nearest_usable
from supplies.selectors.readiness import Cell, Row, agreement_stock, readiness, usable_stock
from supplies.selectors.stock import (
    depot_ledger,
    depot_list,
    depot_lots,
    drill_equipment_findings,
    ledger_for,
    stock_for,
)
from supplies.selectors.upkeep import agreement_list, maintenance_due, readiness_map

__all__ = [
    "agreement_list",
    "maintenance_due",
    "readiness_map",
    "agreement_stock",
    "nearest_usable",
    "Cell",
    "Row",
    "readiness",
    "usable_stock",
    "depot_ledger",
    "depot_list",
    "depot_lots",
    "drill_equipment_findings",
    "ledger_for",
    "stock_for",
]
