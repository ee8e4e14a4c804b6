"""Reads of the plans app, by subject (they take the user and filter through ``plans.access``)."""

from plans.selectors import coverage
from plans.selectors.evacuation import township_capacity, village_list
from plans.selectors.ledger import (
    RegisterFilters,
    awaiting,
    is_late,
    latest_version,
    register,
)

__all__ = [
    "coverage",
    "township_capacity",
    "village_list",
    "RegisterFilters",
    "register",
    "latest_version",
    "is_late",
    "awaiting",
]
