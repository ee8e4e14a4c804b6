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
alike), so concurrent changes add up instead of overwriting each other. Moving a unit to another
parent rebuilds them (``rebuild``); ``manage.py rebuild_hazard_tallies --check`` compares them
with the register.

Reads: ``roots`` says which subtrees make up a person's view (None when the tallies cannot
answer: department staff also see the hazards copied to them), ``tally_filter`` turns the
register's filters into a filter on the tallies (None for a text or date filter), and the
selectors sum.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Count, DateField, ExpressionWrapper, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from grids.models import GridUnit
from grids.rules import TIER_OF_KIND
from grids.scope import scope_for
from hazards.models import OPEN_STATES, Grade, Hazard, HazardMonthTally, HazardTally, State

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
)
FIELD_OF = {"unit": "unit_id", "category": "category_id"} | {f: f for f in KEY_FIELDS}
TALLY_COLUMNS = ("unit_id", "category_id", "family", "grade", "level", "state", "overdue", "supervised")
MONTH_COLUMNS = ("unit_id", "kind", "month")
FOUND, CLOSED = HazardMonthTally.Kind.FOUND, HazardMonthTally.Kind.CLOSED
DEPTH = max(TIER_OF_KIND.values()) - 1  # steps from a unit up to its county
CHUNK = 500  # rows of one upsert (SQLite allows 32,766 parameters)
LEVEL_NONE = "none"  # filter value for hazards not graded yet
STATE_OPEN = "open"  # filter value: every state before closing
TALLY_FILTERS = frozenset({"unit", "category", "family", "grade", "level", "state", "overdue", "supervised"})


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
    with transaction.atomic():
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
    of KEY_FIELDS): one upsert per table, netted, so an unchanged kind costs nothing."""
    tally: Counter = Counter()
    months: Counter = Counter()
    for sign, rows in ((-1, before), (1, after)):
        for row in rows:
            tally[_tally_key(row)] += sign
            for key in _month_keys(row):
                months[key] += sign
    _upsert(HazardTally._meta.db_table, TALLY_COLUMNS, {k: n for k, n in tally.items() if n})
    _upsert(HazardMonthTally._meta.db_table, MONTH_COLUMNS, {k: n for k, n in months.items() if n})


def local_month(moment: datetime.datetime) -> datetime.date:
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return timezone.localtime(moment).date().replace(day=1)


def _tally_key(row: Mapping[str, Any]) -> tuple:
    return (
        row["unit_id"],
        row["category_id"],
        row["family"],
        row["grade"],
        row["risk_level"] or 0,
        row["state"],
        row["overdue_since"] is not None,
        bool(row["supervised"]),
    )


def _month_keys(row: Mapping[str, Any]) -> list[tuple]:
    keys = [(row["unit_id"], FOUND, local_month(row["found_at"]))]
    if row["state"] == State.CLOSED and row["closed_at"] is not None:
        keys.append((row["unit_id"], CLOSED, local_month(row["closed_at"])))
    return keys


def _ancestors_sql(units: str) -> str:
    """SELECT (unit_id, anc): each unit of the subquery ``units`` with itself and its ancestors,
    through parent links (the grid has three tiers)."""
    table = connection.ops.quote_name(GridUnit._meta.db_table)
    parts = []
    for depth in range(DEPTH + 1):
        joins = "".join(f" JOIN {table} p{i} ON p{i}.id = p{i - 1}.parent_id" for i in range(1, depth + 1))
        top = f"p{depth}.id"
        parts.append(f"SELECT p0.id AS unit_id, {top} AS anc FROM {table} p0{joins} WHERE p0.id IN ({units})")  # noqa: S608 (table and column names from the models; the values are parameters)
    return " UNION ALL ".join(parts)


def _upsert(table: str, columns: tuple[str, ...], deltas: dict[tuple, int]) -> None:
    if not deltas:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    rest = ", ".join(f"d.{quote(c)}" for c in columns[1:])
    items = list(deltas.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            values = ", ".join(["(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"] * len(chunk))
            params = [value for key, n in chunk for value in (*key, n)]
            cursor.execute(
                f"WITH d({names}, n) AS (VALUES {values}), "  # noqa: S608 (table and column names from the models; the values are parameters)
                f"a(unit_id, anc) AS ({_ancestors_sql('SELECT unit_id FROM d')}) "
                f"INSERT INTO {quote(table)} ({names}, n) "
                f"SELECT a.anc, {rest}, SUM(d.n) FROM d JOIN a ON a.unit_id = d.unit_id WHERE true "
                f"GROUP BY a.anc, {rest} HAVING SUM(d.n) <> 0 "
                f"ON CONFLICT ({names}) DO UPDATE SET n = {quote(table)}.n + excluded.n",
                params,
            )


def rebuild() -> dict[str, int]:
    """Recount both roll-ups from the register, in one transaction (writers wait on PostgreSQL).
    Returns the number of rows written to each."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {connection.ops.quote_name(Hazard._meta.db_table)} IN SHARE MODE")
        HazardTally.objects.all().delete()
        HazardMonthTally.objects.all().delete()
        written = {}
        for model, columns, base in (
            (HazardTally, TALLY_COLUMNS, _tally_base()),
            (HazardMonthTally, MONTH_COLUMNS, _month_base(FOUND, "found_at", Q())),
            (HazardMonthTally, MONTH_COLUMNS, _month_base(CLOSED, "closed_at", Q(state=State.CLOSED))),
        ):
            sql, params = base.query.sql_with_params()
            quote = connection.ops.quote_name
            names = ", ".join(quote(c) for c in columns)
            rest = ", ".join(f"b.{quote(c)}" for c in columns[1:])
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {quote(model._meta.db_table)} ({names}, n) "  # noqa: S608 (table and column names from the models; the values are parameters)
                    f"SELECT a.anc, {rest}, SUM(b.n) FROM ({sql}) b "
                    f"JOIN ({_ancestors_sql('SELECT id FROM ' + quote(GridUnit._meta.db_table))}) a "  # noqa: S608 (table and column names from the models; the values are parameters)
                    f"ON a.unit_id = b.unit_id GROUP BY a.anc, {rest}",
                    params,
                )
                written[model._meta.model_name] = written.get(model._meta.model_name, 0) + cursor.rowcount
    return written


