"""The monthly job's core: every report row written once, in its final state (a draft with its
figures), the figures computed by the database.

On PostgreSQL one ``INSERT … SELECT`` per period does it all: the hazards touching the period are
read once and counted with GROUPING SETS (per unit and per the tier-2 unit that rolls it up; by
category, grade, risk level and in total), a tier-2 unit's own hazards are added to its active
tier-3 units', and the figures are built in the same statement as JSON text and cast to ``jsonb``
as they are inserted. Reports a crashed run opened but did not fill are filled by one
``UPDATE … FROM`` of the same query. Elsewhere (SQLite) the same figures come from
``reports.figures`` (its GROUP BY queries, summed in Python) and the rows are written once by
``bulk_create``.

The figures are those of ``figures.monthly_figures`` (the format the pages, exports and the API
read), key for key (``tests/test_monthly_sql.py``); ``rate`` is rounded exactly as Python's
``round(closed / handled, 4)`` rounds, ties included (``rate_sql``)."""

from __future__ import annotations

import datetime
import functools
import json
import string

from django.db import connection
from django.utils import timezone

from core.periods import bounds, period_end
from grids.models import GridUnit
from grids.rules import TIER_OF_KIND
from hazards.models import Grade, Hazard, HazardCategory, HazardEvent, State
from reports import figures
from reports.models import MonthlyReport

METRICS = ("new", "closed", "rejected", "overdue", "open_start", "open_end")  # summed from the hazards


def tier2_kinds() -> list[str]:
    return sorted(str(kind) for kind, tier in TIER_OF_KIND.items() if tier == 2)


@functools.cache
def ties_rounded_up() -> list[int]:
    """The odd k (1 … 19,999) for which Python's ``round(k / 20000, 4)`` rounds up. A rate that is
    exactly such a tie (1/160 = 0.00625) is decided in Python by the side of the tie its binary
    float falls on (1/160 rounds up to 0.0063, 1/32 down to 0.0312), which depends on k alone."""
    return [k for k in range(1, 20000, 2) if round(k / 20000, 4) * 10000 > k / 2]


def rate_sql(closed: str, handled: str) -> str:
    """SQL for ``round(closed / handled, 4)`` exactly as Python computes it, NULL when nothing was
    handled (needs the parameter ``ties_up`` = ``ties_rounded_up()``). Integer arithmetic: away
    from a tie, the nearest ten-thousandth; on a tie, the side ``ties_rounded_up`` says. The rate
    is at most 1 (a closed hazard is one handled); a tie above 1 would round half to even."""
    n, h = f"(({closed})::bigint * 20000)", f"(({handled})::bigint)"
    k = f"({n} / {h})"
    q = (
        f"(CASE WHEN mod({n}, {h}) = 0 AND mod({k}, 2) = 1"
        f" THEN ({k} - 1) / 2 + CASE WHEN {k} = ANY(%(ties_up)s) OR ({k} > 19999 AND mod({k}, 4) = 3) THEN 1 ELSE 0 END"
        f" ELSE ({n} + {h}) / (2 * {h}) END)"
    )
    return f"(CASE WHEN {h} > 0 THEN ({q}::numeric / 10000)::numeric(12, 4) END)"


def _metrics_json(value: str, *, zeros: bool = True) -> str:
    """SQL text of the metric members of a figures block, ``"new":3,"closed":1,…`` (without braces),
    each metric's value ``value.format(m=metric)``; ``confirmed`` and ``rectified`` are 0 in the
    per-category, per-grade and per-level blocks."""
    members = " || ".join(f"'{',' if i else ''}\"{m}\":' || {value.format(m=m)}" for i, m in enumerate(METRICS))
    return members + (' || \',"confirmed":0,"rectified":0\'' if zeros else "")


def _boolean_json(expression: str) -> str:
    return f"CASE WHEN {expression} THEN 'true' ELSE 'false' END"


