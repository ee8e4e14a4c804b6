"""The library part of the demo county (``seed_demo_activity``, step ``library``): at the test
clock and at another date (the production check runs the demo at the real date)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from emergency import testclock
from library.models import Case, Regulation
from plans.models import RevisionTrigger, TriggerSource


@pytest.fixture(scope="module", params=[None, datetime.datetime(2027, 3, 2, 9, 0, tzinfo=datetime.UTC)])
def demo(request, django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    moment = request.param
    with (
        testclock.travel(moment),
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
def test_the_demo_has_cases_regulations_and_a_replaced_one_that_raised_a_revision(demo, client):
    assert Case.objects.count() >= 8 and Case.objects.filter(state=Case.State.PUBLISHED).count() >= 5
    assert Case.objects.filter(source=Case.Source.INCIDENT).exists()
    assert Regulation.objects.count() == 15
    old = Regulation.objects.get(number="国办发〔2013〕101号")
    assert old.status == Regulation.Status.REPLACED and old.replaced_by.number == "国办发〔2024〕5号"
    assert RevisionTrigger.objects.filter(source=TriggerSource.REGULATION).exists()
    assert "案例库" in demo
    from grids.models import User

    client.force_login(User.objects.get(username="village_officer"))
    page = client.get(reverse("library:regulation_list")).content.decode()
    assert "突发事件应急预案管理办法" in page
