"""叫应: an orange (or red) warning a village has not acknowledged climbs the EscalationRule ladder
on a frozen clock — a text to its officers, then to its leader, then a voice call and a row on the
township's call list — only for the units that have not answered, once per step."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from core import sms
from delivery.models import Delivery, TextMessage
from dispatch.models import Escalation, EscalationRule
from dispatch.selectors.callouts import township_coverage
from dispatch.selectors.warnings import board_deliveries
from dispatch.services import warning_receipts
from dispatch.services.escalation import escalate
from dispatch.tests.test_warnings import issued
from grids.models import Role
from grids.tests.factories import grant, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def warnings_only():
    """The 平安 ladder (due while a warning is in force) is tested in test_safe_reports."""
    EscalationRule.objects.filter(subject=EscalationRule.Subject.SAFE_REPORT).delete()


@pytest.fixture
def orange(world):
    """An orange warning to the township (30 / 60 / 90 minutes), village A's leader on record."""
    world.village_leader_a = make_person("village_leader_a", real_name="陇支书")
    grant(world.village_leader_a, world.village_a, Role.GRID_LEADER)
    return issued(world, level=2, areas=[world.township])


def at(warning, minutes: int) -> datetime.datetime:
    return warning.document.sent_at + datetime.timedelta(minutes=minutes)


def texts_to(world, person) -> list[TextMessage]:
    return list(TextMessage.objects.filter(person=person).order_by("pk"))


def test_the_ladder_follows_the_rule_minutes(world, orange):
    assert escalate(now=at(orange, 29)).as_dict()["texts"] == 0
    first = escalate(now=at(orange, 30))
    assert first.steps[1] == 3  # the township and its villages A and B, none acknowledged
    (officer_text,) = texts_to(world, world.village_officer_a)
    assert officer_text.kind == TextMessage.Kind.SMS and officer_text.phone == world.village_officer_a.mobile
    assert orange.title in officer_text.text
    assert texts_to(world, world.village_leader_a) == []
    escalate(now=at(orange, 60))
    (leader_text,) = texts_to(world, world.village_leader_a)
    assert "陇雅村" in leader_text.text
    assert not Escalation.objects.filter(step=Escalation.Step.CALL).exists()
    escalate(now=at(orange, 90))
    calls = Escalation.objects.filter(step=Escalation.Step.CALL, unit=world.village_a)
    assert calls.count() == 1
    voice = texts_to(world, world.village_officer_a)[-1]
    assert voice.kind == TextMessage.Kind.CALL


def test_a_red_warning_climbs_faster(world):
    red = issued(world, level=1, areas=[world.township])
    assert escalate(now=at(red, 10)).steps[1] >= 1


def test_yellow_and_blue_warnings_are_not_escalated(world):
    yellow = issued(world, level=3, areas=[world.township])
    assert escalate(now=at(yellow, 600)).as_dict() == {"officer": 0, "leader": 0, "call": 0, "texts": 0}


def test_only_those_who_have_not_answered_are_texted_again(world, orange):
    escalate(now=at(orange, 30))
    warning_receipts.warning_acknowledge(warning=orange, unit=world.village_a, by=world.village_officer_a)
    escalate(now=at(orange, 90))
    assert texts_to(world, world.village_leader_a) == []  # village A answered: no leader text, no call
    assert not Escalation.objects.filter(unit=world.village_a, step__gt=1).exists()
    assert Escalation.objects.filter(unit=world.village_b, step=Escalation.Step.CALL).exists()


def test_a_rerun_sends_nothing_twice(world, orange, django_capture_on_commit_callbacks):
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        escalate(now=at(orange, 30))
    sent = len(sms.outbox)
    assert sent >= 1
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate(now=at(orange, 31)).as_dict()["texts"] == 0
    assert len(sms.outbox) == sent
    assert (
        Escalation.objects.filter(step=1).count()
        == Escalation.objects.filter(step=1).values("delivery").distinct().count()
    )


def test_the_job_costs_a_fixed_number_of_queries(world, orange, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        escalate(now=at(orange, 90))


def test_the_township_rings_the_call_list_and_records_the_answer(world, orange, client):
    escalate(now=at(orange, 90))
    client.force_login(world.township_officer)
    page = client.get(reverse("dispatch:call_list")).content.decode()
    assert "陇雅村" in page and world.village_officer_a.mobile in page and world.village_leader_a.mobile in page
    call = Escalation.objects.get(step=Escalation.Step.CALL, unit=world.village_a)
    response = client.post(reverse("dispatch:call_record", args=[call.pk]), {"answer": "answered", "note": "已转移"})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.answer == "answered" and call.note == "已转移" and call.called_by == world.township_officer


def test_a_village_sees_its_own_call_but_may_not_record_it(world, orange, client):
    escalate(now=at(orange, 90))
    call = Escalation.objects.get(step=Escalation.Step.CALL, unit=world.village_a)
    client.force_login(world.village_officer_a)
    assert client.post(reverse("dispatch:call_record", args=[call.pk]), {"answer": "answered"}).status_code == 403
    client.force_login(world.village_officer_b)
    assert client.post(reverse("dispatch:call_record", args=[call.pk]), {"answer": "answered"}).status_code == 404


def test_the_board_shows_reach_and_coverage_per_township(world, orange, client):
    escalate(now=at(orange, 30))
    TextMessage.objects.filter(unit=world.village_b).update(state=TextMessage.State.DELIVERED)
    warning_receipts.warning_acknowledge(warning=orange, unit=world.village_a, by=world.village_officer_a)
    (row,) = township_coverage(orange, board_deliveries(world.county_dispatcher, orange))
    assert (row.sent, row.delivered, row.read, row.acknowledged) == (2, 2, 1, 1)
    assert row.coverage == 50.0 and not row.meets_target
    warning_receipts.warning_acknowledge(warning=orange, unit=world.village_b, by=world.village_officer_b)
    (row,) = township_coverage(orange, board_deliveries(world.county_dispatcher, orange))
    assert row.coverage == 100.0 and row.meets_target
    client.force_login(world.county_dispatcher)
    page = client.get(reverse("dispatch:warning_board", args=[orange.pk])).content.decode()
    assert "wn-coverage" in page and "100.0%" in page
    assert Delivery.objects.filter(document=orange.document, recipient_unit=world.village_b).get().state == "receipted"
