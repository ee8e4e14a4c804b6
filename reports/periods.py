"""Months and quarters: they live in ``core.periods`` (hazards counts months too, and may not
import reports); the old import path is kept for the modules and tests that use it."""

from core.periods import (  # noqa: F401
    add_months,
    bounds,
    day_in_month,
    month_start,
    period_end,
    period_start,
    previous_month,
)
