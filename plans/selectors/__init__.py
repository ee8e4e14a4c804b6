"""Reads of the plans app, by subject (they take the user and filter through ``plans.access``)."""

from plans.selectors.clocks import CalendarRow, RollupRow, calendar_rows, rollup
from plans.selectors.ledger import (
    RegisterFilters,
    awaiting,
    is_late,
    latest_version,
    register,
)

__all__ = [
    "RegisterFilters",
    "register",
    "latest_version",
    "is_late",
    "awaiting",
    "CalendarRow",
    "RollupRow",
    "calendar_rows",
    "rollup",
]