# The figures are written as JSON text (concatenation and ``string_agg``: the cheapest way
# PostgreSQL has to build 300,000 small objects) and cast to ``jsonb`` once, at the INSERT. Every
# string goes through ``to_json`` (quoting and escaping); no part of a concatenation may be NULL.
FIGURES_SQL = string.Template(
    """
    members AS MATERIALIZED (
        SELECT t.unit_id AS report_unit, t.unit_id AS member, 0 AS pos
        FROM targets t
        UNION ALL
        SELECT t.unit_id, c.id, 1 FROM targets t JOIN ${unit} c ON c.parent_id = t.unit_id AND c.is_active
        WHERE t.rolls_up
    ),
    rollmap AS MATERIALIZED (
        SELECT m.member AS unit_id, max(m.report_unit) FILTER (WHERE m.pos = 1) AS up,
            bool_or(m.pos = 0 AND t.rolls_up) AS rolls
        FROM members m JOIN targets t ON t.unit_id = m.report_unit
        GROUP BY m.member
    ),
    touching AS MATERIALIZED (
        SELECT h.unit_id, m.up, m.rolls, h.category_id, h.grade, COALESCE(h.risk_level, 0) AS lvl,
            h.found_at >= %(begin)s AS is_new,
            h.state = 'closed' AND h.closed_at >= %(begin)s AND h.closed_at < %(stop)s AS is_closed,
            h.state = 'rejected' AND h.closed_at >= %(begin)s AND h.closed_at < %(stop)s AS is_rejected,
            (h.closed_at IS NULL OR h.closed_at >= %(stop)s) AND h.state <> 'rejected' AS is_open_end,
            (h.closed_at IS NULL OR h.closed_at >= %(stop)s) AND h.overdue_since < %(after)s AS is_overdue,
            CASE WHEN h.grade = %(major)s THEN h.id END AS major_id
        FROM ${hazard} h JOIN rollmap m ON m.unit_id = h.unit_id
        WHERE h.found_at < %(stop)s AND (h.closed_at IS NULL OR h.closed_at >= %(begin)s)
    ),
    unit_sets AS MATERIALIZED (
        -- g: GROUPING(unit_id, up, category_id, grade, lvl); g & 7 = 3 per category, 5 per grade,
        -- 6 per level, 7 the totals; g < 16 a unit's own hazards, g >= 16 those of the units it rolls up
        -- (rolls: the unit is a report that rolls up its units; it depends on unit_id alone)
        SELECT unit_id, up, rolls, category_id, grade, lvl, GROUPING(unit_id, up, category_id, grade, lvl) AS g,
            count(*) FILTER (WHERE is_new) AS new, count(*) FILTER (WHERE is_closed) AS closed,
            count(*) FILTER (WHERE is_rejected) AS rejected, count(*) FILTER (WHERE NOT is_new) AS open_start,
            count(*) FILTER (WHERE is_open_end) AS open_end, count(*) FILTER (WHERE is_overdue) AS overdue
        FROM touching
        GROUP BY GROUPING SETS ((unit_id, rolls, category_id), (unit_id, rolls, grade), (unit_id, rolls, lvl),
                                (unit_id, rolls), (up, category_id), (up, grade), (up, lvl), (up))
    ),
    report_sets AS (
        SELECT s.unit_id AS report_unit, s.g & 7 AS g, s.category_id, s.grade, s.lvl, ${plain}
        FROM unit_sets s
        WHERE s.g < 16 AND NOT s.rolls
        UNION ALL
        SELECT report_unit, g, category_id, grade, lvl, ${sums}
        FROM (
            SELECT s.unit_id AS report_unit, s.g & 7 AS g, s.category_id, s.grade, s.lvl, ${plain}
            FROM unit_sets s
            WHERE s.g < 16 AND s.rolls
            UNION ALL
            SELECT s.up, s.g & 7, s.category_id, s.grade, s.lvl, ${plain}
            FROM unit_sets s WHERE s.g >= 16 AND s.up IS NOT NULL
        ) AS rolled
        GROUP BY 1, 2, 3, 4, 5
    ),
    categories AS MATERIALIZED (
        SELECT id, name, to_json(name)::text AS name_json FROM ${category}
    ),
    blocks AS (
        SELECT s.report_unit,
            string_agg('{"id":' || s.category_id || ',"name":' || COALESCE(c.name_json, '"?"') || ','
                       || ${metrics_s} || '}', ',' ORDER BY c.name COLLATE "C", s.category_id)
                FILTER (WHERE s.g = 3) AS by_category,
            string_agg(to_json(s.grade)::text || ':{' || ${metrics_s} || '}', ',') FILTER (WHERE s.g = 5) AS by_grade,
            string_agg('"' || s.lvl || '":{' || ${metrics_s} || '}', ',' ORDER BY s.lvl) FILTER (WHERE s.g = 6)
                AS by_level,
            ${totals}
        FROM report_sets s LEFT JOIN categories c ON c.id = s.category_id
        GROUP BY s.report_unit
    ),
    events AS (
        SELECT m.report_unit, sum(e.confirmed)::int AS confirmed, sum(e.rectified)::int AS rectified
        FROM (
            SELECT h.unit_id,
                count(DISTINCT e.hazard_id) FILTER (WHERE e.action = 'confirm') AS confirmed,
                count(DISTINCT e.hazard_id) FILTER (WHERE e.action = 'evidence') AS rectified
            FROM ${event} e JOIN ${hazard} h ON h.id = e.hazard_id
            WHERE e.at >= %(begin)s AND e.at < %(stop)s AND e.action IN ('confirm', 'evidence')
            GROUP BY h.unit_id
        ) e JOIN members m ON m.member = e.unit_id
        GROUP BY m.report_unit
    ),
    majors AS (
        SELECT m.report_unit,
            string_agg('{"number":' || to_json(h.number)::text || ',"title":' || to_json(h.title)::text
                       || ',"state":' || to_json(h.state)::text || ',"state_display":'
                       || to_json(COALESCE(%(labels)s::jsonb ->> h.state, h.state))::text
                       || ',"unit":' || to_json(u.name)::text || ',"supervised":' || ${supervised} || '}',
                       ',' ORDER BY m.pos, u.code, h.found_at, h.id) AS majors
        FROM touching x JOIN ${hazard} h ON h.id = x.major_id JOIN members m ON m.member = h.unit_id
        JOIN ${unit} u ON u.id = h.unit_id
        WHERE x.major_id IS NOT NULL
        GROUP BY m.report_unit
    ),
    children AS (
        SELECT m.report_unit,
            string_agg('{"id":' || c.id || ',"name":' || to_json(c.name)::text || ',"code":' || to_json(c.code)::text
                       || ',"new":' || COALESCE(s.new, 0) || ',"closed":' || COALESCE(s.closed, 0)
                       || ',"open_end":' || COALESCE(s.open_end, 0) || ',"found_nothing":' || ${nothing} || '}',
                       ',' ORDER BY c.code, c.id) AS children
        FROM members m JOIN ${unit} c ON c.id = m.member LEFT JOIN unit_sets s ON s.unit_id = m.member AND s.g = 15
        WHERE m.pos = 1
        GROUP BY m.report_unit
    ),
    figs AS (
        SELECT t.*, (
            '{"totals":{' || ${totals_json} || ',"confirmed":' || COALESCE(e.confirmed, 0)
            || ',"rectified":' || COALESCE(e.rectified, 0) || '},"rate":' || COALESCE(${rate}::text, 'null')
            || ',"by_category":[' || COALESCE(b.by_category, '') || '],"by_grade":{' || COALESCE(b.by_grade, '')
            || '},"by_level":{' || COALESCE(b.by_level, '') || '},"majors":[' || COALESCE(mj.majors, '')
            || '],"period":' || to_json(%(label)s::text)::text
            || CASE WHEN t.rolls_up THEN ',"children":[' || COALESCE(ch.children, '') || ']' ELSE '' END || '}'
        )::jsonb AS figures
        FROM targets t
        LEFT JOIN blocks b ON b.report_unit = t.unit_id
        LEFT JOIN events e ON e.report_unit = t.unit_id
        LEFT JOIN majors mj ON mj.report_unit = t.unit_id
        LEFT JOIN children ch ON ch.report_unit = t.unit_id
    )"""
)


