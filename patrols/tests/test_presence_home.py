"""A presence check waiting for the officer is on their home page and in their inbox (patrols'
page section, registered into core.registry), answered there in one tap; not an answered one, not
another officer's; the pages' queries do not grow with the requests."""

import pytest
from django.urls import reverse

from patrols import services
from patrols.models import PresenceRequest
from patrols.tests import factories

pytestmark = pytest.mark.django_db

PAGES = ("grids:home", "delivery:inbox")


def ask(world, *officers, warning=None):
    check = services.presence_check_start(
        warning=warning or factories.warning(world), unit=world.township, by=world.township_leader,
        officers=list(officers),
    )  # fmt: skip
    return list(check.requests.order_by("pk"))


def answer_url(req):
    return reverse("patrols:presence_answer", args=[req.pk])


@pytest.mark.parametrize("page", PAGES)
def test_a_waiting_request_is_on_the_officers_page_with_its_one_tap_answer(world, client_for, page):
    req = ask(world, world.village_officer_a)[0]
    html = client_for(world.village_officer_a).get(reverse(page)).content.decode()
    assert 'id="presence-waiting"' in html and "待应答的到岗抽查" in html
    assert answer_url(req) in html and "我已到岗：签到" in html
    assert req.check_run.warning.title in html


@pytest.mark.parametrize("page", PAGES)
def test_an_answered_request_or_another_officers_is_not_shown(world, client_for, page):
    mine, theirs = ask(world, world.village_officer_a, world.village_officer_b)
    services.presence_answer(request=mine, by=world.village_officer_a, lng=106.45, lat=24.25)
    html = client_for(world.village_officer_a).get(reverse(page)).content.decode()
    assert 'id="presence-waiting"' not in html and answer_url(theirs) not in html
    other = client_for(world.village_officer_b).get(reverse(page)).content.decode()
    assert answer_url(theirs) in other and answer_url(mine) not in other


def test_nobody_else_sees_the_section(world, client_for):
    ask(world, world.village_officer_a)
    for person in (world.township_leader, world.county_dispatcher):
        for page in PAGES:
            assert 'id="presence-waiting"' not in client_for(person).get(reverse(page)).content.decode()


def test_answering_from_the_home_page_records_it_and_comes_back_home(world, client_for):
    req = ask(world, world.village_officer_a)[0]
    client = client_for(world.village_officer_a)
    home = reverse("grids:home")
    body = {"lng": 106.45, "lat": 24.25, "next": home, "client_key": "8f0e1b2a-7c1d-4c1e-9a51-0a1b2c3d4e5f"}
    answer = client.post(answer_url(req), body)
    assert answer.status_code == 302 and answer["Location"] == home
    req.refresh_from_db()
    assert req.answered_at is not None and (req.lng, req.lat) == (106.45, 24.25)
    assert 'id="presence-waiting"' not in client.get(home).content.decode()
    again = client.post(answer_url(req), body)  # the phone's queue sends it again: nothing changes
    assert again["Location"] == home
    assert PresenceRequest.objects.get(pk=req.pk).answered_at == req.answered_at


def test_an_answer_goes_back_only_to_this_site(world, client_for):
    req = ask(world, world.village_officer_a)[0]
    answer = client_for(world.village_officer_a).post(
        answer_url(req), {"lng": 106.45, "lat": 24.25, "next": "https://evil.example/"}
    )
    assert answer["Location"] == reverse("patrols:presence_request", args=[req.pk])


def test_the_request_of_another_officer_cannot_be_answered_from_the_home_page(world, client_for):
    theirs = ask(world, world.village_officer_b)[0]
    answer = client_for(world.village_officer_a).post(
        answer_url(theirs), {"lng": 106.45, "lat": 24.25, "next": reverse("grids:home")}
    )
    assert answer.status_code in (403, 404)
    theirs.refresh_from_db()
    assert theirs.answered_at is None


@pytest.mark.parametrize("page", PAGES)
def test_the_pages_queries_do_not_grow_with_the_requests(world, client_for, django_assert_max_num_queries, page):
    client = client_for(world.village_officer_a)
    warning = factories.warning(world)
    ask(world, world.village_officer_a, warning=warning)
    client.get(reverse(page))
    with django_assert_max_num_queries(60) as one:
        client.get(reverse(page))
    for _ in range(3):
        ask(world, world.village_officer_a, warning=warning)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(reverse(page)).content.decode()
    assert html.count('data-presence="') == 4
