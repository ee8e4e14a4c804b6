"""Ids from the outside world (URLs, query strings, fuzzers)."""

from __future__ import annotations


def as_pk(pk) -> int | None:
    """``pk`` as an id, or None when it cannot name a row (junk from a URL or a fuzzer)."""
    try:
        value = int(pk)
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**63 else None
