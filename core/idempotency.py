"""Idempotency keys for POSTs a phone may send twice (its offline queue resends after a lost answer).

``once(user=…, key=…, action=…, run=…, result_of=…, replay=…)`` runs inside the caller's
transaction: it inserts the key first (``core.UsedKey``, unique per user), so a second request with
the same key waits on PostgreSQL for the first to commit, then finds the row and returns
``replay(result)`` without running anything. If the first request rolls back, its key goes with it
and the second one does the work.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, transaction

from core.models import UsedKey

T = TypeVar("T")


def once(
    *,
    user,
    key: uuid.UUID | str | None,
    action: str,
    run: Callable[[], T],
    result_of: Callable[[T], Any],
    replay: Callable[[str], T],
) -> T:
    """``run()`` the first time ``key`` is seen for ``user``; ``replay(recorded result)`` after that."""
    if not key:
        return run()
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = UsedKey.objects.create(user=user, key=key, action=action)
        except IntegrityError:
            used = UsedKey.objects.get(user=user, key=key)
            return replay(used.result)
        outcome = run()
        row.result = str(result_of(outcome))[:200]
        row.save(update_fields=["result"])
        return outcome


def key_was_used(user, key: str | None) -> bool:
    """Whether ``user`` already sent ``key`` (a quick look before the page's own checks; ``once`` is
    the check that holds under concurrency)."""
    try:
        key = uuid.UUID(str(key)) if key else None
    except ValueError:
        return False
    return bool(key) and UsedKey.objects.filter(user=user, key=key).exists()
