"""The monthly job's figures computed by the database (``reports.monthly``): on a small generated
grid they equal an independent count made in Python from the raw rows, on SQLite and PostgreSQL
alike (the suite runs on whichever ``DATABASE_URL``); every report is written once, final; the
number of queries does not grow with the grid; the rate's ties round as Python rounds them."""

from __future__ import annotations

import datetime
import random
import re
from collections import Counter, defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.periods import bounds
from grids.models import GridUnit
from grids.rules import Kind
from grids.tests.factories import make_unit
from hazards.models import Grade, Hazard, HazardCategory, HazardEvent, State
from reports import figures, monthly, services
from reports.models import MonthlyReport

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()
OCTOBER = datetime.date(2026, 10, 1)
NOVEMBER_1 = datetime.date(2026, 11, 1)
BEGIN, STOP = bounds(OCTOBER, datetime.date(2026, 10, 31))
_serial = iter(range(1, 10**6))


def moment(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.datetime:
    day = first + datetime.timedelta(days=rng.randrange((last - first).days + 1))
    return datetime.datetime.combine(day, datetime.time(rng.choice([0, 9, 23]), rng.choice([0, 59])), tzinfo=TZ)


def hazards_in(world, units: list[GridUnit], *, per_unit: int, seed: int) -> None:
    """Hazards found from August to November in every state, some closed on the month's edges,
    some overdue, a few major, risk levels including none; events confirming and rectifying."""
    rng = random.Random(seed)
    categories = list(HazardCategory.objects.filter(code__in=["flood", "geological", "fire"]))
    rows = []
    for unit in units:
        for _ in range(per_unit):
            found = moment(rng, datetime.date(2026, 8, 1), datetime.date(2026, 11, 10))
            state = rng.choice(list(State.values))
            closed = None
            if state in (State.CLOSED, State.REJECTED):
                closed = rng.choice([found + datetime.timedelta(days=rng.randrange(0, 50)), STOP, BEGIN])
                closed = max(closed, found)
            overdue = rng.choice([None, None, datetime.date(2026, 10, 31), datetime.date(2026, 11, 1)])
            category = rng.choice(categories)
            rows.append(
                Hazard(
                    number=f"T{next(_serial):07d}",
                    title="测试隐患",
                    family=category.family,
                    category=category,
                    unit=unit,
                    owner_unit=unit,
                    reporter=world.village_officer_a,
                    found_at=found,
                    state=state,
                    closed_at=closed,
                    overdue_since=overdue if state not in (State.CLOSED, State.REJECTED) else None,
                    grade=Grade.MAJOR if rng.random() < 0.15 else Grade.GENERAL,
                    risk_level=rng.choice([None, 1, 2, 3, 4]),
                )
            )
    created = Hazard.objects.bulk_create(rows)
    events = []
    for hazard in created:
        for _ in range(rng.choice([0, 0, 1, 2])):  # twice the same action counts the hazard once
            action = rng.choice([HazardEvent.Action.CONFIRM, HazardEvent.Action.EVIDENCE, HazardEvent.Action.PLAN])
            events.append(
                HazardEvent(hazard=hazard, action=action, at=moment(rng, datetime.date(2026, 9, 25), NOVEMBER_1))
            )
    HazardEvent.objects.bulk_create(events)


def build_grid(world, *, townships: int, villages: int, per_unit: int = 6, seed: int = 1) -> list[GridUnit]:
    units = []
    for t in range(townships):
        prefix = f"451027{300 + 10 * seed + t:03d}"
        township = make_unit(world.county, Kind.TOWN, f"{prefix}000", f"测试镇{seed}-{t}")
        units.append(township)
        for v in range(villages):
            units.append(make_unit(township, Kind.VILLAGE, f"{prefix}{201 + v:03d}", f"测试村{seed}-{t}-{v}"))
        gone = make_unit(township, Kind.VILLAGE, f"{prefix}399", f"撤并村{seed}-{t}", is_active=False)
        units.append(gone)
    hazards_in(world, units + [world.village_a, world.township], per_unit=per_unit, seed=seed)
    return units


# --- the independent count ------------------------------------------------------------------------


def count_from_rows() -> dict[int, dict]:
    """October's figures of every reporting unit, counted one hazard at a time from the raw rows."""
    after = datetime.date(2026, 11, 1)
    per_unit: dict[int, list[dict]] = defaultdict(list)
    for row in Hazard.objects.values():
        per_unit[row["unit_id"]].append(row)
    events: dict[tuple[int, str], set[int]] = defaultdict(set)
    for unit_id, hazard_id, action, at in HazardEvent.objects.values_list(
        "hazard__unit_id", "hazard_id", "action", "at"
    ):
        if BEGIN <= at < STOP:
            events[(unit_id, action)].add(hazard_id)
    names = dict(HazardCategory.objects.values_list("id", "name"))
    units = {u.pk: u for u in GridUnit.objects.all()}

    def metrics(row) -> Counter | None:
        found, closed, state = row["found_at"], row["closed_at"], row["state"]
        if not (found < STOP and (closed is None or closed >= BEGIN)):
            return None
        in_month = closed is not None and BEGIN <= closed < STOP
        still_open = closed is None or closed >= STOP
        return Counter(
            new=int(found >= BEGIN),
            closed=int(state == State.CLOSED and in_month),
            rejected=int(state == State.REJECTED and in_month),
            open_start=int(found < BEGIN),
            open_end=int(still_open and state != State.REJECTED),
            overdue=int(still_open and row["overdue_since"] is not None and row["overdue_since"] < after),
        )

    def block(members: list[int]) -> dict:
        totals, by_category, by_grade, by_level = (
            Counter(),
            defaultdict(Counter),
            defaultdict(Counter),
            defaultdict(Counter),
        )
        majors = []
        for member in members:
            for row in sorted(per_unit[member], key=lambda r: (r["found_at"], r["id"])):
                counted = metrics(row)
                if counted is None:
                    continue
                totals += counted
                by_category[row["category_id"]] += counted
                by_grade[row["grade"]] += counted
                by_level[str(row["risk_level"] or 0)] += counted
                if row["grade"] == Grade.MAJOR:
                    majors.append(row["number"])
            totals["confirmed"] += len(events[(member, HazardEvent.Action.CONFIRM)])
            totals["rectified"] += len(events[(member, HazardEvent.Action.EVIDENCE)])
        handled = totals["open_start"] + totals["new"] - totals["rejected"]
        return {
            "totals": totals,
            "rate": round(totals["closed"] / handled, 4) if handled else None,
            "by_category": {names[cid]: counts for cid, counts in by_category.items()},
            "by_grade": dict(by_grade),
            "by_level": dict(by_level),
            "majors": majors,
        }

    expected = {}
    for unit in units.values():
        if not unit.is_active or unit.level not in (1, 2):
            continue
        children = sorted((u for u in units.values() if u.parent_id == unit.pk and u.is_active), key=lambda u: u.code)
        expected[unit.pk] = block([unit.pk] + [c.pk for c in children])
        if unit.tier == 2:
            expected[unit.pk]["children"] = [
                (c.name, block([c.pk])["totals"]["new"], block([c.pk])["totals"]["open_end"]) for c in children
            ]
    return expected


def as_counted(figures_: dict) -> dict:
    """A report's figures in the shape of ``count_from_rows`` (zero counts dropped, as a Counter does)."""

    def nonzero(values: dict) -> Counter:
        return Counter({k: v for k, v in values.items() if k not in ("id", "name") and v})

    result = {
        "totals": nonzero(figures_["totals"]),
        "rate": figures_["rate"],
        "by_category": {row["name"]: nonzero(row) for row in figures_["by_category"]},
        "by_grade": {grade: nonzero(values) for grade, values in figures_["by_grade"].items()},
        "by_level": {level: nonzero(values) for level, values in figures_["by_level"].items()},
        "majors": [major["number"] for major in figures_["majors"]],
    }
    if "children" in figures_:
        result["children"] = [(c["name"], c["new"], c["open_end"]) for c in figures_["children"]]
    return result


# --- the tests ------------------------------------------------------------------------------------


def test_the_jobs_figures_equal_a_count_from_the_raw_rows(world):
    build_grid(world, townships=2, villages=3)
    result = services.monthly_job(today=NOVEMBER_1)
    expected = count_from_rows()
    reports = {r.unit_id: r for r in MonthlyReport.objects.filter(period=OCTOBER)}
    assert result == {"opened": len(expected), "compiled": len(expected)}
    assert set(reports) == set(expected)  # active tier-2 and tier-3 units, the inactive village left out
    for unit_id, report in reports.items():
        assert report.state == MonthlyReport.State.DRAFT
        assert as_counted(report.figures) == expected[unit_id], report.unit.name
        assert report.figures["period"] == "2026-10"
    township = reports[GridUnit.objects.get(name="测试镇1-0").pk].figures
    assert [c["name"] for c in township["children"]] == ["测试村1-0-0", "测试村1-0-1", "测试村1-0-2"]
    assert {"confirmed", "rectified"} <= set(township["by_category"][0])
    assert all(
        set(m) == {"number", "title", "state", "state_display", "unit", "supervised"} for m in township["majors"]
    )


def test_the_figures_are_those_of_the_python_compilation_key_for_key(world):
    build_grid(world, townships=2, villages=2, seed=2)
    services.monthly_job(today=NOVEMBER_1)
    reports = list(MonthlyReport.objects.filter(period=OCTOBER).select_related("unit"))
    computed = figures.monthly_figures(
        start=OCTOBER, end=datetime.date(2026, 10, 31), units=[report.unit for report in reports]
    )
    for report in reports:
        assert report.figures == computed[report.unit_id], report.unit.name


def test_reports_a_crashed_run_left_pending_get_the_same_figures(world):
    build_grid(world, townships=2, villages=2, seed=3)
    services.monthly_reports_open(period=OCTOBER)  # the run died here
    assert services.monthly_job(today=NOVEMBER_1)["opened"] == 0
    expected = count_from_rows()
    for report in MonthlyReport.objects.filter(period=OCTOBER):
        assert report.state == MonthlyReport.State.DRAFT
        assert as_counted(report.figures) == expected[report.unit_id]


def test_each_report_is_written_once_in_its_final_state(world):
    build_grid(world, townships=1, villages=3, seed=4)
    with CaptureQueriesContext(connection) as captured:
        services.monthly_job(today=NOVEMBER_1)
    writes = [
        match.group(1).split()[0].upper()
        for query in captured.captured_queries
        for match in re.finditer(
            r'\b(INSERT(?:\s+OR\s+IGNORE)?\s+INTO|UPDATE)\s+"?reports_monthlyreport"?[\s(]', query["sql"], re.I
        )
    ]
    assert writes and set(writes) == {"INSERT"}  # no UPDATE: each row is inserted in its final state
    if connection.vendor == "postgresql":
        assert len(writes) == 1  # one INSERT … SELECT for the period
    assert not MonthlyReport.objects.exclude(state=MonthlyReport.State.DRAFT).exists()
    assert services.monthly_job(today=NOVEMBER_1) == {"opened": 0, "compiled": 0}


@pytest.mark.parametrize("crashed", [False, True])
def test_queries_are_the_same_at_two_grid_sizes(world, crashed):
    def run() -> int:
        if crashed:
            services.monthly_reports_open(period=OCTOBER)
        with CaptureQueriesContext(connection) as captured:
            services.monthly_job(today=NOVEMBER_1)
        MonthlyReport.objects.all().delete()
        return len(captured.captured_queries)

    build_grid(world, townships=1, villages=1, per_unit=2, seed=5)
    small = run()
    build_grid(world, townships=3, villages=4, per_unit=8, seed=6)
    large = run()
    assert GridUnit.objects.count() > 20
    assert large == small


def ties(world, index: int, closed: int, handled: int) -> int:
    """A village with ``handled`` hazards found in October, ``closed`` of them closed in October."""
    village = make_unit(world.township, Kind.VILLAGE, f"451027100{350 + index:03d}", f"平局村{closed}-{handled}")
    flood = HazardCategory.objects.get(code="flood")
    Hazard.objects.bulk_create(
        Hazard(
            number=f"R{next(_serial):07d}",
            title="平局",
            family=flood.family,
            category=flood,
            unit=village,
            owner_unit=village,
            reporter=world.village_officer_a,
            found_at=BEGIN + datetime.timedelta(days=1),
            state=State.CLOSED if i < closed else State.RECTIFYING,
            closed_at=BEGIN + datetime.timedelta(days=2) if i < closed else None,
        )
        for i in range(handled)
    )
    return village.pk


def test_the_rates_ties_round_as_python_rounds_them(world):
    cases = [(1, 32), (3, 32), (5, 32), (7, 32), (1, 3), (2, 3), (1, 8), (0, 5), (4, 4)]
    villages = {ties(world, i, closed, handled): (closed, handled) for i, (closed, handled) in enumerate(cases)}
    services.monthly_job(today=NOVEMBER_1)
    rates = dict(MonthlyReport.objects.filter(unit_id__in=villages).values_list("unit_id", "figures__rate"))
    for unit_id, (closed, handled) in villages.items():
        assert rates[unit_id] == round(closed / handled, 4), (closed, handled)
    assert sorted(rates.values()) == [0.0, 0.0312, 0.0938, 0.125, 0.1562, 0.2188, 0.3333, 0.6667, 1.0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL expression is PostgreSQL's")
def test_the_sql_rate_equals_pythons_round_for_every_fraction_up_to_600():
    sql = f"""SELECT c, h, {monthly.rate_sql("c", "h")} FROM generate_series(0, 600) AS c,
              generate_series(0, 600) AS h WHERE c <= h"""
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ties_up": monthly.ties_rounded_up()})
        rows = cursor.fetchall()
    assert len(rows) == 601 * 602 // 2
    wrong = [(c, h, r) for c, h, r in rows if (None if r is None else float(r)) != (round(c / h, 4) if h else None)]
    assert wrong == []
