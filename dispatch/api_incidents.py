"""Dispatch API (stub until written)."""

extra_urls: list = []


def register(router) -> None:
    """Register this module's viewsets on the shared router."""
