"""The outbox: a change whose follow-up work cannot reach the broker still succeeds, and the
work happens once the broker is back. The broker outage is real: Celery is pointed at a closed
port of this machine (connection refused), not at a mock."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from core import services
from core.models import OutboxMessage
from dispatch.models import Warning
from dispatch.tests.test_warnings import draft
from grids.models import GridUnit, ImportJob, User
from grids.tests.test_import import GOOD_UNITS, UNIT_HEADER, xlsx

CLOSED_PORT = "redis://127.0.0.1:1/0"


class Broker:
    """The project's Celery app, not eager, with its broker down (``down()``) or back (``up()``:
    the broker as configured, and eager again so that the work runs in the test)."""

    def __init__(self):
        from emergency.celery import app

        self.app = app
        self.saved = (app.conf.broker_url, app.conf.task_always_eager)

    def down(self):
        self.app.conf.broker_url = CLOSED_PORT
        self.app.conf.task_always_eager = False

    def up(self):
        self.app.conf.broker_url, self.app.conf.task_always_eager = self.saved


@pytest.fixture
def broker():
    broker = Broker()
    broker.down()
    yield broker
    broker.up()


def after_grace(settings, row: OutboxMessage) -> datetime.datetime:
    return row.created_at + datetime.timedelta(seconds=settings.OUTBOX_GRACE_SECONDS + 1)


# Committed for real, so that the request's commit runs its on-commit work inside the request.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_warning_issued_while_the_broker_is_down_is_issued_and_its_emails_follow_when_it_is_back(
    world, client_for, broker, settings, mailoutbox, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=world.village_officer_a.pk).update(email="a@example.cn")
    warning = draft(world)
    client = client_for(world.county_dispatcher)
    response = client.post(reverse("dispatch:warning_issue", args=[warning.pk]))
    assert response.status_code == 302  # not 500: the warning is issued, its e-mails wait
    warning.refresh_from_db()
    assert warning.state == Warning.State.ACTIVE
    row = OutboxMessage.objects.get(task_name="delivery.tasks.email_deliveries")
    assert row.args == [[warning.document_id]]
    assert (row.sent_at, row.attempts) == (None, 1)
    assert "127.0.0.1:1" in row.last_error
    assert mailoutbox == []

    broker.up()
    assert services.sweep(now=row.created_at + datetime.timedelta(seconds=5))["published"] == 0  # grace period
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.sweep(now=after_grace(settings, row))
    assert outcome["published"] == 1
    row.refresh_from_db()
    assert row.sent_at is not None and row.last_error == ""
    assert ["a@example.cn"] in [message.to for message in mailoutbox]
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep(now=after_grace(settings, row))["published"] == 0
        services.publish([row])  # the job reaches a worker twice: the e-mails go once
    assert len(mailoutbox) == sent


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_upload_while_the_broker_is_down_is_imported_when_it_is_back(
    world, client_for, broker, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    client = client_for(world.county_dispatcher)
    upload = SimpleUploadedFile("units.xlsx", xlsx(UNIT_HEADER, GOOD_UNITS))
    response = client.post(reverse("grids:import_upload"), {"dataset": "units", "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("grids:import_job", args=[job.pk])
    assert job.status == ImportJob.Status.PENDING
    row = OutboxMessage.objects.get(task_name="grids.tasks.run_import_job")
    assert (row.args, row.sent_at, row.attempts) == ([job.pk], None, 1)

    broker.up()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep(now=after_grace(settings, row))["published"] == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.summary["created"] == 4
    assert GridUnit.objects.filter(code=GOOD_UNITS[0][0]).count() == 1


def test_enqueue_with_the_broker_down_never_raises_and_keeps_the_row(db, broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = services.enqueue("grids.tasks.purge_old_import_files", 90)
    row.refresh_from_db()
    assert (row.sent_at, row.attempts, row.args) == (None, 1, [90])
    assert "Connection refused" in row.last_error or "111" in row.last_error


def test_a_rolled_back_change_leaves_no_work_behind(db, broker):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.enqueue("grids.tasks.purge_old_import_files", 90)
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()


def test_an_email_batch_refused_by_the_mail_server_is_sent_by_the_sweep_once(
    db, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        row = services.enqueue_email([("主题", "正文", "noreply@example.cn", ["a@example.cn", "b@example.cn"])])
    row.refresh_from_db()
    assert (row.kind, row.sent_at, row.attempts) == (OutboxMessage.Kind.EMAIL, None, 1)
    assert row.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.sweep(now=after_grace(settings, row))["emails"] == 1
    assert [(m.subject, m.to) for m in mailoutbox] == [("主题", ["a@example.cn", "b@example.cn"])]
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2
    assert services.send_email(outbox_id=row.pk) == 0  # the queued message arrives late: nothing more
    assert services.sweep(now=after_grace(settings, row))["emails"] == 0
    assert len(mailoutbox) == 1


def test_sweep_leaves_rows_tried_too_often_and_forgets_old_sent_ones(
    db, settings, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        stuck = services.enqueue("grids.tasks.purge_old_import_files", 90)
    OutboxMessage.objects.filter(pk=stuck.pk).update(attempts=settings.OUTBOX_MAX_ATTEMPTS)
    broker.up()
    with django_capture_on_commit_callbacks(execute=True):
        done = services.enqueue("grids.tasks.purge_old_import_files", 90)  # eager: runs and is sent
    done.refresh_from_db()
    assert done.sent_at is not None
    later = done.sent_at + datetime.timedelta(days=settings.OUTBOX_KEEP_DAYS + 1)
    outcome = services.sweep(now=later)
    assert (outcome["published"], outcome["purged"]) == (0, 1)
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [stuck.pk]


def test_the_sweep_is_a_declared_periodic_job():
    from emergency.schedules import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["core.sweep_outbox"]["task"] == "core.tasks.sweep_outbox"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_upload_during_an_outage_is_imported_by_a_real_worker_once_the_broker_is_back(
    world, client_for, settings, celery_worker, celery_wait_for
):
    queue = celery_worker()  # a worker on the configured broker (Redis in CI), its own queue
    broker = Broker()
    default_queue = broker.app.conf.task_default_queue
    broker.down()
    try:
        client = client_for(world.county_dispatcher)
        upload = SimpleUploadedFile("units.xlsx", xlsx(UNIT_HEADER, GOOD_UNITS))
        response = client.post(reverse("grids:import_upload"), {"dataset": "units", "file": upload})
    finally:
        broker.up()
    assert response.status_code == 302
    job = ImportJob.objects.get()
    row = OutboxMessage.objects.get(task_name="grids.tasks.run_import_job")
    assert (job.status, row.sent_at) == (ImportJob.Status.PENDING, None)

    broker.app.conf.task_default_queue = queue
    try:
        assert services.sweep(now=after_grace(settings, row))["published"] == 1
    finally:
        broker.app.conf.task_default_queue = default_queue
    assert celery_wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE)
    assert GridUnit.objects.filter(code=GOOD_UNITS[0][0]).count() == 1
