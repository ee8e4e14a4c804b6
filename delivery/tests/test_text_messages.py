"""Text messages: queued with the change, sent once by the job, kept queued (not lost) while the
gateway is down and sent when it is back, failed after the last attempt; the gateway's delivery
report is accepted only when signed with the shared secret."""

from __future__ import annotations

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from core import sms
from delivery import texts
from delivery.models import TextMessage

pytestmark = pytest.mark.django_db
SECRET = "county-secret"


class DownBackend(sms.BaseBackend):
    def send(self, *, to, text, reference):
        raise sms.SmsError("ConnectionRefusedError: gateway down")


def message(world, key="d1:1:1", **fields) -> TextMessage:
    return TextMessage(
        key=key, unit=world.village_a, person=world.village_officer_a, phone=world.village_officer_a.mobile,
        text="请签收暴雨橙色预警", **fields,
    )  # fmt: skip


@pytest.fixture(autouse=True)
def empty_outbox():
    sms.outbox.clear()


def test_a_queued_message_is_sent_once_after_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = texts.text_messages_queue([message(world)])
        assert texts.text_messages_queue([message(world)]) == []  # the same key again: nothing new
    row.refresh_from_db()
    assert row.state == TextMessage.State.SENT and row.gateway_id == "locmem-d1:1:1" and row.attempts == 1
    assert [m.to for m in sms.outbox] == [world.village_officer_a.mobile]
    assert texts.text_message_send(message_id=row.pk) == ""  # a second run sends nothing
    assert len(sms.outbox) == 1


def test_a_gateway_that_is_down_delays_the_message_and_never_loses_it(world, settings):
    row = message(world)
    row.save()
    settings.SMS_BACKEND = f"{__name__}.DownBackend"
    now = timezone.now()
    assert texts.text_message_send(message_id=row.pk, now=now) == TextMessage.State.QUEUED
    row.refresh_from_db()
    assert (
        row.attempts == 1 and "gateway down" in row.error and row.next_attempt_at == now + datetime.timedelta(minutes=2)
    )
    assert texts.text_message_send(message_id=row.pk, now=now + datetime.timedelta(minutes=1)) == ""  # not due yet
    settings.SMS_BACKEND = "locmem"
    later = now + datetime.timedelta(minutes=3)
    assert texts.text_message_send(message_id=row.pk, now=later) == TextMessage.State.SENT
    assert len(sms.outbox) == 1


def test_the_resend_job_queues_again_what_is_due(world, django_capture_on_commit_callbacks):
    row = message(world, next_attempt_at=timezone.now() - datetime.timedelta(minutes=1))
    row.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert texts.text_messages_due() == 1
    row.refresh_from_db()
    assert row.state == TextMessage.State.SENT


def test_after_the_last_attempt_the_message_is_failed(world, settings):
    settings.SMS_BACKEND, settings.SMS_MAX_ATTEMPTS = f"{__name__}.DownBackend", 2
    row = message(world)
    row.save()
    now = timezone.now()
    texts.text_message_send(message_id=row.pk, now=now)
    assert texts.text_message_send(message_id=row.pk, now=now + datetime.timedelta(hours=1)) == TextMessage.State.FAILED
    row.refresh_from_db()
    assert row.state == TextMessage.State.FAILED and row.failed_at


def report(client, params, *, secret=SECRET, signature=None):
    params = {"timestamp": str(int(time.time())), **params}
    signature = signature if signature is not None else sms.sign(params, secret)
    return client.post(reverse("delivery:sms_report"), params, headers={"X-Signature": signature})


@pytest.fixture
def sent(world, settings):
    settings.SMS_GATEWAY = {**settings.SMS_GATEWAY, "secret": SECRET}
    row = message(world, state=TextMessage.State.SENT)
    row.save()
    return row


def test_a_signed_delivery_report_marks_the_message_delivered_once(client, sent):
    response = report(client, {"reference": sent.key, "status": "delivered"})
    assert response.status_code == 200 and response.json()["changed"] is True
    sent.refresh_from_db()
    assert sent.state == TextMessage.State.DELIVERED and sent.delivered_at
    again = report(client, {"reference": sent.key, "status": "failed"})
    assert again.json()["changed"] is False
    sent.refresh_from_db()
    assert sent.state == TextMessage.State.DELIVERED


@pytest.mark.parametrize(
    "how",
    ["unsigned", "wrong secret", "tampered", "stale"],
)
def test_a_badly_signed_report_is_refused_and_changes_nothing(client, sent, how):
    params = {"reference": sent.key, "status": "delivered", "timestamp": str(int(time.time()))}
    if how == "unsigned":
        response = report(client, params, signature="")
    elif how == "wrong secret":
        response = report(client, params, secret="guess")
    elif how == "tampered":
        response = report(client, {**params, "status": "failed"}, signature=sms.sign(params, SECRET))
    else:
        old = {**params, "timestamp": str(int(time.time()) - 3600)}
        response = report(client, old)
    assert response.status_code == 403
    sent.refresh_from_db()
    assert sent.state == TextMessage.State.SENT


def test_the_callback_takes_only_post(client, sent):
    assert client.get(reverse("delivery:sms_report")).status_code == 405
