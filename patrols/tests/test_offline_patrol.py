"""A patrol run from the phone's offline queue: the start, the check-ins and the finish addressed by
the start's client key (/patrols/by-key/<key>/…), with the phone's and the server's times; what
arrives before its start is answered 425 (the queue keeps it), what arrives twice creates nothing."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from patrols.models import CheckIn, Patrol
from patrols.tests import factories

pytestmark = pytest.mark.django_db


def start(client, world, key, minutes_ago=30):
    phone = (timezone.now() - datetime.timedelta(minutes=minutes_ago)).isoformat()
    return client.post(
        reverse("patrols:start"), {"unit": world.village_a.pk, "client_key": str(key), "client_time": phone}
    )


def check_in(client, key, point, **extra):
    body = {"point": point.pk, "outcome": "normal", "lng": point.lng, "lat": point.lat, "client_key": str(uuid.uuid4())}
    body.update(extra)
    return client.post(reverse("patrols:check_in_by_key", args=[key]), body)


def finish(client, key, minutes_ago=5):
    phone = (timezone.now() - datetime.timedelta(minutes=minutes_ago)).isoformat()
    return client.post(reverse("patrols:finish_by_key", args=[key]), {"client_time": phone, "note": "一切正常"})


def test_a_whole_patrol_by_key_records_the_phone_and_server_times(world, client_for):
    first, second, _third = factories.points(world)
    client = client_for(world.village_officer_a)
    key = uuid.uuid4()
    assert start(client, world, key).status_code == 302
    assert check_in(client, key, first, client_time=(timezone.now() - datetime.timedelta(minutes=20)).isoformat())[
        "Location"
    ] == reverse("patrols:patrol_detail", args=[Patrol.objects.get().pk])
    assert check_in(client, key, second).status_code == 302
    assert finish(client, key).status_code == 302
    patrol = Patrol.objects.get()
    assert patrol.client_key == key and patrol.state == Patrol.State.FINISHED
    assert patrol.checkins.count() == 2
    now = timezone.now()
    assert patrol.client_started_at < patrol.started_at - datetime.timedelta(minutes=29)
    assert patrol.client_finished_at < patrol.finished_at - datetime.timedelta(minutes=4)
    assert patrol.finished_at <= now and patrol.note == "一切正常"
    assert patrol.checkins.get(point=first).client_time is not None
    page = client.get(reverse("patrols:patrol_detail", args=[patrol.pk])).content.decode()
    assert 'id="patrol-phone-start"' in page and 'id="patrol-phone-finish"' in page and "手机时间" in page


def test_a_check_in_or_finish_before_its_start_is_too_early_and_kept_for_later(world, client_for):
    point = factories.points(world)[0]
    client = client_for(world.village_officer_a)
    key = uuid.uuid4()
    early = check_in(client, key, point)
    assert early.status_code == 425
    assert "巡查的开始尚未送达" in early.content.decode()
    assert finish(client, key).status_code == 425
    assert not Patrol.objects.exists() and not CheckIn.objects.exists()
    # the start arrives, then the queue sends the same check-in again: now it is taken
    start(client, world, key)
    assert check_in(client, key, point).status_code == 302
    assert CheckIn.objects.filter(patrol__client_key=key).count() == 1


def test_resending_the_start_a_check_in_or_the_finish_creates_nothing_new(world, client_for):
    point = factories.points(world)[0]
    client = client_for(world.village_officer_a)
    key = uuid.uuid4()
    start(client, world, key)
    start(client, world, key)
    checkin_key = str(uuid.uuid4())
    check_in(client, key, point, client_key=checkin_key)
    again = check_in(client, key, point, client_key=checkin_key)
    assert again.status_code == 302
    finish(client, key, minutes_ago=5)
    patrol = Patrol.objects.get()
    finished = (patrol.finished_at, patrol.client_finished_at)
    finish(client, key, minutes_ago=1)
    patrol.refresh_from_db()
    assert Patrol.objects.count() == 1 and CheckIn.objects.count() == 1
    assert (patrol.finished_at, patrol.client_finished_at) == finished


def test_another_officers_key_is_refused(world, client_for):
    point = factories.points(world)[0]
    key = uuid.uuid4()
    start(client_for(world.village_officer_a), world, key)
    for person in (world.village_officer_b, world.township_officer, world.county_dispatcher):
        client = client_for(person)
        assert check_in(client, key, point).status_code == 404
        assert finish(client, key).status_code == 404
    patrol = Patrol.objects.get()
    assert patrol.state == Patrol.State.OPEN and not patrol.checkins.exists()


def test_a_key_another_officer_also_used_still_finds_ones_own_patrol(world, client_for, django_assert_max_num_queries):
    """Keys are one officer's: the same key on someone else's patrol neither hides the person's own
    patrol nor is theirs to write; the patrol is found in one query (a start arriving between two
    queries must not read as someone else's key)."""
    from patrols import access

    key = uuid.uuid4()
    factories.patrol(world, unit=world.village_b, by=world.village_officer_b, key=key)
    mine = factories.patrol(world, key=key)
    with django_assert_max_num_queries(1):
        assert access.get_patrol_by_key(world.village_officer_a, key) == mine
    with pytest.raises(access.PatrolNotYet):
        access.get_patrol_by_key(world.village_officer_a, uuid.uuid4())


def test_a_point_of_another_village_is_refused_by_key(world, client_for):
    other = factories.points(world, unit=world.village_b, by=world.village_officer_b, names=("乙村点",))[0]
    client = client_for(world.village_officer_a)
    key = uuid.uuid4()
    start(client, world, key)
    assert check_in(client, key, other).status_code == 404
    assert not CheckIn.objects.exists()


def test_by_key_needs_a_login_and_a_post(world, client):
    key = uuid.uuid4()
    assert client.post(reverse("patrols:finish_by_key", args=[key])).status_code == 302  # to the login page
    assert client.get(reverse("patrols:check_in_by_key", args=[key])).status_code == 405


def test_the_patrol_page_carries_every_patrolled_village_and_its_points_in_fixed_queries(
    world, client_for, django_assert_max_num_queries
):
    factories.points(world)
    client = client_for(world.village_officer_a)
    client.get(reverse("patrols:home"))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("patrols:home"))
    factories.points(world, names=tuple(f"点{i}" for i in range(10)))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("patrols:home"))
    html = page.content.decode()
    assert 'id="patrol-offline"' in html and "点9" in html
    assert reverse("patrols:check_in_by_key", args=[uuid.UUID(int=0)]) in html
