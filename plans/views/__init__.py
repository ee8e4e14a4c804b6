"""The plan pages, by subject: thin — fetch through ``plans.access``, parse with a form, call a service, render."""

from plans.views import coverage, ledger

__all__ = ["ledger", "coverage"]
from plans.views import evacuation

__all__ = ["evacuation", "ledger"]
