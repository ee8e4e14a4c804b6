"""Text messages (and voice calls) to phones: queued with the change that wants them, sent by a job
through ``core.sms``, retried while the gateway is down, and marked delivered or failed by the
gateway's signed delivery report. A gateway that is down delays a message and never loses it: the
row stays queued (``next_attempt_at`` pushed back) until it is taken or ``SMS_MAX_ATTEMPTS`` runs out.

Any app may call ``text_messages_queue``; the jobs (``delivery.tasks``) call the others.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from core import sms
from core.services import enqueue_many
from delivery.models import TextMessage

SEND_TASK = "delivery.tasks.send_text_message"
LEASE = datetime.timedelta(minutes=5)  # a send that crashed is tried again after this
REPORT_STATES = {"delivered": TextMessage.State.DELIVERED, "failed": TextMessage.State.FAILED}


def text_messages_queue(messages: Iterable[TextMessage]) -> list[TextMessage]:
    """Insert ``messages`` whose key is new (a key already queued is left alone, so a job that
    runs twice queues once) and queue their sending after the commit. Two queries and one outbox
    row per message. Returns the new rows."""
    wanted = {m.key: m for m in messages if m.phone}
    if not wanted:
        return []
    taken = set(TextMessage.objects.filter(key__in=list(wanted)).values_list("key", flat=True))
    rows = TextMessage.objects.bulk_create([m for key, m in wanted.items() if key not in taken])
    enqueue_many(SEND_TASK, [[row.pk] for row in rows])
    return rows


def _backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=min(2**attempts, 60))


def text_message_send(*, message_id: int, now: datetime.datetime | None = None) -> str:
    """Send one queued message, once: it is claimed with a conditional update (a lease of
    ``LEASE``), handed to the backend, then marked sent; a refusal or an unreachable gateway keeps
    it queued for a later try (doubling waits up to an hour), and after ``SMS_MAX_ATTEMPTS`` marks
    it failed. Returns the state it is left in ("" when another run holds it or it is done)."""
    now = now or timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = (
        TextMessage.objects.filter(due, pk=message_id, state=TextMessage.State.QUEUED).update(
            next_attempt_at=now + LEASE
        )
        == 1
    )
    if not claimed:
        return ""
    message = TextMessage.objects.get(pk=message_id)
    backend = sms.get_backend()
    try:
        send = backend.call if message.kind == TextMessage.Kind.CALL else backend.send
        gateway_id = send(to=message.phone, text=message.text, reference=message.key)
    except sms.SmsError as exc:
        attempts = message.attempts + 1
        failed = attempts >= settings.SMS_MAX_ATTEMPTS
        TextMessage.objects.filter(pk=message.pk, state=TextMessage.State.QUEUED).update(
            attempts=F("attempts") + 1,
            error=str(exc)[:300],
            next_attempt_at=None if failed else now + _backoff(attempts),
            **({"state": TextMessage.State.FAILED, "failed_at": now} if failed else {}),
        )
        return TextMessage.State.FAILED if failed else TextMessage.State.QUEUED
    TextMessage.objects.filter(pk=message.pk, state=TextMessage.State.QUEUED).update(
        state=TextMessage.State.SENT,
        attempts=F("attempts") + 1,
        gateway_id=str(gateway_id)[:100],
        error="",
        sent_at=now,
        next_attempt_at=None,
    )
    return TextMessage.State.SENT


def text_messages_due(*, now: datetime.datetime | None = None) -> int:
    """Queue again the sending of every message still queued whose next try is due (the gateway
    was down, or the job's message was lost). Two queries; returns how many."""
    now = now or timezone.now()
    grace = now - datetime.timedelta(seconds=settings.OUTBOX_GRACE_SECONDS)
    ids = list(
        TextMessage.objects.filter(state=TextMessage.State.QUEUED)
        .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, queued_at__lte=grace))
        .values_list("pk", flat=True)[:1000]
    )
    enqueue_many(SEND_TASK, [[pk] for pk in ids])
    return len(ids)


def text_message_report(*, reference: str, status: str, error: str = "", now: datetime.datetime | None = None) -> bool:
    """The gateway's delivery report for the message ``reference`` (its key): ``delivered`` or
    ``failed``. Only a message sent (or still queued: a report may overtake the answer) changes,
    and only once; a report for a message already delivered or failed changes nothing. Called by
    the signed callback only. Returns whether it changed a row."""
    state = REPORT_STATES.get(status)
    if state is None:
        return False
    now = now or timezone.now()
    stamp = {"delivered_at": now} if state == TextMessage.State.DELIVERED else {"failed_at": now, "error": error[:300]}
    return (
        TextMessage.objects.filter(key=reference, state__in=[TextMessage.State.QUEUED, TextMessage.State.SENT]).update(
            state=state, next_attempt_at=None, **stamp
        )
        == 1
    )
