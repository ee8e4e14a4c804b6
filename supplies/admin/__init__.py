"""The supplies admin, by subject."""

from supplies.admin import stock, upkeep  # noqa: F401  (registers the models)
