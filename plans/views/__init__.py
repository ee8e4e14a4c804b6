"""The plan pages, by subject: thin — fetch through ``plans.access``, parse with a form, call a service, render."""

from plans.views import (
    clocks,
    coverage,
    evacuation,
    ledger,
)

__all__ = [
    "clocks",
    "coverage",
    "evacuation",
    "ledger",
]
