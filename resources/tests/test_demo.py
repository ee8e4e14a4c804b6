"""The resources part of the demo county (``seed_demo_activity``, step ``resources``): at the test
clock and at another date."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from emergency import testclock
from grids.models import User
from resources.models import Expert, RollCall, Team
from resources.selectors.teams import team_list


@pytest.fixture(scope="module", params=[None, datetime.datetime(2027, 3, 2, 9, 0, tzinfo=datetime.UTC)])
def demo(request, django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (
        testclock.travel(request.param),
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        call_command("seed_demo", password="x", stdout=StringIO())
        out = StringIO()
        call_command("seed_demo_activity", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_demo_has_teams_experts_and_a_roll_call(demo, client):
    assert "救援队伍" in demo
    assert Team.objects.filter(kind="brigade").count() == 1 and Team.objects.filter(kind="squadron").count() >= 8
    assert Expert.objects.count() == 5
    dispatcher = User.objects.get(username="county_dispatcher")
    below = [t.name for t in team_list(dispatcher, below_only=True)]
    assert below == ["泗城镇民兵应急中队"]
    roll_call = RollCall.objects.get()
    assert roll_call.entries.filter(acknowledged_at__isnull=True).exists()
    client.force_login(dispatcher)
    assert client.get(reverse("resources:roll_call_detail", args=[roll_call.pk])).status_code == 200
    assert client.get(reverse("resources:team_list")).status_code == 200
