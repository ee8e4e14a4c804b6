"""The plan admin, by subject (each module registers its own models)."""

from plans.admin import (  # noqa: F401
    clocks,
    coverage,
    evacuation,
    ledger,
)