def _figures_sql() -> str:
    """The figures of every row of ``targets`` (unit_id, rolls_up, …): CTEs ending in ``figs``."""
    totals = ", ".join(f"COALESCE(max(s.{m}) FILTER (WHERE s.g = 7), 0) AS t_{m}" for m in METRICS)
    handled = "(COALESCE(b.t_open_start, 0) + COALESCE(b.t_new, 0) - COALESCE(b.t_rejected, 0))"
    return FIGURES_SQL.substitute(
        hazard=Hazard._meta.db_table,
        unit=GridUnit._meta.db_table,
        event=HazardEvent._meta.db_table,
        category=HazardCategory._meta.db_table,
        plain=", ".join(f"s.{m}::int AS {m}" for m in METRICS),
        sums=", ".join(f"sum({m})::int AS {m}" for m in METRICS),
        metrics_s=_metrics_json("s.{m}"),
        totals=totals,
        totals_json=_metrics_json("COALESCE(b.t_{m}, 0)", zeros=False),
        rate=rate_sql("COALESCE(b.t_closed, 0)", handled),
        supervised=_boolean_json("h.supervised"),
        nothing=_boolean_json("COALESCE(s.new, 0) = 0"),
    )


# The job is one large statement over the month's hazards: it gets the memory to aggregate them
# without spilling to disk, and no JIT compilation (at 12,000 reports it costs ~3 s to compile
# 200 functions for a statement that runs once). For this transaction only (``set_config(…, true)``).
WORK_MEM = "256MB"


