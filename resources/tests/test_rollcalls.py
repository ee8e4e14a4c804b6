"""Roll calls down the contact network: who is called, the notices in the inboxes, each person's
acknowledgement (once), the escalation of the unanswered to the unit leader after
ROLL_CALL_ESCALATE_MINUTES (frozen clock, idempotent), the unreached per township; reachability."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from delivery.models import Delivery
from grids.models import Role
from grids.tests.factories import grant, make_person
from resources.models import RollCallEntry
from resources.selectors.network import reachability, roll_call_answers
from resources.services import rollcalls
from resources.tasks import escalate_roll_calls


@pytest.fixture
def leaders(world):
    village_leader = make_person("village_leader_a", real_name="陆村长")
    grant(village_leader, world.village_a, Role.GRID_LEADER)
    return village_leader


def test_a_township_roll_call_goes_down_to_its_villages(world, leaders):
    roll_call = rollcalls.roll_call_start(by=world.township_leader, unit=world.township, message="点名测试")
    called = set(roll_call.entries.values_list("person__username", "unit__name"))
    assert ("village_officer_a", "陇雅村") in called
    assert ("village_officer_b", "平兰村") in called
    assert ("village_leader_a", "陇雅村") in called
    assert ("township_officer", "泗城镇") in called  # 网格员 must be reachable at tier 2
    assert not any(unit == "逻楼村" for _u, unit in called)  # the other township is not called
    assert "township_leader" not in {u for u, _n in called}  # the caller is not called
    inboxes = set(Delivery.objects.filter(document=roll_call.document).values_list("recipient_unit__name", flat=True))
    assert {"陇雅村", "平兰村", "泗城镇"} <= inboxes
    assert set(roll_call.entries.values_list("township__name", flat=True)) == {"泗城镇"}


def test_a_village_officer_may_not_start_a_roll_call(world):
    with pytest.raises(PermissionDenied):
        rollcalls.roll_call_start(by=world.village_officer_a, unit=world.village_a)


def test_acknowledging_answers_once_and_receipts_the_notice(world, leaders):
    roll_call = rollcalls.roll_call_start(by=world.township_leader, unit=world.township)
    assert rollcalls.roll_call_acknowledge(roll_call=roll_call, by=world.village_officer_a) == 1
    entry = RollCallEntry.objects.get(roll_call=roll_call, person=world.village_officer_a)
    first = entry.acknowledged_at
    assert first is not None
    assert rollcalls.roll_call_acknowledge(roll_call=roll_call, by=world.village_officer_a) == 0
    entry.refresh_from_db()
    assert entry.acknowledged_at == first
    delivery = Delivery.objects.get(document=roll_call.document, recipient_unit=world.village_a)
    assert delivery.state == Delivery.State.RECEIPTED


def test_someone_not_called_cannot_answer(world):
    roll_call = rollcalls.roll_call_start(by=world.township_leader, unit=world.township)
    with pytest.raises(PermissionDenied):
        rollcalls.roll_call_acknowledge(roll_call=roll_call, by=world.county_dispatcher)


@override_settings(ROLL_CALL_ESCALATE_MINUTES=30)
def test_the_unanswered_are_escalated_to_the_unit_leader_once(world, leaders):
    started = timezone.now()
    roll_call = rollcalls.roll_call_start(by=world.township_leader, unit=world.township)
    rollcalls.roll_call_acknowledge(roll_call=roll_call, by=leaders)
    assert rollcalls.escalate_due(now=started + datetime.timedelta(minutes=29)) == 0
    later = started + datetime.timedelta(minutes=31)
    escalated = rollcalls.escalate_due(now=later)
    assert escalated == roll_call.entries.filter(acknowledged_at__isnull=True).count()
    officer = RollCallEntry.objects.get(roll_call=roll_call, person=world.village_officer_a)
    assert officer.escalated_at == later and officer.escalated_to == leaders  # 陇雅村's leader
    # 平兰村 has no leader: its officer goes to the township's leader
    other = RollCallEntry.objects.get(roll_call=roll_call, person=world.village_officer_b)
    assert other.escalated_to == world.township_leader
    assert Delivery.objects.filter(document__title__contains="陆信息", recipient_unit=world.village_a).exists()
    assert rollcalls.escalate_due(now=later + datetime.timedelta(minutes=5)) == 0  # idempotent
    assert escalate_roll_calls() == 0  # the periodic job: nothing more to do


def test_an_answer_before_the_deadline_is_not_escalated(world, leaders):
    started = timezone.now()
    roll_call = rollcalls.roll_call_start(by=world.township_leader, unit=world.township)
    rollcalls.roll_call_acknowledge(roll_call=roll_call, by=world.village_officer_a)
    rollcalls.escalate_due(now=started + datetime.timedelta(hours=2))
    entry = RollCallEntry.objects.get(roll_call=roll_call, person=world.village_officer_a)
    assert entry.escalated_at is None


def test_the_unreached_are_listed_per_township(world, leaders, client_for):
    roll_call = rollcalls.roll_call_start(by=world.county_dispatcher, unit=world.county)
    rollcalls.roll_call_acknowledge(roll_call=roll_call, by=world.village_officer_a)
    rows = {row.township.name if row.township else "": row for row in roll_call_answers(roll_call)}
    sicheng = rows["泗城镇"]
    assert world.village_officer_b.pk in {e.person_id for e in sicheng.unreached}
    assert world.village_officer_a.pk not in {e.person_id for e in sicheng.unreached}
    assert sicheng.answered == 1
    body = (
        client_for(world.county_dispatcher)
        .get(reverse("resources:roll_call_detail", args=[roll_call.pk]))
        .content.decode()
    )
    assert "农信息" in body and "泗城镇" in body


def test_the_person_answers_on_their_phone(world, leaders, client_for):
    roll_call = rollcalls.roll_call_start(by=world.township_leader, unit=world.township)
    client = client_for(world.village_officer_b)
    url = reverse("resources:roll_call_answer", args=[roll_call.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert RollCallEntry.objects.get(roll_call=roll_call, person=world.village_officer_b).acknowledged_at


def test_the_api_answers_a_roll_call(world, leaders, client_for):
    roll_call = rollcalls.roll_call_start(by=world.township_leader, unit=world.township)
    client = client_for(world.village_officer_a)
    response = client.post(f"/api/v1/roll-calls/{roll_call.pk}/acknowledge/")
    assert response.status_code == 200 and response.json() == {"answered": 1}
    outsider = client_for(world.village_officer_b)  # called too, but the village C officer is not
    assert outsider.post(f"/api/v1/roll-calls/{roll_call.pk}/acknowledge/").status_code == 200


def test_reachability_lists_each_required_role_and_whether_it_is_filled(world, leaders):
    rows = {row.unit.pk: row for row in reachability(world.county_dispatcher)}
    village_b = {r.role: r for r in rows[world.village_b.pk].roles}
    assert not village_b[Role.GRID_LEADER].filled
    assert village_b[Role.INFORMATION_OFFICER].filled
    village_a = {r.role: r for r in rows[world.village_a.pk].roles}
    assert village_a[Role.GRID_LEADER].holders == [leaders]
    only_missing = reachability(world.county_dispatcher, missing_only=True)
    assert world.village_b.pk in {row.unit.pk for row in only_missing}
