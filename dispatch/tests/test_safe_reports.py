"""无事报平安: in the county's seasons (and while a warning is in force) each village sends a one-tap
daily 平安 by the cut-off; the township sees who has not, and those villages climb the ladder."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery.models import TextMessage
from dispatch.models import Escalation, SafeReport
from dispatch.selectors.safe_reports import cutoff_at, in_season, missing_villages, own_villages_due
from dispatch.services.escalation import escalate
from dispatch.services.safe_reports import safe_report_send
from dispatch.tests.test_warnings import issued

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(settings):
    """Every day is in the season of 凌云县 (451027); other counties have none."""
    settings.SAFE_REPORT_SEASONS = {"451027": [["01-01", "12-31"]], "*": []}
    settings.SAFE_REPORT_CUTOFF_HOUR = 10


def test_seasons_are_per_county_and_may_run_across_the_new_year(settings):
    settings.SAFE_REPORT_SEASONS = {"451027": [["12-01", "02-28"]], "*": [["06-01", "08-31"]]}
    assert in_season("451027", datetime.date(2027, 1, 15)) and in_season("451027", datetime.date(2026, 12, 1))
    assert not in_season("451027", datetime.date(2026, 7, 1))
    assert in_season("450000", datetime.date(2026, 7, 1))


def test_out_of_season_only_villages_under_a_warning_owe_a_report(world, settings):
    settings.SAFE_REPORT_SEASONS = {"*": []}
    today = timezone.localdate()
    assert list(missing_villages(today)) == []
    issued(world, areas=[world.village_a])
    assert [v.pk for v in missing_villages(today)] == [world.village_a.pk]


def test_one_tap_sends_the_day_and_a_second_tap_changes_nothing(world, season, client):
    client.force_login(world.village_officer_a)
    home = client.get(reverse("grids:home")).content.decode()
    assert (
        'class="safe-report-form"' in home and reverse("dispatch:safe_report_send", args=[world.village_a.pk]) in home
    )
    url = reverse("dispatch:safe_report_send", args=[world.village_a.pk])
    assert client.post(url, {"next": "home"}).status_code == 302
    assert client.post(url, {"note": "河水上涨"}).status_code == 302
    (report,) = SafeReport.objects.all()
    assert (
        report.unit == world.village_a
        and report.state == SafeReport.State.SAFE
        and report.by == world.village_officer_a
    )
    assert report.day == timezone.localdate()
    done = client.get(reverse("grids:home")).content.decode()
    assert 'class="safe-report-form"' not in done and "safe-sent" in done


def test_a_village_may_report_something_instead(world, season):
    report, created = safe_report_send(
        unit=world.village_b, by=world.village_officer_b, state="report", note="桥面积水"
    )
    assert created and report.state == SafeReport.State.REPORT and report.note == "桥面积水"


def test_only_the_village_itself_sends_its_report(world, season, client):
    url = reverse("dispatch:safe_report_send", args=[world.village_a.pk])
    client.force_login(world.township_officer)
    assert client.post(url).status_code == 403
    client.force_login(world.village_officer_b)
    assert client.post(url).status_code == 404  # village A is not in village B's scope: not found
    assert not SafeReport.objects.exists()


def test_the_township_sees_the_villages_that_have_not_reported(world, season, client):
    safe_report_send(unit=world.village_a, by=world.village_officer_a)
    client.force_login(world.township_officer)
    page = client.get(reverse("dispatch:safe_missing")).content.decode()
    assert "平兰村" in page and "陇雅村" not in page and "逻楼村" not in page


def test_the_own_box_costs_a_fixed_number_of_queries(world, season, django_assert_max_num_queries):
    own_villages_due(world.village_officer_a, timezone.localdate())  # the scope is cached
    with django_assert_max_num_queries(3):
        rows = own_villages_due(world.village_officer_a, timezone.localdate())
    assert [row["unit"] for row in rows] == [world.village_a]


def test_missing_villages_climb_the_ladder_after_the_cut_off(world, season):
    cutoff = cutoff_at(timezone.localdate())
    safe_report_send(unit=world.village_a, by=world.village_officer_a)
    assert escalate(now=cutoff - datetime.timedelta(minutes=1)).steps[1] == 0
    escalate(now=cutoff)
    texts = TextMessage.objects.filter(unit=world.village_b)
    assert [t.person for t in texts] == [world.village_officer_b]
    assert not TextMessage.objects.filter(unit=world.village_a).exists()  # it reported: nothing
    escalate(now=cutoff + datetime.timedelta(minutes=60))
    assert (
        Escalation.objects.filter(unit=world.village_b, step=Escalation.Step.CALL, day=timezone.localdate()).count()
        == 1
    )
    escalate(now=cutoff + datetime.timedelta(minutes=61))
    assert Escalation.objects.filter(unit=world.village_b).count() == 3
