"""The grid ledger is complete against the registers; the compliance table counts patrols in a
fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hazards.models import HazardEvent
from hazards.tests.factories import report as report_hazard
from patrols import selectors, services
from patrols.models import CheckIn, Patrol
from patrols.tests import factories

pytestmark = pytest.mark.django_db


def test_the_ledger_holds_every_patrol_check_in_and_hazard_step_in_order(world, client_for):
    first, second, _third = factories.points(world)
    patrol = factories.patrol(world)
    factories.check_in(patrol, first)
    factories.check_in(patrol, second, at_point=False)
    hazard = report_hazard(world, by=world.village_officer_a, unit=world.village_a, title="后山裂缝", code="flood")
    services.patrol_finish(patrol=patrol, by=world.village_officer_a)
    report_hazard(world, by=world.village_officer_c if hasattr(world, "village_officer_c") else world.village_officer_b,
                  unit=world.village_b, title="别村隐患", code="flood")  # fmt: skip
    today = timezone.localdate()
    entries = selectors.ledger(world.village_a, today, today)
    events = HazardEvent.objects.filter(hazard__unit=world.village_a).count()
    checkins = CheckIn.objects.filter(patrol__unit=world.village_a).count()
    patrols = Patrol.objects.filter(unit=world.village_a)
    expected = events + checkins + patrols.count() + patrols.filter(finished_at__isnull=False).count()
    assert len(entries) == expected
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    assert all("别村" not in e.place for e in entries)
    assert any(hazard.number in e.place for e in entries)
    page = client_for(world.township_officer).get(reverse("patrols:ledger", args=[world.village_a.pk]))
    assert page.status_code == 200 and hazard.number in page.content.decode()
    export = client_for(world.township_officer).get(reverse("patrols:ledger_export", args=[world.village_a.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_ledger_is_read_in_constant_queries(world, django_assert_max_num_queries):
    points = factories.points(world)
    for _ in range(3):
        patrol = factories.patrol(world)
        for point in points:
            factories.check_in(patrol, point)
        services.patrol_finish(patrol=patrol, by=world.village_officer_a)
    today = timezone.localdate()
    with django_assert_max_num_queries(3):
        selectors.ledger(world.village_a, today, today)


def test_another_village_sees_no_ledger_of_ours(world, client_for):
    assert (
        client_for(world.village_officer_b).get(reverse("patrols:ledger", args=[world.village_a.pk])).status_code == 404
    )


def _patrol_on(world, day: datetime.date, unit=None, by=None):
    patrol = factories.patrol(world, unit=unit, by=by)
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    Patrol.objects.filter(pk=patrol.pk).update(started_at=at, finished_at=at, state="finished")
    return patrol


def test_compliance_counts_done_late_and_missed(world):
    today = timezone.localdate()  # 17 November, fire season: every 5 days
    start = today - datetime.timedelta(days=19)  # 29 Oct .. 17 Nov: windows 29.10-2.11, 3-7, 8-12, 13-17
    _patrol_on(world, start + datetime.timedelta(days=1))  # first window done
    _patrol_on(world, start + datetime.timedelta(days=15))  # 13 Nov: the third window's grace day → late; fourth done
    table = selectors.compliance(world.township, start, today, today)
    row = next(r for r in table.villages if r.unit == world.village_a)
    assert (row.due, row.done, row.late, row.missed, row.open) == (
        4,
        2,
        1,
        1,
        0,
    )  # 13 Nov: late for 8-12, done for 13-17
    assert row.patrols == 2
    other = next(r for r in table.villages if r.unit == world.village_b)
    assert other.missed == 3 and other.done == 0 and other.open == 1
    officer = next(r for r in table.officers if r.officer == world.village_officer_a and r.unit == world.village_a)
    assert officer.patrols == 2 and officer.done == 2 and officer.late == 1


def test_compliance_lists_points_not_visited(world):
    first, second, third = factories.points(world)
    patrol = factories.patrol(world)
    factories.check_in(patrol, first)
    today = timezone.localdate()
    row = next(
        r for r in selectors.compliance(world.township, today, today, today).villages if r.unit == world.village_a
    )
    assert row.points_not_visited == [second, third] or set(row.points_not_visited) == {second, third}


def test_the_compliance_page_uses_a_constant_number_of_queries(world, client_for, django_assert_num_queries):
    from grids.models import Role
    from grids.rules import Kind
    from grids.tests.factories import grant, make_person, make_unit

    client = client_for(world.township_leader)
    url = reverse("patrols:compliance", args=[world.township.pk])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    _route_patrol(world, world.village_a, world.village_officer_a, yesterday)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(4):
        village = make_unit(world.township, Kind.VILLAGE, f"45102710030{n}", f"新村{n}")
        officer = make_person(f"new_officer_{n}")
        grant(officer, village, Role.INFORMATION_OFFICER)
        factories.points(world, unit=village, by=officer, names=("甲", "乙"))
        _patrol_on(world, timezone.localdate(), unit=village, by=officer)
        _route_patrol(world, village, officer, yesterday, name=f"路线{n}")
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url)
        assert page.status_code == 200
    assert page.content.decode().count('class="pt-route-done"') == 5


def _route_patrol(world, village, officer, day, name="日常巡查路线"):
    """A route of two new points of ``village``, asked for daily, patrolled whole on ``day``."""
    points = factories.points(world, unit=village, by=officer, names=(f"{name}起点", f"{name}终点"))
    route = factories.route(world, points, unit=village, by=officer, name=name, every_days=1)
    patrol, _created = services.patrol_start(unit=village, by=officer, route=route)
    factories.started_on(patrol, day)
    for point in points:
        factories.check_in(patrol, point)
    return route


def test_a_patrol_walked_offline_counts_on_the_phones_day_within_the_limit(world, settings):
    """Walked on the last day of the second window (7 November at the usual test clock) with no
    signal, sent the next day: it is on time for that window and the ledger lists it on its day. A
    phone time older than PATROL_OFFLINE_MAX_DAYS is not taken: then it counts on the next day, late
    for that window. (Fire season at the test clock and every hard date: windows of 5 days.)"""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=19)  # windows start+0..4, 5..9, 10..14, 15..19
    walked_day, arrived_day = start + datetime.timedelta(days=9), start + datetime.timedelta(days=10)
    walked = timezone.make_aware(datetime.datetime.combine(walked_day, datetime.time(9)))
    arrived = timezone.make_aware(datetime.datetime.combine(arrived_day, datetime.time(9)))
    patrol = factories.patrol(world)
    Patrol.objects.filter(pk=patrol.pk).update(
        started_at=arrived, client_started_at=walked, finished_at=arrived, state="finished"
    )

    def village_row():
        table = selectors.compliance(world.township, start, today, today)
        return next(r for r in table.villages if r.unit == world.village_a)

    def first_patrol_day():
        entries = selectors.ledger(world.village_a, start, today)
        return next(timezone.localdate(e.at) for e in entries if e.kind == "patrol")

    assert (village_row().done, village_row().late) == (1, 0)
    assert first_patrol_day() == walked_day
    settings.PATROL_OFFLINE_MAX_DAYS = 0
    assert (village_row().done, village_row().late) == (1, 1)  # the next day: late, and done for the third
    assert first_patrol_day() == arrived_day
