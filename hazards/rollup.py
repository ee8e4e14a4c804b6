"""The hazard roll-ups: counts kept per grid subtree so that county and township pages sum a few
rows instead of scanning the register.

``HazardTally`` holds, for every unit, how many hazards of each kind (category, family, grade,
risk level, state, overdue, supervised) lie in its subtree; ``HazardMonthTally`` how many were
found and closed in each month of local time. A hazard counts in the rows of its own unit and of
each ancestor (three tiers: at most three rows per kind).

Kept exact in the transaction of the change, whatever writes the register: ``Hazard.save``,
``Hazard.delete`` and the register's queryset ``update``/``bulk_create``/``delete`` call
``record`` with the rows before (read under a row lock) and after. Each call is one upsert per
table (``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n``, on PostgreSQL and SQLite
alike), so concurrent changes add up instead of overwriting each other.
``manage.py rebuild_hazard_tallies`` recounts them (``rebuild``); with ``--check`` it compares
them with the register.

``HazardMapTally`` holds the located hazards of counties' and townships' subtrees per cell of the
risk map. Moving a unit moves its subtree's counts from the old ancestors' rows to the new ones
(``grids.signals.unit_moving``, then django-mptt's ``node_moved``). Reading them:
``hazards.tallies``.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Count, DateField, ExpressionWrapper, F, FloatField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Floor, TruncMonth
from django.utils import timezone

from grids.models import GridUnit, within_q
from grids.rules import TIER_OF_KIND
from hazards.models import Hazard, HazardMapTally, HazardMonthTally, HazardTally, State

# The register's columns a roll-up depends on (attribute names) and their field names, as
# ``save(update_fields=…)`` may give them.
KEY_FIELDS = (
    "unit_id",
    "category_id",
    "family",
    "grade",
    "risk_level",
    "state",
    "overdue_since",
    "supervised",
    "found_at",
    "closed_at",
    "lng",
    "lat",
)
FIELD_OF = {"unit": "unit_id", "category": "category_id"} | {f: f for f in KEY_FIELDS}
TALLY_COLUMNS = ("unit_id", "category_id", "family", "grade", "level", "state", "overdue", "supervised")
MONTH_COLUMNS = ("unit_id", "kind", "month")
MAP_COLUMNS = ("n", "red", "orange", "yellow", "blue", "ungraded", "sum_lng", "sum_lat")
MAP_LEVELS = (1, 2, 3, 4, 0)  # the map columns red … ungraded
# The map tally's cell: the risk map's bucket at zoom MAP_ZOOM (hazards.selectors.bucket_size:
# 90° / 2**zoom), so the buckets of every zoom up to it are whole groups of cells.
MAP_ZOOM = 14
MAP_CELL = 90.0 / 2**MAP_ZOOM
MAP_TOP_LEVEL = 1  # counties and townships: a village's map is a few points, read from the register
FOUND, CLOSED = HazardMonthTally.Kind.FOUND, HazardMonthTally.Kind.CLOSED
DEPTH = max(TIER_OF_KIND.values()) - 1  # steps from a unit up to its county
CHUNK = 500  # rows of one upsert (SQLite allows 32,766 parameters)
MAX_PARAMETERS = 30_000  # of the upserts run as one statement on PostgreSQL (it allows 65,535)


# --- keeping them ------------------------------------------------------------------------------


def counts(update_fields: Iterable[str] | None) -> bool:
    """Does a save of these fields (None: every field) change what the roll-ups count?"""
    return update_fields is None or any(name in FIELD_OF for name in update_fields)


def stored(queryset: QuerySet[Hazard]) -> list[dict[str, Any]]:
    """The counted columns of the rows of ``queryset``, locked until the transaction ends."""
    return list(queryset.select_for_update().order_by("pk").values("pk", *KEY_FIELDS))


def save_counted(hazard: Hazard, save, *args, **kwargs) -> None:
    """``Hazard.save`` with its roll-ups: the row's counted columns are read under a lock before the
    write (another transaction cannot slip a change in between) and recorded with the new ones."""
    update_fields = kwargs.get("update_fields")
    if not counts(update_fields):
        save(*args, **kwargs)
        return
    with transaction.atomic(savepoint=False):  # inside the caller's: its rollback is ours
        before = stored(Hazard.objects.filter(pk=hazard.pk)) if hazard.pk is not None else []
        save(*args, **kwargs)
        if before and update_fields is not None:
            after = dict(before[0])
            for name in update_fields:
                if name in FIELD_OF:
                    after[FIELD_OF[name]] = getattr(hazard, FIELD_OF[name])
        else:
            after = {name: getattr(hazard, name) for name in KEY_FIELDS}
        record(before, [after])


def record(before: Iterable[Mapping[str, Any]], after: Iterable[Mapping[str, Any]]) -> None:
    """Take the rows ``before`` out of the roll-ups and put the rows ``after`` in (each a mapping
    of KEY_FIELDS): one upsert per table, netted, so an unchanged kind costs nothing; on
    PostgreSQL the upserts go in one statement (``_execute``)."""
    statements: list[tuple[str, list]] = []
    for table in TABLES:
        deltas: dict[tuple, list] = {}
        for sign, rows in ((-1, before), (1, after)):
            for row in rows:
                for key, values in table.keys_of(row):
                    sums = deltas.setdefault(key, [0] * len(table.values))
                    for i, value in enumerate(values):
                        sums[i] += sign * value
        statements += _upserts(table, {key: sums for key, sums in deltas.items() if any(sums[: table.counted])})
    _execute(statements)


def local_month(moment: datetime.datetime) -> datetime.date:
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return timezone.localtime(moment).date().replace(day=1)


def map_cell(degrees: float) -> int:
    """The index of the map tally's cell (MAP_CELL degrees wide) holding ``degrees``."""
    return math.floor(degrees / MAP_CELL)


