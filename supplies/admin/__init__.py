"""The supplies admin, by subject."""

from supplies.admin import stock  # noqa: F401  (registers the models)
