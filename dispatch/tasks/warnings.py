"""Celery tasks of the warnings (owned by the warnings work)."""
