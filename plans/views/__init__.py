"""The plan pages, by subject: thin — fetch through ``plans.access``, parse with a form, call a service, render."""

from plans.views import evacuation, ledger

__all__ = ["evacuation", "ledger"]
