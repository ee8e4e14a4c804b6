"""Reads of the plans app, by subject (they take the user and filter through ``plans.access``)."""

from plans.selectors import coverage
from plans.selectors.clocks import (
    CalendarRow,
    RollupRow,
    calendar_rows,
    rollup,
)
from plans.selectors.evacuation import (
    township_capacity,
    village_list,
)
from plans.selectors.ledger import (
    RegisterFilters,
    awaiting,
    is_late,
    latest_version,
    register,
)

__all__ = [
    "CalendarRow",
    "RegisterFilters",
    "RollupRow",
    "awaiting",
    "calendar_rows",
    "coverage",
    "is_late",
    "latest_version",
    "register",
    "rollup",
    "township_capacity",
    "village_list",
]
