"""The patrol part of the demo county (``seed_demo_activity``, step ``patrols``): a month of
patrols with gaps, which the compliance table shows as missed."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from emergency import testclock
from patrols.models import CheckIn, Patrol


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with testclock.travel(), django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("seed_demo", password="x", stdout=StringIO())
        out = StringIO()
        call_command("seed_demo_activity", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_demo_has_a_month_of_patrols_with_gaps(demo, client):
    assert "巡查" in demo
    assert Patrol.objects.count() >= 8 and CheckIn.objects.exists()
    assert (
        Patrol.objects.filter(started_at__gte=timezone.now() - timezone.timedelta(days=31)).count()
        == Patrol.objects.count()
    )
    patrol = Patrol.objects.select_related("unit__parent").first()
    from grids.models import User

    client.force_login(User.objects.get(username="township_officer"))
    page = client.get(reverse("patrols:compliance", args=[patrol.unit.parent_id]))
    assert page.status_code == 200 and "level-red" in page.content.decode()


@pytest.mark.django_db
def test_the_demo_villages_have_routes_patrolled_and_missed(demo, client):
    from grids.models import User
    from patrols.models import PatrolRoute, PatrolRule

    villages = set(Patrol.objects.values_list("unit_id", flat=True))
    assert villages <= set(PatrolRoute.objects.values_list("unit_id", flat=True))
    assert PatrolRule.objects.filter(route__isnull=False).count() == len(villages)
    assert Patrol.objects.filter(route__isnull=False).exists()
    patrol = Patrol.objects.filter(route__isnull=False).select_related("unit").first()
    client.force_login(User.objects.get(username="township_officer"))
    body = client.get(reverse("patrols:compliance", args=[patrol.unit.parent_id])).content.decode()
    assert 'class="pt-route-missed"' in body and 'class="pt-route-done"' in body
