"""The supplies part of the demo county (``seed_demo_activity``, step ``supplies``)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from emergency import testclock
from grids.models import Membership, User
from supplies.models import Depot, Lot, Transfer


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
def test_the_demo_has_a_stocked_county_depot_points_and_a_transfer_in_transit(demo, client):
    county_depot = Depot.objects.get(kind=Depot.Kind.DEPOT)
    lots = Lot.objects.filter(depot=county_depot)
    assert lots.count() >= 60 and lots.aggregate(n=Sum("quantity"))["n"] >= 3000
    today = timezone.localdate()
    assert lots.filter(expiry_date__lt=today).exists()  # an expired lot
    assert lots.filter(expiry_date__gte=today, expiry_date__lte=today + datetime.timedelta(days=30)).exists()
    assert lots.filter(under_maintenance=True).exists()
    assert Depot.objects.filter(kind=Depot.Kind.POINT).count() >= 3
    assert Transfer.objects.filter(state=Transfer.State.DISPATCHED).count() == 1
    assert "物资" in demo and "协议储备" in demo
    from supplies.models import AgreementReserve, MaintenanceRecord

    assert AgreementReserve.objects.filter(valid_until__lte=today + datetime.timedelta(days=30)).count() == 1
    assert AgreementReserve.objects.count() == 3
    assert MaintenanceRecord.objects.filter(next_due__lt=today).exists()
    officer = User.objects.get(username="village_officer")
    village = Membership.objects.active().filter(user=officer, unit__level=2).first().unit
    point = Depot.objects.get(unit=village)
    client.force_login(officer)
    page = client.get(reverse("supplies:depot_detail", args=[point.pk])).content.decode()
    assert "救生衣" in page and "出库" in page
