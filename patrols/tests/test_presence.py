"""Presence checks (到岗抽查): only during a warning of orange or above; answered, late and
unanswered by the deadline of PRESENCE_CHECK_MINUTES; the missed list on the board and in Excel."""

import datetime
import random
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from patrols import services
from patrols.models import PresenceRequest
from patrols.tests import factories

pytestmark = pytest.mark.django_db


def test_a_blue_warning_allows_no_presence_check(world):
    warning = factories.warning(world, level=4)
    with pytest.raises(ValidationError):
        services.presence_check_start(warning=warning, unit=world.township, by=world.township_leader, count=1)


def test_a_warning_elsewhere_allows_no_presence_check_here(world):
    warning = factories.warning(world, level=2, areas=[world.other_township])
    with pytest.raises(ValidationError):
        services.presence_check_start(warning=warning, unit=world.township, by=world.township_leader, count=1)


def test_a_village_officer_may_not_run_one(world):
    from django.core.exceptions import PermissionDenied

    warning = factories.warning(world)
    with pytest.raises(PermissionDenied):
        services.presence_check_start(warning=warning, unit=world.village_a, by=world.village_officer_a, count=1)


def test_random_picks_only_officers_below(world):
    warning = factories.warning(world)
    check = services.presence_check_start(
        warning=warning, unit=world.township, by=world.township_leader, count=10, rng=random.Random(1)
    )
    picked = set(check.requests.values_list("officer_id", flat=True))
    assert picked == {world.village_officer_a.pk, world.village_officer_b.pk}


def test_each_officer_asked_gets_a_text_message_once(world, django_capture_on_commit_callbacks):
    from delivery.models import TextMessage

    warning = factories.warning(world)
    with django_capture_on_commit_callbacks(execute=False):
        check = services.presence_check_start(
            warning=warning, unit=world.township, by=world.township_leader, officers=[world.village_officer_a]
        )
    request = check.requests.get()
    message = TextMessage.objects.get(key=f"presence:{request.pk}")
    assert (message.person, message.phone) == (world.village_officer_a, world.village_officer_a.mobile)
    assert (
        message.text.startswith("【到岗抽查】") and timezone.localtime(request.due_at).strftime("%H:%M") in message.text
    )


def test_answered_late_and_unanswered_by_the_deadline(world, settings, client_for):
    from grids.models import Role
    from grids.tests.factories import grant, make_person

    settings.PRESENCE_CHECK_MINUTES = 30
    third = make_person("village_leader_a", real_name="陆村长")
    grant(third, world.village_a, Role.GRID_LEADER)
    warning = factories.warning(world)
    check = services.presence_check_start(
        warning=warning, unit=world.township, by=world.township_leader,
        officers=[world.village_officer_a, world.village_officer_b, third],
    )  # fmt: skip
    a, b, t = (check.requests.get(officer=p) for p in (world.village_officer_a, world.village_officer_b, third))
    assert a.due_at == check.at + datetime.timedelta(minutes=30)
    services.presence_answer(request=a, by=world.village_officer_a, lng=106.45, lat=24.25, client_key=uuid.uuid4())
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=45), tick=False):
        services.presence_answer(request=b, by=world.village_officer_b, lng=106.5, lat=24.2)
        now = timezone.now()
        answers = {r.officer_id: r.answer_at(now) for r in PresenceRequest.objects.filter(check_run=check)}
        assert answers == {
            world.village_officer_a.pk: "answered",
            world.village_officer_b.pk: "late",
            third.pk: "unanswered",
        }
        board = client_for(world.township_leader).get(reverse("patrols:presence_board", args=[warning.pk]))
        html = board.content.decode()
        assert board.status_code == 200 and html.count("pt-unanswered") == 1 and "pt-late" in html
        export = client_for(world.township_leader).get(reverse("patrols:presence_export", args=[warning.pk]))
        assert export.status_code == 200
    assert t.answer_at(t.due_at - datetime.timedelta(minutes=1)) == "pending"


def test_an_offline_answer_sent_twice_counts_once_at_the_phone_time(world):
    warning = factories.warning(world)
    check = services.presence_check_start(
        warning=warning, unit=world.township, by=world.township_leader, officers=[world.village_officer_a]
    )
    request = check.requests.get()
    made = timezone.now() + datetime.timedelta(minutes=5)
    key = uuid.uuid4()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2), tick=False):  # the signal came back late
        first, created = services.presence_answer(
            request=request, by=world.village_officer_a, lng=106.45, lat=24.25, client_time=made, client_key=key
        )
        again, second = services.presence_answer(
            request=request, by=world.village_officer_a, lng=106.45, lat=24.25, client_time=made, client_key=key
        )
    assert created and not second and first.pk == again.pk
    request.refresh_from_db()
    assert request.answered_at == made and request.answer_at(timezone.now()) == "answered"


def test_only_the_officer_asked_answers(world, client_for):
    warning = factories.warning(world)
    check = services.presence_check_start(
        warning=warning, unit=world.township, by=world.township_leader, officers=[world.village_officer_a]
    )
    request = check.requests.get()
    url = reverse("patrols:presence_answer", args=[request.pk])
    assert client_for(world.township_leader).post(url, {"lng": 1, "lat": 1}).status_code == 403
    assert client_for(world.village_officer_b).post(url, {"lng": 1, "lat": 1}).status_code == 404


def test_the_warning_page_links_the_board_and_the_waiting_request(world, client_for):
    warning = factories.warning(world)
    check = services.presence_check_start(
        warning=warning, unit=world.township, by=world.township_leader, officers=[world.village_officer_a]
    )
    page = (
        client_for(world.village_officer_a).get(reverse("dispatch:warning_detail", args=[warning.pk])).content.decode()
    )
    assert reverse("patrols:presence_request", args=[check.requests.get().pk]) in page
    page = client_for(world.township_leader).get(reverse("dispatch:warning_detail", args=[warning.pk])).content.decode()
    assert reverse("patrols:presence_board", args=[warning.pk]) in page


def test_the_start_page_sends_requests(world, client_for):
    warning = factories.warning(world)
    client = client_for(world.township_leader)
    url = reverse("patrols:presence_new", args=[warning.pk])
    assert client.get(url).status_code == 200
    answer = client.post(url, {"unit": world.township.pk, "count": 1})
    assert answer.status_code == 302 and PresenceRequest.objects.count() == 1
