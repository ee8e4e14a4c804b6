"""Counters that hand out numbers without collisions (hazard numbers, 备案回执 numbers …)."""

from __future__ import annotations

from django.db import IntegrityError, connection, models, transaction


def next_value(model: type[models.Model], **key) -> int:
    """Take the next value of the counter row ``key`` of ``model`` (a model with a ``last``
    field and a unique constraint on the key). The row is incremented in the database, so it
    stays locked until the caller's transaction ends: two callers never get the same value; the
    first use of a key creates its row (a concurrent creation is absorbed). One statement when
    the row exists (``UPDATE … RETURNING``, PostgreSQL and SQLite ≥ 3.35)."""
    with transaction.atomic(savepoint=False):  # an error rolls back the caller's transaction with it
        value = _increment(model, key)
        if value is None:
            try:
                with transaction.atomic():
                    model.objects.create(**key, last=1)
                return 1
            except IntegrityError:  # another caller created it first
                value = _increment(model, key)
        return value


def _increment(model: type[models.Model], key: dict) -> int | None:
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name).column for name in key]
    values = [value.pk if isinstance(value, models.Model) else value for value in key.values()]
    where = " AND ".join(f"{quote(column)} = %s" for column in columns)
    last = quote(model._meta.get_field("last").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {last} = {last} + 1 WHERE {where} RETURNING {last}",  # noqa: S608 (names from the model; the values are parameters)
            values,
        )
        row = cursor.fetchone()
    return None if row is None else row[0]