def differences() -> list[str]:
    """What the stored roll-ups get wrong against a recount of the register (empty: exact).
    The recount is made in a transaction that is rolled back."""
    stored_rows = {
        "tally": _snapshot(HazardTally, TALLY_COLUMNS),
        "month": _snapshot(HazardMonthTally, MONTH_COLUMNS),
    }
    with transaction.atomic():
        rebuild()
        fresh = {"tally": _snapshot(HazardTally, TALLY_COLUMNS), "month": _snapshot(HazardMonthTally, MONTH_COLUMNS)}
        transaction.set_rollback(True)
    found = []
    for name in ("tally", "month"):
        for key in sorted(set(stored_rows[name]) | set(fresh[name]), key=str):
            have, want = stored_rows[name].get(key, 0), fresh[name].get(key, 0)
            if have != want:
                found.append(f"{name} {key}: stored {have}, register {want}")
    return found


def _snapshot(model, columns) -> dict[tuple, int]:
    return {row[:-1]: row[-1] for row in model.objects.exclude(n=0).values_list(*columns, "n")}


def _tally_base() -> QuerySet:
    return (
        Hazard.objects.order_by()
        .values("unit_id", "category_id", "family", "grade", "state", "supervised")
        .annotate(
            level=Coalesce("risk_level", Value(0)),
            overdue=ExpressionWrapper(Q(overdue_since__isnull=False), output_field=BooleanField()),
        )
        .values("unit_id", "category_id", "family", "grade", "level", "state", "overdue", "supervised")
        .annotate(n=Count("id"))
    )


def _month_base(kind: str, field: str, condition: Q) -> QuerySet:
    tz = timezone.get_current_timezone()
    return (
        Hazard.objects.order_by()
        .filter(condition, **{f"{field}__isnull": False})
        .annotate(kind=Value(kind), month=TruncMonth(field, tzinfo=tz, output_field=DateField()))
        .values("unit_id", "kind", "month")
        .annotate(n=Count("id"))
    )


# --- reading them -------------------------------------------------------------------------------


def roots(user, unit: GridUnit | None = None) -> list[int] | None:
    """The units whose subtree tallies add up to what ``user`` sees of the register inside
    ``unit`` (default: all of it); None when the tallies cannot say (department staff also see
    the hazards copied to their department, wherever they lie)."""
    if getattr(user, "department_id", None):
        return None
    return scope_for(user).subtree_roots(unit)


