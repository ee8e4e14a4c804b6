"""The plan admin, by subject (each module registers its own models)."""

from plans.admin import clocks, ledger  # noqa: F401