def tune(cursor) -> None:
    cursor.execute(
        "SELECT set_config('jit', 'off', true), set_config('work_mem', %s, true),"
        " set_config('default_toast_compression', CASE WHEN 'lz4' = ANY(enumvals) THEN 'lz4' ELSE 'pglz' END, true)"
        " FROM pg_settings WHERE name = 'default_toast_compression'",
        [WORK_MEM],
    )


def _params(start: datetime.date, months: int) -> dict:
    end = period_end(start, months)
    begin, stop = bounds(start, end)
    return {
        "begin": begin,
        "stop": stop,
        "after": end + datetime.timedelta(days=1),
        "labels": json.dumps({value: str(label) for value, label in State.choices}, ensure_ascii=False),
        "major": Grade.MAJOR.value,
        "label": start.strftime("%Y-%m"),
        "tier2": tier2_kinds(),
        "ties_up": ties_rounded_up(),
    }


def reports_insert(*, period: datetime.date, months: int, deadlines: dict[int, datetime.date]) -> int:
    """Insert, once, the final draft of every active unit of the levels in ``deadlines`` (level →
    due date) that has no report for ``period`` yet, with its figures over ``months`` months.
    Returns how many were inserted; a unit that has one (or gets one from a concurrent run) is
    left alone (the unique constraints, ``ON CONFLICT DO NOTHING``)."""
    if not deadlines:
        return 0
    if connection.vendor != "postgresql":
        return _insert_in_python(period=period, months=months, deadlines=deadlines)
    report, unit = MonthlyReport._meta.db_table, GridUnit._meta.db_table
    sql = f"""
    WITH targets AS MATERIALIZED (
        SELECT u.id AS unit_id, u.kind = ANY(%(tier2)s) AS rolls_up, d.deadline
        FROM {unit} u JOIN unnest(%(levels)s::int[], %(deadlines)s::date[]) AS d(level, deadline) ON d.level = u.level
        WHERE u.is_active
          AND NOT EXISTS (SELECT 1 FROM {report} r WHERE r.unit_id = u.id AND r.period = %(period)s)
    ),
    {_figures_sql()}
    INSERT INTO {report} (unit_id, period, version, state, figures, annotation, signer_name, auto_submitted,
                          deadline, submitted_at, submitted_by_id, document_id, correction_reason, created_at)
    SELECT unit_id, %(period)s, 1, %(draft)s, figures, '', '', false, deadline, NULL, NULL, NULL, '', %(now)s
    FROM figs ORDER BY unit_id
    ON CONFLICT DO NOTHING"""  # noqa: S608 (table names from the models; the values are parameters)
    levels = sorted(deadlines)
    params = _params(period, months) | {
        "levels": levels,
        "deadlines": [deadlines[level] for level in levels],
        "period": period,
        "draft": MonthlyReport.State.DRAFT.value,
        "now": timezone.now(),
    }
    with connection.cursor() as cursor:
        tune(cursor)
        cursor.execute(sql, params)
        return cursor.rowcount


