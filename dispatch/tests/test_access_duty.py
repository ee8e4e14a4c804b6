"""A membership that has ended ends every right that came with it, duty roster included: a shift
of a former member gives them nothing (duty log write and edit), and the roster and the "on duty
now" card show them flagged, without a number to call."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from dispatch import access
from dispatch.models import DutyLogEntry
from dispatch.selectors import duty as duty_selectors
from dispatch.services import duty
from grids import services
from grids.models import Membership, Role, User
from grids.tests.factories import grant, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def shift(world):
    """A township shift running now: the township officer on the A post."""
    dispatcher = make_person("township_dispatcher", real_name="班调度")
    grant(dispatcher, world.township, Role.DISPATCHER)
    now = timezone.now()
    return duty.duty_shift_add(
        by=world.township_leader,
        unit=world.township,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=3),
        leader=world.township_leader,
        post_a=world.township_officer,
        post_b=dispatcher,
    )


def end_membership(world, person, unit):
    membership = Membership.objects.get(user=person, unit=unit, is_active=True)
    services.membership_revoke(by=world.township_leader, membership=membership)
    return User.objects.get(pk=person.pk)  # a fresh scope, as on the next request


def write(person, unit, summary="记录"):
    return duty.duty_log_add(by=person, unit=unit, kind=DutyLogEntry.Kind.OTHER, summary=summary)


def test_a_former_member_on_a_running_shift_cannot_write_in_the_log(world, shift):
    former = end_membership(world, world.township_officer, world.township)
    assert not access.may_write_log(former, world.township)
    assert world.township not in access.writable_centres(former)
    with pytest.raises(PermissionDenied):
        write(former, world.township)


def test_a_former_member_can_no_longer_edit_what_they_wrote(world, shift):
    written = write(world.township_officer, world.township, "初记")
    assert access.may_edit_entry(world.township_officer, written)
    former = end_membership(world, world.township_officer, world.township)
    assert not access.may_edit_entry(former, written)
    assert access.editable_entry_ids(former, [written]) == set()
    with pytest.raises(PermissionDenied):
        duty.duty_log_change(by=former, entry=written, summary="离任后改")
    assert DutyLogEntry.objects.get(pk=written.pk).summary == "初记"


def test_a_former_member_gets_nothing_from_the_pages_and_the_api(world, shift, client):
    written = write(world.township_officer, world.township, "初记")
    former = end_membership(world, world.township_officer, world.township)
    client.force_login(former)
    assert client.get(reverse("dispatch:duty_log_add")).status_code == 403
    response = client.post(
        reverse("dispatch:duty_log_add"),
        {
            "unit": world.township.pk,
            "kind": "other",
            "summary": "离任后写",
            "at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        },
    )
    assert response.status_code == 403
    assert client.get(reverse("dispatch:duty_log_edit", args=[written.pk])).status_code == 404
    assert client.post(reverse("dispatch:duty_log_edit", args=[written.pk]), {"summary": "改"}).status_code == 404
    assert client.get(reverse("dispatch:duty_handover", args=[world.township.pk])).status_code == 404
    api = APIClient()
    api.force_login(former)
    created = api.post("/api/v1/duty-log/", {"unit": world.township.pk, "kind": "other", "summary": "离任后写"})
    assert created.status_code in (403, 404)
    assert not DutyLogEntry.objects.filter(summary__in=["离任后写", "改"]).exists()


def test_the_roster_and_the_on_duty_card_flag_a_former_member(world, shift):
    end_membership(world, world.township_officer, world.township)
    now_shift = duty_selectors.on_duty_now([world.township])[world.township.pk]
    assert (now_shift.leader_on_roll, now_shift.post_a_on_roll, now_shift.post_b_on_roll) == (True, False, True)
    viewer = User.objects.get(pk=world.township_leader.pk)
    html = Template("{% load duty_tags %}{% on_duty user %}").render(Context({"user": viewer}))
    assert "黄网格" in html and "已不在本单位任职" in html
    assert f"tel:{world.township_officer.mobile}" not in html
    assert f"tel:{world.township_leader.mobile}" in html


def test_the_api_roster_names_the_posts_off_roll(world, shift):
    end_membership(world, world.township_officer, world.township)
    api = APIClient()
    api.force_login(world.township_leader)
    row = api.get(f"/api/v1/duty-shifts/{shift.pk}/").json()
    assert row["off_roll"] == ["post_a"]


def test_the_calendar_flags_a_former_member(world, shift, client):
    end_membership(world, world.township_officer, world.township)
    client.force_login(world.township_leader)
    content = client.get(reverse("dispatch:duty_calendar"), {"unit": world.township.pk}).content.decode()
    assert "已不在本单位任职" in content


def test_people_still_in_post_keep_writing_and_editing(world, shift):
    written = write(world.township_officer, world.township)
    assert access.may_edit_entry(world.township_officer, written)
    dispatcher = User.objects.get(username="township_dispatcher")
    assert write(dispatcher, world.township).by == dispatcher
