"""A patrol: check-ins with the GPS tolerance, offline copies arriving once, a hazard reported from
a point, finishing; the pages and the API keep to the officer."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from hazards.models import Hazard
from patrols import services
from patrols.models import CheckIn, Patrol
from patrols.tests import factories

pytestmark = pytest.mark.django_db


def test_a_check_in_at_the_point_is_within_tolerance_and_one_far_away_is_recorded_not_refused(world, settings):
    settings.PATROL_CHECKIN_TOLERANCE_M = 100
    first, second = factories.points(world)[:2]
    patrol = factories.patrol(world)
    near = services.patrol_check_in(
        patrol=patrol, point=first, by=world.village_officer_a, lng=first.lng + 0.0005, lat=first.lat
    )[0]
    assert near.within_tolerance is True and 40 <= near.distance_m <= 60
    far = factories.check_in(patrol, second, at_point=False)
    assert far.within_tolerance is False and 900 < far.distance_m < 1100


def test_the_tolerance_is_a_setting(world, settings):
    point = factories.points(world)[0]
    settings.PATROL_CHECKIN_TOLERANCE_M = 10
    checkin = services.patrol_check_in(
        patrol=factories.patrol(world), point=point, by=world.village_officer_a, lng=point.lng + 0.0005, lat=point.lat
    )[0]
    assert checkin.within_tolerance is False


def test_a_check_in_without_location_is_kept_with_no_distance(world):
    point = factories.points(world)[0]
    checkin = services.patrol_check_in(
        patrol=factories.patrol(world), point=point, by=world.village_officer_a, lng=None, lat=None
    )[0]
    assert checkin.distance_m is None and checkin.within_tolerance is None


def test_an_offline_check_in_sent_twice_arrives_once(world, client_for):
    point = factories.points(world)[0]
    patrol = factories.patrol(world)
    client = client_for(world.village_officer_a)
    key = str(uuid.uuid4())
    phone_time = (timezone.now() - datetime.timedelta(minutes=40)).isoformat()
    body = {
        "point": point.pk,
        "outcome": "normal",
        "lng": point.lng,
        "lat": point.lat,
        "client_time": phone_time,
        "client_key": key,
    }
    url = reverse("patrols:check_in", args=[patrol.pk])
    first = client.post(url, body)
    second = client.post(url, body)
    assert first.status_code == second.status_code == 302
    checkin = CheckIn.objects.get(patrol=patrol)
    assert CheckIn.objects.filter(patrol=patrol).count() == 1
    assert checkin.client_time < checkin.server_time - datetime.timedelta(minutes=39)
    messages = [str(m) for m in second.wsgi_request._messages]
    assert any("已" in m for m in messages) or messages  # answered as the first one


def test_the_same_key_through_the_api_answers_the_first_check_in(world, client_for):
    point = factories.points(world)[0]
    patrol = factories.patrol(world)
    client = client_for(world.village_officer_a)
    body = {"point": point.pk, "lng": point.lng, "lat": point.lat, "client_key": str(uuid.uuid4())}
    url = reverse("patrols-check-in", args=[patrol.pk])
    first = client.post(url, body, content_type="application/json")
    second = client.post(url, body, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]


def test_a_phone_clock_far_ahead_is_refused(world):
    point = factories.points(world)[0]
    with pytest.raises(Exception, match="时间|clock"):
        services.patrol_check_in(
            patrol=factories.patrol(world), point=point, by=world.village_officer_a, lng=point.lng, lat=point.lat,
            client_time=timezone.now() + datetime.timedelta(hours=2),
        )  # fmt: skip


def test_starting_twice_with_one_key_makes_one_patrol(world):
    key = uuid.uuid4()
    assert factories.patrol(world, key=key).pk == factories.patrol(world, key=key).pk
    assert Patrol.objects.count() == 1


def test_only_the_officer_on_the_patrol_records_it(world, client_for):
    point = factories.points(world)[0]
    patrol = factories.patrol(world)
    url = reverse("patrols:check_in", args=[patrol.pk])
    assert client_for(world.township_officer).post(url, {"point": point.pk, "outcome": "normal"}).status_code == 403
    assert client_for(world.village_officer_b).post(url, {"point": point.pk, "outcome": "normal"}).status_code == 404


def test_report_a_hazard_from_a_point_opens_the_prefilled_form_and_links_the_hazard(world, client_for):
    point = factories.points(world)[2]
    patrol = factories.patrol(world)
    client = client_for(world.village_officer_a)
    answer = client.post(
        reverse("patrols:check_in", args=[patrol.pk]),
        {"point": point.pk, "outcome": "hazard", "lng": point.lng, "lat": point.lat, "client_key": str(uuid.uuid4())},
    )
    checkin = CheckIn.objects.get(patrol=patrol)
    assert answer.status_code == 302 and answer.url.startswith(reverse("hazards:report"))
    form = client.get(answer.url)
    assert form.status_code == 200
    html = form.content.decode()
    assert str(checkin.hazard_key) in html and point.name in html and 'name="return"' in html
    from hazards.models import HazardCategory

    category = HazardCategory.objects.filter(family="natural", is_active=True).first()
    sent = client.post(
        reverse("hazards:report"),
        {
            "unit": world.village_a.pk, "category": category.pk, "title": point.name, "description": "坡体开裂",
            "lng": point.lng, "lat": point.lat, "address": point.name, "source": "patrol",
            "client_key": str(checkin.hazard_key), "return": reverse("patrols:patrol_detail", args=[patrol.pk]),
        },
    )  # fmt: skip
    assert sent.status_code == 302 and sent.url == reverse("patrols:patrol_detail", args=[patrol.pk])
    hazard = Hazard.objects.get(client_key=checkin.hazard_key)
    page = client.get(sent.url).content.decode()
    assert hazard.number in page


def test_the_return_address_must_be_of_this_site(world, client_for):
    page = client_for(world.village_officer_a).get(reverse("hazards:report") + "?return=https://evil.example/&title=x")
    assert 'name="return"' not in page.content.decode()


def test_finishing_closes_the_patrol_and_a_second_finish_changes_nothing(world):
    patrol = factories.patrol(world)
    done = services.patrol_finish(patrol=patrol, by=world.village_officer_a, note="正常")
    again = services.patrol_finish(patrol=patrol, by=world.village_officer_a, note="再次")
    assert done.state == again.state == Patrol.State.FINISHED and again.note == "正常"


def test_points_come_from_open_natural_hazards_with_a_location(world):
    from hazards.tests.factories import report as report_hazard

    hazard = report_hazard(world, by=world.village_officer_a, unit=world.village_a, title="后山裂缝", code="flood")
    Hazard.objects.filter(pk=hazard.pk).update(lng=106.45, lat=24.25, family="natural")
    assert services.points_sync(unit=world.village_a, by=world.village_officer_a) == 1
    assert services.points_sync(unit=world.village_a, by=world.village_officer_a) == 0
    assert world.village_a.patrol_points.get().hazard_id == hazard.pk
