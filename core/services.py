"""The transactional outbox: queue Celery jobs and e-mails as rows of the current transaction.

``enqueue("delivery.tasks.email_deliveries", ids)`` writes an ``OutboxMessage`` in the caller's
transaction and hands it to the broker once that transaction commits. When the broker (Redis)
is down at that moment the error is logged and recorded on the row, never raised: the request
that made the change succeeds, and ``sweep()`` (every minute, ``core.tasks.sweep_outbox``)
publishes the row again once the broker is back. A row can therefore reach the broker more
than once (a sweep racing a slow commit, a worker killed before acknowledging): every task
queued here must tolerate running twice — they claim their work with a conditional update.

E-mails (``enqueue_email``) are one row per batch, sent by the worker
(``core.tasks.send_outbox_email``) or by the sweep; a batch is marked sent when the mail server
took it, and retried by the sweep when it refused.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from functools import partial

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu.exceptions import KombuError

from core.models import OutboxMessage

log = logging.getLogger(__name__)

EMAIL_TASK = "core.tasks.send_outbox_email"
GRACE_SECONDS = 60  # settings.OUTBOX_GRACE_SECONDS overrides
MAX_ATTEMPTS = 20  # settings.OUTBOX_MAX_ATTEMPTS overrides
KEEP_DAYS = 30  # settings.OUTBOX_KEEP_DAYS overrides: sent rows are deleted after this
SWEEP_BATCH = 500

try:  # the Redis client raises its own errors from the result backend
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is in requirements.txt
    RedisError = OSError

BROKER_ERRORS: tuple[type[BaseException], ...] = (KombuError, OSError, RedisError)


def enqueue(task_name: str, *args, **kwargs) -> OutboxMessage:
    """Queue the Celery task ``task_name`` (its registered name) with JSON-serialisable
    arguments, as a row of the current transaction; it is published when that commits (at once
    outside a transaction). Never raises for an unreachable broker. Any code may call it."""
    row = OutboxMessage.objects.create(
        kind=OutboxMessage.Kind.TASK, task_name=task_name, args=list(args), kwargs=kwargs
    )
    transaction.on_commit(partial(publish, [row]))
    return row


def enqueue_many(task_name: str, arguments: Iterable[Sequence]) -> list[OutboxMessage]:
    """``enqueue(task_name, *args)`` for each ``args`` of ``arguments``, in one query."""
    rows = OutboxMessage.objects.bulk_create(
        [OutboxMessage(kind=OutboxMessage.Kind.TASK, task_name=task_name, args=list(args)) for args in arguments]
    )
    if rows:
        transaction.on_commit(partial(publish, rows))
    return rows


def enqueue_email(messages: Iterable[tuple[str, str, str, Sequence[str]]]) -> OutboxMessage | None:
    """Queue a batch of e-mails, each ``(subject, body, from_email, recipients)`` as for
    ``send_mass_mail``, as a row of the current transaction; the worker sends them after the
    commit. Returns None when there is nothing to send."""
    batch = [[subject, body, sender, list(recipients)] for subject, body, sender, recipients in messages]
    if not batch:
        return None
    row = OutboxMessage.objects.create(kind=OutboxMessage.Kind.EMAIL, task_name=EMAIL_TASK, args=batch)
    transaction.on_commit(partial(publish, [row]))
    return row


def _task(name: str):
    try:
        return current_app.tasks[name]
    except KeyError:  # tasks modules are imported by the worker; elsewhere, import it by its name
        return import_string(name)


_local = threading.local()


def _broker_connection(app):
    """This thread's connection to the broker, kept between requests (a new connection and its
    declarations cost a request more than the publishing). No retries: an unreachable broker fails
    within milliseconds instead of holding the request. A changed ``broker_url`` gets a new one."""
    url = app.conf.broker_url
    cached = getattr(_local, "connection", None)
    if cached is not None and cached[0] == url:
        return cached[1]
    _drop_broker_connection()
    connection = app.connection_for_write(transport_options={"max_retries": 0})
    _local.connection = (url, connection)
    return connection


def _drop_broker_connection() -> None:
    cached = getattr(_local, "connection", None)
    _local.connection = None
    if cached is not None:
        with contextlib.suppress(*BROKER_ERRORS):
            cached[1].release()


def publish(rows: Sequence[OutboxMessage]) -> list[int]:
    """Hand rows to the broker; returns the ids it accepted. A job row is marked sent when the
    broker took it; an e-mail row when its e-mails are sent. Broker errors are logged and kept
    on the rows (``attempts``, ``last_error``) for the sweep, never raised. Eager mode (tests,
    ``CELERY_TASK_ALWAYS_EAGER``) runs the tasks here."""
    if not rows:
        return []
    app = current_app
    eager = app.conf.task_always_eager
    connection = None if eager else _broker_connection(app)
    accepted: list[int] = []
    error = ""
    try:
        for row in rows:
            if error:
                break  # the broker refused one: the rest wait for the sweep
            name, args, kwargs = (
                (row.task_name, row.args, row.kwargs)
                if row.kind == OutboxMessage.Kind.TASK
                else (EMAIL_TASK, [row.pk], {})
            )
            try:
                _task(name).apply_async(args, kwargs, connection=connection, retry=False, ignore_result=True)
            except BROKER_ERRORS as exc:
                error = f"{type(exc).__name__}: {exc}"
                log.warning("outbox: broker unavailable, %d message(s) left for the sweep: %s", len(rows), error)
            else:
                accepted.append(row.pk)
    finally:
        if connection is not None and error:
            _drop_broker_connection()  # the next publish connects afresh
    now = timezone.now()
    jobs = [row.pk for row in rows if row.pk in set(accepted) and row.kind == OutboxMessage.Kind.TASK]
    if jobs:
        OutboxMessage.objects.filter(pk__in=jobs, sent_at__isnull=True).update(
            sent_at=now, attempts=F("attempts") + 1, last_error=""
        )
    refused = [row.pk for row in rows if row.pk not in set(accepted)]
    if refused:
        OutboxMessage.objects.filter(pk__in=refused, sent_at__isnull=True).update(
            attempts=F("attempts") + 1, last_error=error[:2000]
        )
    return accepted


def send_email(*, outbox_id: int) -> int:
    """Send one e-mail batch of the outbox, once: the row is locked and marked sent with the
    e-mails; a run that finds it sent (or locked by another run) sends nothing. A refusal by the
    mail server is recorded on the row and retried by the sweep. Returns the number sent."""
    from django.core.mail import send_mass_mail

    with transaction.atomic():
        row = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=outbox_id, kind=OutboxMessage.Kind.EMAIL, sent_at__isnull=True)
            .first()
        )
        if row is None:
            return 0
        try:
            count = send_mass_mail([tuple(message) for message in row.args], fail_silently=False)
        except Exception as exc:  # any failure of the mail server: keep the batch for the sweep
            log.warning("outbox: e-mail batch %s not sent: %s", row.pk, exc)
            OutboxMessage.objects.filter(pk=row.pk).update(
                attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
            )
            return 0
        OutboxMessage.objects.filter(pk=row.pk).update(
            sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        )
    return count


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Publish again the jobs still unsent ``OUTBOX_GRACE_SECONDS`` after they were written, send
    the e-mail batches still unsent, and delete sent rows older than ``OUTBOX_KEEP_DAYS``. Rows
    tried ``OUTBOX_MAX_ATTEMPTS`` times are left for an administrator (admin: 待发送队列).
    Called by the periodic task ``core.tasks.sweep_outbox``; concurrent sweeps skip each other's
    rows."""
    now = now or timezone.now()
    grace = timedelta(seconds=getattr(settings, "OUTBOX_GRACE_SECONDS", GRACE_SECONDS))
    max_attempts = getattr(settings, "OUTBOX_MAX_ATTEMPTS", MAX_ATTEMPTS)
    keep = timedelta(days=getattr(settings, "OUTBOX_KEEP_DAYS", KEEP_DAYS))
    due = OutboxMessage.objects.filter(sent_at__isnull=True, created_at__lt=now - grace, attempts__lt=max_attempts)
    with transaction.atomic():
        jobs = list(
            due.filter(kind=OutboxMessage.Kind.TASK)
            .select_for_update(skip_locked=True)
            .order_by("created_at")[:SWEEP_BATCH]
        )
        published = publish(jobs)
    emails = list(
        due.filter(kind=OutboxMessage.Kind.EMAIL).order_by("created_at").values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    sent = sum(1 for pk in emails if send_email(outbox_id=pk))
    purged, _detail = OutboxMessage.objects.filter(sent_at__lt=now - keep).delete()
    outcome = {"published": len(published), "refused": len(jobs) - len(published), "emails": sent, "purged": purged}
    if jobs or emails:
        log.warning("outbox sweep: %s", outcome)
    return outcome