def tally_filter(filters: Mapping[str, Any] | None) -> Q | None:
    """The register's filters (``hazards.filters``) as a filter on HazardTally, or None when one of
    them (a text search, a date range) is not a column of the tallies. ``unit`` is left to
    ``roots``."""
    filters = filters or {}
    if any(value not in (None, "", False, [], ()) for key, value in filters.items() if key not in TALLY_FILTERS):
        return None
    condition = Q()
    for name in ("category", "family", "grade"):
        if filters.get(name):
            condition &= Q(**{name: filters[name]})
    level = filters.get("level")
    if level == LEVEL_NONE:
        condition &= Q(level=0)
    elif level:
        condition &= Q(level=int(level))
    state = filters.get("state")
    if state == STATE_OPEN:
        condition &= Q(state__in=OPEN_STATES)
    elif state:
        condition &= Q(state=state)
    if filters.get("overdue"):
        condition &= Q(overdue=True, state=State.RECTIFYING)
    if filters.get("supervised"):
        condition &= Q(supervised=True)
    return condition


def tallies(unit_ids: Iterable[int], condition: Q | None = None) -> QuerySet[HazardTally]:
    """The tally rows of ``unit_ids`` matching ``condition``; kinds that have come down to zero
    are left out (they stay in the table for the next hazard of that kind)."""
    return HazardTally.objects.filter(condition or Q(), unit_id__in=list(unit_ids), n__gt=0).order_by()


def total(unit_ids: list[int], condition: Q) -> int:
    """The number of hazards in the subtrees of ``unit_ids`` matching ``condition``: one SUM."""
    if not unit_ids:
        return 0
    return tallies(unit_ids, condition).aggregate(n=Coalesce(Sum("n"), 0))["n"]


def months(unit_ids: list[int], first: datetime.date) -> dict[tuple[str, datetime.date], int]:
    """(kind, month) → hazards found or closed in the subtrees of ``unit_ids`` since ``first``."""
    if not unit_ids:
        return {}
    rows = (
        HazardMonthTally.objects.filter(unit_id__in=unit_ids, month__gte=first, n__gt=0)
        .order_by()
        .values("kind", "month")
        .annotate(total=Sum("n"))
    )
    return {(r["kind"], r["month"]): r["total"] for r in rows}


LEVEL_FIGURES = {1: "open_red", 2: "open_orange", 3: "open_yellow", 4: "open_blue", 0: "open_ungraded"}
FIGURES = (
    "total",
    "rejected",
    "closed",
    "open",
    *LEVEL_FIGURES.values(),
    "major",
    "supervised",
    "overdue",
    "reported_this_month",
    "closed_this_month",
)


def dashboard(unit_ids: list[int], month: datetime.date) -> dict[str, int]:
    """The dashboard's headline figures for the subtrees of ``unit_ids``, ``month`` being this
    month's first day: one GROUP BY over their tallies (at most a few hundred kinds) and one over
    their months."""
    figures = dict.fromkeys(FIGURES, 0)
    if not unit_ids:
        return figures
    groups = tallies(unit_ids).values("state", "level", "grade", "supervised", "overdue").annotate(total=Sum("n"))
    for group in groups:
        n, state = group["total"], group["state"]
        figures["total"] += n
        if state == State.REJECTED:
            figures["rejected"] += n
        elif state == State.CLOSED:
            figures["closed"] += n
        if state in OPEN_STATES:
            figures["open"] += n
            figures[LEVEL_FIGURES[group["level"]]] += n
            figures["major"] += n if group["grade"] == Grade.MAJOR else 0
            figures["supervised"] += n if group["supervised"] else 0
        if state == State.RECTIFYING and group["overdue"]:
            figures["overdue"] += n
    for (kind, _month), n in months(unit_ids, month).items():
        figures["reported_this_month" if kind == FOUND else "closed_this_month"] += n
    return figures


def unit_moved(sender, instance, **kwargs) -> None:
    """A unit under a new parent: its hazards now count in other ancestors' rows. Moves are rare
    (the grid's administrator), so the roll-ups are recounted in the move's transaction."""
    rebuild()
