"""Counters that hand out numbers without collisions (hazard numbers, 备案回执 numbers …)."""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
from django.db.models import F


def next_value(model: type[models.Model], **key) -> int:
    """Take the next value of the counter row ``key`` of ``model`` (a model with a ``last``
    field and a unique constraint on the key). The row is incremented in the database, so it
    stays locked until the caller's transaction ends: two callers never get the same value; the
    first use of a key creates its row (a concurrent creation is absorbed)."""
    with transaction.atomic(savepoint=False):  # an error rolls back the caller's transaction with it
        if not model.objects.filter(**key).update(last=F("last") + 1):
            try:
                with transaction.atomic():
                    model.objects.create(**key, last=1)
            except IntegrityError:  # another caller created it first
                model.objects.filter(**key).update(last=F("last") + 1)
        return model.objects.get(**key).last
