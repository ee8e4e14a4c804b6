"""Small helpers shared by the pages of every app: now in ``core.views`` (import them from there)."""

from core.views import add_service_errors, query_without

__all__ = ["add_service_errors", "query_without"]