def _tally_keys(row: Mapping[str, Any]) -> list[tuple[tuple, tuple]]:
    key = (
        row["unit_id"],
        row["category_id"],
        row["family"],
        row["grade"],
        row["risk_level"] or 0,
        row["state"],
        row["overdue_since"] is not None,
        bool(row["supervised"]),
    )
    return [(key, (1,))]


def _month_keys(row: Mapping[str, Any]) -> list[tuple[tuple, tuple]]:
    keys = [((row["unit_id"], FOUND, local_month(row["found_at"])), (1,))]
    if row["state"] == State.CLOSED and row["closed_at"] is not None:
        keys.append(((row["unit_id"], CLOSED, local_month(row["closed_at"])), (1,)))
    return keys


def _map_keys(row: Mapping[str, Any]) -> list[tuple[tuple, tuple]]:
    lng, lat = row["lng"], row["lat"]
    if lng is None or lat is None:
        return []
    level = row["risk_level"] or 0
    by_level = tuple(int(level == n) for n in MAP_LEVELS)
    return [((row["unit_id"], map_cell(lng), map_cell(lat)), (1, *by_level, lng, lat))]


@dataclass(frozen=True)
class Table:
    """One roll-up: its model, key and value columns, how a register row counts in it, and the
    deepest tier it keeps rows for (None: every tier)."""

    model: type
    keys: tuple[str, ...]
    values: tuple[str, ...]
    keys_of: Callable[[Mapping[str, Any]], list[tuple[tuple, tuple]]]
    counted: int = 1  # the leading values that are counts (a row whose counts net to 0 is skipped)
    top_level: int | None = None


def _register(inside: QuerySet | None) -> QuerySet[Hazard]:
    """The register, or its rows in the units of ``inside`` (a queryset of unit ids)."""
    return Hazard.objects.order_by() if inside is None else Hazard.objects.filter(unit_id__in=inside).order_by()


def _tally_base(inside: QuerySet | None = None) -> QuerySet:
    return (
        _register(inside)
        .values("unit_id", "category_id", "family", "grade", "state", "supervised")
        .annotate(
            level=Coalesce("risk_level", Value(0)),
            overdue=ExpressionWrapper(Q(overdue_since__isnull=False), output_field=BooleanField()),
        )
        .values("unit_id", "category_id", "family", "grade", "level", "state", "overdue", "supervised")
        .annotate(n=Count("id"))
    )


def _month_base(inside: QuerySet | None = None) -> QuerySet:
    tz = timezone.get_current_timezone()
    found = (
        _register(inside)
        .annotate(kind=Value(FOUND), month=TruncMonth("found_at", tzinfo=tz, output_field=DateField()))
        .values("unit_id", "kind", "month")
        .annotate(n=Count("id"))
    )
    closed = (
        _register(inside)
        .filter(state=State.CLOSED, closed_at__isnull=False)
        .annotate(kind=Value(CLOSED), month=TruncMonth("closed_at", tzinfo=tz, output_field=DateField()))
        .values("unit_id", "kind", "month")
        .annotate(n=Count("id"))
    )
    return found.union(closed, all=True)