def _insert_in_python(*, period: datetime.date, months: int, deadlines: dict[int, datetime.date]) -> int:
    units = list(
        GridUnit.objects.filter(is_active=True, level__in=list(deadlines)).exclude(monthly_reports__period=period)
    )
    if not units:
        return 0
    computed = figures.monthly_figures(start=period, end=period_end(period, months), units=units)
    before = MonthlyReport.objects.filter(period=period).count()
    MonthlyReport.objects.bulk_create(
        [
            MonthlyReport(
                unit=unit,
                period=period,
                version=1,
                state=MonthlyReport.State.DRAFT,
                figures=computed[unit.pk],
                deadline=deadlines[unit.level],
            )
            for unit in units
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    return MonthlyReport.objects.filter(period=period).count() - before


def reports_fill(*, period: datetime.date, months: int, report_ids: list[int]) -> int:
    """Fill the figures (over ``months`` months) of the pending reports ``report_ids`` of
    ``period``, already locked by the caller, and make them drafts: one statement."""
    if not report_ids:
        return 0
    if connection.vendor != "postgresql":
        return _fill_in_python(period=period, months=months, report_ids=report_ids)
    report, unit = MonthlyReport._meta.db_table, GridUnit._meta.db_table
    sql = f"""
    WITH targets AS MATERIALIZED (
        SELECT r.id AS report_id, r.unit_id, u.kind = ANY(%(tier2)s) AS rolls_up
        FROM {report} r JOIN {unit} u ON u.id = r.unit_id
        WHERE r.id = ANY(%(ids)s) AND r.state = %(pending)s
    ),
    {_figures_sql()}
    UPDATE {report} r SET figures = f.figures, state = %(draft)s
    FROM figs f WHERE r.id = f.report_id"""  # noqa: S608 (table names from the models; the values are parameters)
    params = _params(period, months) | {
        "ids": list(report_ids),
        "pending": MonthlyReport.State.PENDING.value,
        "draft": MonthlyReport.State.DRAFT.value,
    }
    with connection.cursor() as cursor:
        tune(cursor)
        cursor.execute(sql, params)
        return cursor.rowcount


def _fill_in_python(*, period: datetime.date, months: int, report_ids: list[int]) -> int:
    reports = list(
        MonthlyReport.objects.filter(pk__in=report_ids, state=MonthlyReport.State.PENDING).select_related("unit")
    )
    computed = figures.monthly_figures(
        start=period, end=period_end(period, months), units=[report.unit for report in reports]
    )
    for report in reports:
        report.figures = computed[report.unit_id]
        report.state = MonthlyReport.State.DRAFT
    MonthlyReport.objects.bulk_update(reports, ["figures", "state"], batch_size=2000)
    return len(reports)


def floor_sql() -> str:
    """The SQL floor of the job: the one GROUP BY over the hazards that computes the same counts
    (per unit × category × grade × risk level, for the period), its rows fetched, nothing written."""
    hazard = Hazard._meta.db_table
    return f"""
    SELECT h.unit_id, h.category_id, h.grade, COALESCE(h.risk_level, 0) AS lvl,
        count(*) FILTER (WHERE h.found_at >= %(begin)s) AS new,
        count(*) FILTER (WHERE h.state = 'closed' AND h.closed_at >= %(begin)s AND h.closed_at < %(stop)s) AS closed,
        count(*) FILTER (WHERE h.state = 'rejected' AND h.closed_at >= %(begin)s AND h.closed_at < %(stop)s)
            AS rejected,
        count(*) FILTER (WHERE h.found_at < %(begin)s) AS open_start,
        count(*) FILTER (WHERE (h.closed_at IS NULL OR h.closed_at >= %(stop)s) AND h.state <> 'rejected') AS open_end,
        count(*) FILTER (WHERE (h.closed_at IS NULL OR h.closed_at >= %(stop)s) AND h.overdue_since < %(after)s)
            AS overdue
    FROM {hazard} h
    WHERE h.found_at < %(stop)s AND (h.closed_at IS NULL OR h.closed_at >= %(begin)s)
    GROUP BY 1, 2, 3, 4"""  # noqa: S608 (table names from the models; the values are parameters)


def floor_params(start: datetime.date, months: int = 1) -> dict:
    params = _params(start, months)
    return {key: params[key] for key in ("begin", "stop", "after")}
