"""EXPLAIN of a queryset on PostgreSQL, for the tests that check which index a read uses."""

from __future__ import annotations

from django.db import connection


def plan_of(queryset) -> str:
    """PostgreSQL's plan of ``queryset`` (EXPLAIN, not run), one line per node."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())