def _map_base(inside: QuerySet | None = None) -> QuerySet:
    cell = Value(MAP_CELL, output_field=FloatField())
    levels = {
        name: Count("id", filter=Q(risk_level=n) if n else Q(risk_level__isnull=True))
        for name, n in zip(MAP_COLUMNS[1:6], MAP_LEVELS, strict=True)
    }
    return (
        _register(inside)
        .filter(lng__isnull=False, lat__isnull=False)
        .annotate(ix=Floor(F("lng") / cell), iy=Floor(F("lat") / cell))
        .values("unit_id", "ix", "iy")
        .annotate(n=Count("id"), **levels, sum_lng=Sum("lng"), sum_lat=Sum("lat"))
    )


TABLES = (
    Table(HazardTally, TALLY_COLUMNS, ("n",), _tally_keys),
    Table(HazardMonthTally, MONTH_COLUMNS, ("n",), _month_keys),
    Table(HazardMapTally, ("unit_id", "ix", "iy"), MAP_COLUMNS, _map_keys, counted=6, top_level=MAP_TOP_LEVEL),
)
BASES = {HazardTally: _tally_base, HazardMonthTally: _month_base, HazardMapTally: _map_base}


def _ancestors_sql(units: str, top_level: int | None) -> str:
    """SELECT (unit_id, anc): each unit of the subquery ``units`` with itself and its ancestors,
    through parent links (the grid has three tiers); with ``top_level``, only ancestors at that
    level or above."""
    table = connection.ops.quote_name(GridUnit._meta.db_table)
    parts = []
    for depth in range(DEPTH + 1):
        joins = "".join(f" JOIN {table} p{i} ON p{i}.id = p{i - 1}.parent_id" for i in range(1, depth + 1))
        top = f"p{depth}"
        level = f" AND {top}.level <= {int(top_level)}" if top_level is not None else ""
        parts.append(
            f"SELECT p0.id AS unit_id, {top}.id AS anc FROM {table} p0{joins} WHERE p0.id IN ({units}){level}"  # noqa: S608 (table and column names from the models; the values are parameters)
        )
    return " UNION ALL ".join(parts)


def _upserts(table: Table, deltas: dict[tuple, list]) -> list[tuple[str, list]]:
    """The statements (SQL, parameters) adding ``deltas`` to ``table``'s rows of each unit and its
    ancestors, CHUNK keys per statement."""
    if not deltas:
        return []
    quote = connection.ops.quote_name
    name = quote(table.model._meta.db_table)
    columns = (*table.keys, *table.values)
    names = ", ".join(quote(c) for c in columns)
    keys = ", ".join(quote(c) for c in table.keys)
    rest = ", ".join(f"d.{quote(c)}" for c in table.keys[1:])
    sums = ", ".join(f"SUM(d.{quote(c)})" for c in table.values)
    add = ", ".join(f"{quote(c)} = {name}.{quote(c)} + excluded.{quote(c)}" for c in table.values)
    ancestors = _ancestors_sql("SELECT unit_id FROM d", table.top_level)
    items = list(deltas.items())
    statements = []
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
        statements.append(
            (
                f"WITH d({names}) AS (VALUES {values}), a(unit_id, anc) AS ({ancestors}) "  # noqa: S608 (table and column names from the models; the values are parameters)
                f"INSERT INTO {name} ({names}) "
                f"SELECT a.anc, {rest}, {sums} FROM d JOIN a ON a.unit_id = d.unit_id WHERE true "
                f"GROUP BY a.anc, {rest} ON CONFLICT ({keys}) DO UPDATE SET {add}",
                [value for key, sums_ in chunk for value in (*key, *sums_)],
            )
        )
    return statements


def _execute(statements: list[tuple[str, list]]) -> None:
    """Run the upserts. On PostgreSQL several go in one statement, each a data-modifying ``WITH``
    (run once and to the end whether or not the outer query reads it): a reported hazard's two or
    three roll-ups in one round trip. SQLite has no such ``WITH`` and runs them one by one."""
    batches: list[list[tuple[str, list]]] = []
    for statement in statements:
        batch = batches[-1] if batches else None
        if (
            connection.vendor == "postgresql"
            and batch
            and sum(len(params) for _, params in batch) + len(statement[1]) <= MAX_PARAMETERS
        ):
            batch.append(statement)
        else:
            batches.append([statement])
    with connection.cursor() as cursor:
        for batch in batches:
            if len(batch) == 1:
                cursor.execute(*batch[0])
            else:
                parts = ", ".join(f"u{i} AS ({sql})" for i, (sql, _) in enumerate(batch))
                cursor.execute(f"WITH {parts} SELECT 1", [value for _, params in batch for value in params])


