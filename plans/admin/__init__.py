"""The plan admin, by subject (each module registers its own models)."""

from plans.admin import coverage, ledger  # noqa: F401
