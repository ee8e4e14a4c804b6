"""Celery tasks of the dispatch app, one module per capability (found by autodiscovery here)."""

from dispatch.tasks.incidents import *  # noqa: F403
from dispatch.tasks.warnings import *  # noqa: F403