def rebuild() -> dict[str, int]:
    """Recount every roll-up from the register, in one transaction (writers wait on PostgreSQL).
    Returns the number of rows written to each."""
    quote = connection.ops.quote_name
    units = "SELECT id FROM " + quote(GridUnit._meta.db_table)  # noqa: S608 (a table name from the model)
    written = {}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {quote(Hazard._meta.db_table)} IN SHARE MODE")
        for table in TABLES:
            table.model.objects.all().delete()
            ancestors = _ancestors_sql(units, table.top_level)
            written[table.model._meta.model_name] = _add_counts(
                table, None, f"JOIN ({ancestors}) a ON a.unit_id = b.unit_id"
            )
    return written


def _add_counts(table: Table, inside: QuerySet | None, join: str, sign: int = 1) -> int:
    """Add the register's counts (of the units of ``inside``, default all) times ``sign`` to the
    rows of ``table`` of each ancestor ``a.anc`` that ``join`` pairs with them: one
    ``INSERT … SELECT … ON CONFLICT DO UPDATE`` adding to what is there. Returns the rows written."""
    quote = connection.ops.quote_name
    name = quote(table.model._meta.db_table)
    sql, params = BASES[table.model](inside).query.sql_with_params()
    names = ", ".join(quote(c) for c in (*table.keys, *table.values))
    rest = ", ".join(f"b.{quote(c)}" for c in table.keys[1:])
    sums = ", ".join(f"{int(sign)} * SUM(b.{quote(c)})" for c in table.values)
    keys = ", ".join(quote(c) for c in table.keys)
    add = ", ".join(f"{quote(c)} = {name}.{quote(c)} + excluded.{quote(c)}" for c in table.values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {name} ({names}) SELECT a.anc, {rest}, {sums} FROM ({sql}) b {join} WHERE true "  # noqa: S608 (table and column names from the models; the values are parameters)
            f"GROUP BY a.anc, {rest} ON CONFLICT ({keys}) DO UPDATE SET {add}",
            params,
        )
        return cursor.rowcount


def differences() -> list[str]:
    """What the stored roll-ups get wrong against a recount of the register (empty: exact; sums
    of coordinates to a millionth of a degree). The recount is rolled back."""
    stored_rows = [_snapshot(table) for table in TABLES]
    with transaction.atomic():
        rebuild()
        fresh = [_snapshot(table) for table in TABLES]
        transaction.set_rollback(True)
    found = []
    for table, have_rows, want_rows in zip(TABLES, stored_rows, fresh, strict=True):
        for key in sorted(set(have_rows) | set(want_rows), key=str):
            have, want = have_rows.get(key), want_rows.get(key)
            if have != want:
                found.append(f"{table.model._meta.model_name} {key}: stored {have}, register {want}")
    return found


def _snapshot(table: Table) -> dict[tuple, tuple]:
    rows = table.model.objects.exclude(n=0).values_list(*table.keys, *table.values)
    size = len(table.keys)
    return {
        row[:size]: tuple(round(v, 6) if isinstance(v, float) else v for v in row[size:])
        if len(row) > size + 1
        else row[size]
        for row in rows
    }


# --- moving a unit -----------------------------------------------------------------------------


def unit_moving(sender, unit: GridUnit, **kwargs) -> None:
    """Before ``unit`` goes under another parent: take its subtree's hazards out of its old
    ancestors' rows (``unit_moved`` puts them into the new ones, in the same transaction)."""
    if not HazardTally.objects.filter(unit_id=unit.pk, n__gt=0).exists():
        unit._rollup_moved = "done"  # nothing counted below it: nothing to move
        return
    _shift(unit, -1)
    unit._rollup_moved = "out"


def unit_moved(sender, instance: GridUnit, **kwargs) -> None:
    """A unit under its new parent (django-mptt's ``node_moved``, sent once or twice per move)."""
    state = getattr(instance, "_rollup_moved", None)
    if state == "out":
        _shift(instance, 1)
        instance._rollup_moved = "done"
    elif state is None:  # moved without ``grids.services.unit_move``: recount everything
        rebuild()


def _shift(unit: GridUnit, sign: int) -> None:
    """Add (+1) or take away (-1) the subtree of ``unit``, counted from the register, to or from
    the rows of its parent and the parent's ancestors: one statement per roll-up."""
    if unit.parent_id is None:
        return
    inside = GridUnit.objects.filter(within_q(unit)).values("pk")  # its tree fields are current
    for table in TABLES:
        ancestors = _ancestors_sql(str(int(unit.parent_id)), table.top_level)
        _add_counts(table, inside, f"CROSS JOIN ({ancestors}) a", sign)
