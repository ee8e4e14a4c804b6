"""The patrol-task rules across seasons and warnings, on frozen days."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from grids.rules import Kind
from patrols.models import PatrolRule, Season
from patrols.rules import RuleBook, WarningSpan, windows
from patrols.selectors import rule_book
from patrols.tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date


def test_seasons_run_over_the_new_year():
    fire = Season.objects.get(kind="fire", county=None)
    flood = Season.objects.get(kind="flood", county=None)
    assert fire.contains(D(2026, 12, 31)) and fire.contains(D(2027, 1, 1)) and fire.contains(D(2027, 4, 30))
    assert not fire.contains(D(2027, 5, 1))
    assert flood.contains(D(2027, 5, 1)) and flood.contains(D(2027, 9, 30)) and not flood.contains(D(2027, 10, 1))


@pytest.mark.parametrize(
    ("day", "interval"),
    [
        (D(2026, 11, 17), 5),  # fire season: every 5 days
        (D(2027, 7, 1), 3),  # flood season: every 3 days
        (D(2027, 10, 1), 5),  # first day of the fire season
        (D(2027, 9, 30), 3),  # last day of the flood season
    ],
)
def test_the_season_sets_the_interval(world, day, interval):
    book = rule_book({world.county.pk}, day, day)
    assert book.interval(world.village_a, world.county.pk, day) == interval


def test_a_warning_in_force_makes_the_patrol_daily_only_where_it_covers(world):
    factories.warning(world, level=4, areas=[world.township])
    today = timezone.localdate()
    book = rule_book({world.county.pk}, today, today)
    assert book.interval(world.village_a, world.county.pk, today) == 1
    assert book.interval(world.village_c, world.county.pk, today) == 5  # other township: no warning


def test_a_rule_for_orange_ignores_a_blue_warning(world):
    PatrolRule.objects.filter(interval_days=1).update(warning_level=2)
    factories.warning(world, level=4)
    today = timezone.localdate()
    assert rule_book({world.county.pk}, today, today).interval(world.village_a, world.county.pk, today) == 5
    factories.warning(world, level=2)
    assert rule_book({world.county.pk}, today, today).interval(world.village_a, world.county.pk, today) == 1


def test_a_county_season_stands_in_for_the_general_one(world):
    Season.objects.create(
        county=world.county, name="汛期", kind="flood", start_month=4, start_day=1, end_month=10, end_day=15
    )
    day = D(2027, 4, 10)
    book = rule_book({world.county.pk}, day, day)
    assert book.interval(world.village_a, world.county.pk, day) == 3
    assert book.interval(world.village_a, world.county.pk + 999, day) == 5  # another county keeps 1 May


def test_a_unit_kind_without_rules_has_no_windows(world):
    book = rule_book({world.county.pk}, D(2026, 11, 1), D(2026, 11, 30))
    assert list(windows(book, world.enterprise, world.county.pk, D(2026, 11, 1), D(2026, 11, 30))) == []


def test_windows_follow_the_interval_of_their_first_day():
    rules = [
        PatrolRule(unit_kind=Kind.VILLAGE, interval_days=7),
        PatrolRule(unit_kind=Kind.VILLAGE, warning_level=4, interval_days=1),
    ]

    class Unit:
        kind, tree_id, lft, rght = Kind.VILLAGE, 1, 2, 3

    book = RuleBook(rules=rules, seasons=[], warnings=[WarningSpan(4, D(2026, 11, 8), D(2026, 11, 9), [(1, 1, 10)])])
    found = [(w.start.day, w.end.day) for w in windows(book, Unit(), 1, D(2026, 11, 1), D(2026, 11, 20))]
    assert found == [(1, 7), (8, 8), (9, 9), (10, 16), (17, 20)]


@time_machine.travel(
    datetime.datetime(2027, 7, 20, 9, tzinfo=datetime.timezone(datetime.timedelta(hours=8))), tick=False
)
def test_the_compliance_table_uses_the_flood_season_on_a_summer_day(world):
    from patrols.selectors import compliance

    today = timezone.localdate()
    table = compliance(world.township, today - datetime.timedelta(days=8), today - datetime.timedelta(days=3), today)
    row = next(r for r in table.villages if r.unit == world.village_a)
    assert row.due == 2 and row.missed == 2  # two windows of 3 days, nobody patrolled
