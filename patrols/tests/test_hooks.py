"""What patrols adds to other pages: the consultation briefing counts the period's patrols; the
points page takes points from the registers; the API lists only what one sees."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from patrols import hooks
from patrols.tests import factories

pytestmark = pytest.mark.django_db


def test_the_briefing_counts_patrols_per_unit_in_fixed_queries(world, django_assert_max_num_queries):
    factories.patrol(world)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=9)
    with django_assert_max_num_queries(12):
        found = hooks.briefing_patrols([world.township, world.other_township, world.county], start, today)
    assert found[world.township.pk]["patrols"]["villages"] == 2
    assert found[world.other_township.pk]["patrols"]["villages"] == 1
    assert found[world.county.pk]["patrols"]["villages"] == 4  # with the park's enterprise (no rule: nothing due)
    assert (
        found[world.county.pk]["patrols"]["due"]
        == found[world.township.pk]["patrols"]["due"] + found[world.other_township.pk]["patrols"]["due"]
    )
    assert found[world.township.pk]["patrols"]["done"] >= 1


def test_the_api_lists_only_the_points_and_patrols_one_sees(world, client_for):
    factories.points(world)
    factories.points(world, unit=world.village_b, by=world.village_officer_b, names=("平兰村河堤",))
    client = client_for(world.village_officer_a)
    names = [p["name"] for p in client.get(reverse("patrol-points-list")).json()["results"]]
    assert "平兰村河堤" not in names and len(names) == 3
    factories.patrol(world)
    assert len(client_for(world.village_officer_b).get(reverse("patrols-list")).json()["results"]) == 0
    assert len(client_for(world.township_officer).get(reverse("patrols-list")).json()["results"]) == 1


def test_a_village_officer_adds_a_drawn_point_and_a_neighbour_may_not(world, client_for):
    url = reverse("patrols:points", args=[world.village_a.pk])
    answer = client_for(world.village_officer_a).post(url, {"name": "新修挡墙", "lng": 106.451, "lat": 24.251})
    assert answer.status_code == 302 and world.village_a.patrol_points.filter(name="新修挡墙").exists()
    assert client_for(world.village_officer_b).post(url, {"name": "x", "lng": 1, "lat": 1}).status_code == 404
    assert client_for(world.department_officer).post(url, {"name": "x", "lng": 1, "lat": 1}).status_code in (403, 404)


def test_the_monthly_report_page_counts_the_months_patrols(world, client_for):
    from reports import services as report_services
    from reports.models import MonthlyReport

    factories.patrol(world)
    today = timezone.localdate()
    report_services.monthly_job(today=today.replace(day=1))  # opens this month's drafts? else last month's
    report = MonthlyReport.objects.filter(unit=world.township).order_by("-period").first()
    if report is None or report.period.month != today.month:
        report = MonthlyReport.objects.create(
            unit=world.township, period=today.replace(day=1), deadline=today, figures={}
        )
    section = hooks.monthly_report_section(world.township_officer, report)
    assert section["patrols"]["villages"] == 2 and section["patrols"]["done"] >= 1
    assert {row.unit for row in section["rows"]} == {world.village_a, world.village_b}
    page = client_for(world.township_officer).get(reverse("reports:monthly_detail", args=[report.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="patrols"' in body and "本月巡查" in body and f'data-unit="{world.village_a.pk}"' in body
