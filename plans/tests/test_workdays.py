"""The 20-working-day clock from issue to filing, on China's calendar and the county's adjustments.

2026's Spring Festival (chinesecalendar): 15–23 February off, Saturday 14 and Saturday 28 February
are 调休 working days."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from emergency import testclock
from plans import services
from plans.models import WorkdayAdjustment
from plans.tests.factories import draft, reviewed
from plans.workdays import add_workdays, is_workday, knows_year

pytestmark = pytest.mark.django_db
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=BEIJING)


def test_the_spring_festival_and_its_working_saturdays():
    assert knows_year(2026)
    assert is_workday(datetime.date(2026, 2, 14))  # Saturday, 调休
    assert is_workday(datetime.date(2026, 2, 28))  # Saturday, 调休
    assert not any(is_workday(datetime.date(2026, 2, d)) for d in range(15, 24))
    assert is_workday(datetime.date(2026, 2, 24))
    assert not is_workday(datetime.date(2026, 3, 1))  # an ordinary Sunday


def test_twenty_working_days_across_the_spring_festival():
    # 11, 12, 13, 14 (Sat), 24–28 (28 a Sat), March 2–6, 9–13, 16
    assert add_workdays(datetime.date(2026, 2, 10), 20) == datetime.date(2026, 3, 16)
    assert add_workdays(datetime.date(2026, 2, 13), 1) == datetime.date(2026, 2, 14)
    assert add_workdays(datetime.date(2026, 2, 14), 1) == datetime.date(2026, 2, 24)


def test_a_local_adjustment_overrides_the_national_calendar():
    WorkdayAdjustment.objects.create(date=datetime.date(2026, 3, 2), is_workday=False, note="县里停工")
    WorkdayAdjustment.objects.create(date=datetime.date(2026, 3, 1), is_workday=True, note="补班")
    assert not is_workday(datetime.date(2026, 3, 2))
    assert is_workday(datetime.date(2026, 3, 1))
    assert add_workdays(datetime.date(2026, 2, 10), 20) == datetime.date(2026, 3, 16)  # one off, one on


def test_a_year_the_package_does_not_know_counts_weekdays_and_the_local_rows():
    year = next(y for y in range(2027, 2040) if not knows_year(y))
    monday = next(datetime.date(year, 3, d) for d in range(1, 8) if datetime.date(year, 3, d).weekday() == 0)
    assert is_workday(monday) and not is_workday(monday + datetime.timedelta(days=5))
    WorkdayAdjustment.objects.create(date=monday, is_workday=False)
    assert add_workdays(monday - datetime.timedelta(days=3), 1) == monday + datetime.timedelta(days=1)


def test_issuing_on_10_february_2026_stores_the_due_date_and_a_late_filing_is_flagged(world):
    with testclock.travel(at(2026, 2, 10)):
        plan = draft(world)
        version = services.version_issue(version=reviewed(world, plan), by=world.township_leader)
        assert version.issued_on == datetime.date(2026, 2, 10)
        assert version.filing_due == datetime.date(2026, 3, 16)
    with testclock.travel(at(2026, 3, 17)):
        filing = services.version_file(version=version, by=world.township_officer)
        assert filing.late
        assert timezone.localdate() > version.filing_due


def test_filing_on_the_due_date_is_in_time(world):
    with testclock.travel(at(2026, 2, 10)):
        plan = draft(world)
        version = services.version_issue(version=reviewed(world, plan), by=world.township_leader)
    with testclock.travel(at(2026, 3, 16, 17)):
        assert not services.version_file(version=version, by=world.township_officer).late


def test_the_route_row_sets_the_number_of_working_days(world):
    from plans.models import FilingRoute

    FilingRoute.objects.filter(owner_kind="township", plan_kind__isnull=True).update(due_workdays=5)
    with testclock.travel(at(2026, 2, 10)):
        version = services.version_issue(version=reviewed(world, draft(world)), by=world.township_leader)
    assert version.filing_due == datetime.date(2026, 2, 24)  # 11, 12, 13, 14 (Sat), 24
