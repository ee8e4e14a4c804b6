"""What a drill exposed about equipment and stock shows on the depot of the unit that must fix it."""

import datetime

from django.urls import reverse
from django.utils import timezone

from drills import services as drill_services
from drills.models import Finding
from drills.tests.factories import drill, held
from supplies.tests import factories


def test_an_open_equipment_finding_shows_on_the_units_depot_until_closed(world, client_for):
    depot = factories.depot(world.township)
    exercise = drill(world)
    held(world, exercise)
    finding = drill_services.finding_add(
        drill=exercise,
        by=world.township_officer,
        kind=Finding.Kind.EQUIPMENT,
        description="冲锋舟发动机无法启动",
        owner_unit=world.township,
        deadline=timezone.localdate() + datetime.timedelta(days=15),
    )
    url = reverse("supplies:depot_detail", args=[depot.pk])
    page = client_for(world.township_officer).get(url).content.decode()
    assert 'id="drill-findings"' in page and "冲锋舟发动机无法启动" in page
    other = factories.depot(world.other_township)
    assert (
        "冲锋舟发动机无法启动"
        not in client_for(world.county_dispatcher)
        .get(reverse("supplies:depot_detail", args=[other.pk]))
        .content.decode()
    )
    drill_services.finding_close(finding=finding, by=world.township_officer, note="已更换火花塞，试机正常")
    assert "冲锋舟发动机无法启动" not in client_for(world.township_officer).get(url).content.decode()
