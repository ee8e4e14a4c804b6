"""The requirement rows (each kind, twice a year, categories, plan kinds, the year boundary), the
compliance table and calendar with a constant number of queries, and the training gap list."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from drills import selectors, services
from drills.models import CategorisedUnit, UnitCategory
from drills.tests.factories import drill
from grids.rules import Kind
from grids.scope import forget_scope
from grids.tests.factories import make_unit
from plans.tests.factories import draft as draft_plan
from plans.tests.factories import leader_of

pytestmark = pytest.mark.django_db

TZ = timezone.get_fixed_timezone(8 * 60)


def last_year() -> int:
    return timezone.localdate().year - 1


def held_on(world, unit, when: datetime.datetime, **fields):
    """A drill of ``unit`` held at ``when`` (organised by the county)."""
    d = drill(world, by=world.county_dispatcher, organiser=unit, unit=unit, planned_date=when.date(), **fields)
    return services.drill_record_held(drill=d, by=world.county_dispatcher, held_at=when, place="现场", headcount=10)


def rows_of(world, unit, year):
    return [r for r in selectors.compliance(world.county_dispatcher, world.county, year) if r.unit == unit]


def test_every_township_and_village_owes_one_drill_a_year(world):
    year = last_year()
    held_on(world, world.township, datetime.datetime(year, 6, 1, 10, tzinfo=TZ), scope="single")
    (town,) = rows_of(world, world.township, year)
    assert (town.due, town.done, town.planned, town.missing) == (1, 1, 0, 0)
    (village,) = rows_of(world, world.village_a, year)
    assert (village.due, village.done, village.missing) == (1, 0, 1)
    assert {r.unit for r in selectors.compliance(world.county_dispatcher, world.county, year)} >= {
        world.township, world.other_township, world.village_a, world.village_b, world.village_c, world.enterprise,
    }  # fmt: skip


def test_a_planned_drill_counts_as_planned_not_done(world):
    d = drill(world, planned_date=timezone.localdate())
    (town,) = rows_of(world, world.township, d.planned_date.year)
    assert (town.done, town.planned, town.missing) == (0, 1, 0)


def test_twice_a_year_means_one_in_each_half(world):
    year = last_year()
    held_on(world, world.enterprise, datetime.datetime(year, 3, 1, 9, tzinfo=TZ))
    held_on(world, world.enterprise, datetime.datetime(year, 5, 1, 9, tzinfo=TZ))
    (row,) = rows_of(world, world.enterprise, year)
    assert (row.due, row.done, row.missing) == (2, 1, 1)  # two in the first half count once
    held_on(world, world.enterprise, datetime.datetime(year, 7, 1, 9, tzinfo=TZ))
    (row,) = rows_of(world, world.enterprise, year)
    assert (row.due, row.done, row.missing) == (2, 2, 0)


def test_an_enterprise_counts_only_comprehensive_drills(world):
    year = last_year()
    held_on(world, world.enterprise, datetime.datetime(year, 3, 1, 9, tzinfo=TZ), scope="single")
    (row,) = rows_of(world, world.enterprise, year)
    assert row.done == 0


def test_a_category_row_replaces_the_kinds_general_row(world):
    CategorisedUnit.objects.create(unit=world.enterprise, category=UnitCategory.objects.get(code="hazchem"))
    (row,) = rows_of(world, world.enterprise, last_year())
    assert row.requirement.category.code == "hazchem" and row.due == 2


def test_a_school_in_a_village_owes_two_comprehensive_drills(world):
    CategorisedUnit.objects.create(unit=world.village_b, category=UnitCategory.objects.get(code="school"))
    names = sorted(r.requirement.name for r in rows_of(world, world.village_b, last_year()))
    assert names == ["学校综合演练", "村(社区)防灾演练"]


def test_each_plan_of_a_drilled_kind_has_its_row(world):
    year = last_year()
    owner = leader_of(world.enterprise)
    onsite = draft_plan(world, by=owner, unit=world.enterprise, code="enterprise-onsite", title="储罐泄漏现场处置方案")
    draft_plan(world, by=owner, unit=world.enterprise, code="enterprise-onsite", title="火灾现场处置方案")
    held_on(world, world.enterprise, datetime.datetime(year, 4, 1, 9, tzinfo=TZ), scope="single", linked_plans=[onsite])
    rows = {r.plan.title: r for r in rows_of(world, world.enterprise, year) if r.plan}
    assert (rows["储罐泄漏现场处置方案"].done, rows["储罐泄漏现场处置方案"].due) == (1, 2)
    assert rows["火灾现场处置方案"].done == 0


def test_the_national_minimum_is_rule_text_on_the_row(world):
    from drills.models import DrillRequirement

    row = DrillRequirement.objects.get(name="专项应急预案演练")
    assert row.times_per_year == 1 and "每3年至少1次" in row.rule


def test_the_year_boundary_is_beijing_midnight(world):
    year = last_year()
    held_on(world, world.village_a, datetime.datetime(year, 12, 31, 23, 30, tzinfo=TZ))
    held_on(world, world.village_b, datetime.datetime(year + 1, 1, 1, 0, 10, tzinfo=TZ))
    assert rows_of(world, world.village_a, year)[0].done == 1
    assert rows_of(world, world.village_a, year + 1)[0].done == 0
    assert rows_of(world, world.village_b, year)[0].done == 0
    assert rows_of(world, world.village_b, year + 1)[0].done == 1


def _grow(world, n: int, start: int = 0):
    year = last_year()
    for i in range(start, start + n):
        village = make_unit(world.township, Kind.VILLAGE, f"45102710030{i}", f"新村{i}")
        forget_scope(world.county_dispatcher)
        held_on(world, village, datetime.datetime(year, 2 + i % 5, 1, 9, tzinfo=TZ))
        drill(world, by=world.county_dispatcher, organiser=world.county, unit=village,
              planned_date=datetime.date(year, 2, 15 + i))  # fmt: skip


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured.captured_queries)


def test_the_compliance_table_and_calendar_use_a_constant_number_of_queries(world, client):
    year = last_year()
    client.force_login(world.county_dispatcher)
    _grow(world, 1)
    small = (
        _queries(lambda: client.get("/drills/compliance/", {"year": year})),
        _queries(lambda: client.get("/drills/calendar/", {"year": year, "month": 2})),
        _queries(lambda: client.get("/drills/compliance/export.xlsx", {"year": year})),
    )
    _grow(world, 4, start=1)
    large = (
        _queries(lambda: client.get("/drills/compliance/", {"year": year})),
        _queries(lambda: client.get("/drills/calendar/", {"year": year, "month": 2})),
        _queries(lambda: client.get("/drills/compliance/export.xlsx", {"year": year})),
    )
    assert small == large


def test_officers_not_trained_this_year(world):
    today = timezone.localdate()
    services.training_record(
        by=world.township_officer, unit=world.township, topic="防汛培训", held_on=today, hours=Decimal("2"),
        attendees=[world.village_officer_a],
    )  # fmt: skip
    services.training_record(
        by=world.township_officer, unit=world.township, topic="去年培训", held_on=today.replace(year=today.year - 1, day=1),
        hours=Decimal("2"), attendees=[world.village_officer_b],
    )  # fmt: skip
    gap = selectors.untrained_officers(world.township_leader, world.township, today.year)
    assert sorted(m.user.username for m in gap) == ["township_officer", "village_officer_b"]
    own = selectors.untrained_officers(world.village_officer_a, world.township, today.year)
    assert own == []  # trained; and the village officer sees only their village
