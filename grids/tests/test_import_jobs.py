"""Imports whose worker died: requeued after a while, finished by the next worker, given up after
too many attempts. The services are called with an explicit ``now``, without Celery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from grids import importing, services
from grids.models import GridUnit, ImportJob
from grids.tasks import requeue_stale_imports, run_import_job
from grids.tests.concurrency import run_together
from grids.tests.factories import build_world

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NEW_VILLAGE = "451027100203"


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """Ids the outbox hands to the broker for ``run_import_job`` (kept here instead)."""
    ids: list[int] = []
    monkeypatch.setattr(run_import_job, "apply_async", lambda args=(), kwargs=None, **options: ids.append(*args))
    return ids


def make_job(world, settings, tmp_path) -> ImportJob:
    settings.MEDIA_ROOT = str(tmp_path)
    content = f"代码,名称,类型,上级代码\n{NEW_VILLAGE},新寨村,村,451027100000\n".encode("utf-8-sig")
    job = ImportJob.objects.create(dataset="units", original_name="units.csv", created_by=world.county_dispatcher)
    job.file.save("units.csv", ContentFile(content))
    return job


@pytest.fixture
def job(world, settings, tmp_path) -> ImportJob:
    return make_job(world, settings, tmp_path)


def test_stale_running_import_is_requeued_once_and_finished_by_the_next_worker(
    job, queued, django_capture_on_commit_callbacks
):
    assert services.import_job_claim(job_id=job.pk, now=T0) == 1  # ... and the worker dies

    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.import_jobs_requeue_stale(now=T0 + timedelta(minutes=31))
    assert outcome == {"requeued": [job.pk], "failed": []}
    assert queued == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.started_at, job.attempts) == (ImportJob.Status.PENDING, None, 1)

    with django_capture_on_commit_callbacks(execute=True):
        again = services.import_jobs_requeue_stale(now=T0 + timedelta(minutes=45))
    assert again == {"requeued": [], "failed": []}
    assert queued == [job.pk]  # queued once

    assert services.import_job_run(job_id=job.pk, now=T0 + timedelta(minutes=46)) == ImportJob.Status.DONE
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportJob.Status.DONE, 2)
    assert job.started_at == T0 + timedelta(minutes=46)
    assert GridUnit.objects.filter(code=NEW_VILLAGE).count() == 1


def test_fresh_running_import_is_left_alone(job, queued, django_capture_on_commit_callbacks):
    services.import_job_claim(job_id=job.pk, now=T0)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.import_jobs_requeue_stale(now=T0 + timedelta(minutes=29))
    assert outcome == {"requeued": [], "failed": []}
    assert queued == []
    job.refresh_from_db()
    assert (job.status, job.started_at, job.attempts) == (ImportJob.Status.RUNNING, T0, 1)


def test_import_interrupted_too_often_is_marked_failed(job, queued, django_capture_on_commit_callbacks):
    now = T0
    for attempt in (1, 2, 3):
        assert services.import_job_claim(job_id=job.pk, now=now) == attempt  # the worker dies each time
        now += timedelta(minutes=31)
        with django_capture_on_commit_callbacks(execute=True):
            outcome = services.import_jobs_requeue_stale(now=now)
        expected = {"requeued": [job.pk], "failed": []} if attempt < 3 else {"requeued": [], "failed": [job.pk]}
        assert outcome == expected
    assert queued == [job.pk, job.pk]
    job.refresh_from_db()
    assert (job.status, job.attempts, job.finished_at) == (ImportJob.Status.FAILED, 3, now)
    assert job.errors and job.errors[0]["row"] == 0 and job.errors[0]["message"]
    assert services.import_job_run(job_id=job.pk) == "already claimed"
    assert not GridUnit.objects.filter(code=NEW_VILLAGE).exists()


def test_stale_limits_come_from_settings(job, queued, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_STALE_MINUTES = 5
    settings.IMPORT_MAX_ATTEMPTS = 1
    services.import_job_claim(job_id=job.pk, now=T0)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.import_jobs_requeue_stale(now=T0 + timedelta(minutes=6))
    assert outcome == {"requeued": [], "failed": [job.pk]}


def test_running_job_from_before_started_at_existed_is_requeued(job, queued, django_capture_on_commit_callbacks):
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, attempts=0)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.import_jobs_requeue_stale(now=T0)
    assert outcome["requeued"] == [job.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite allows one writer at a time; CI runs PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_whose_job_was_requeued_meanwhile_does_not_save_its_import(settings, tmp_path, queued, monkeypatch):
    job = make_job(build_world(), settings, tmp_path)
    real_run_import = importing.run_import

    def slow_run_import(**kwargs):
        result = real_run_import(**kwargs)
        # Meanwhile (another connection) the job is declared stale and claimed by another worker.
        later = T0 + timedelta(hours=2)
        [(status, claim)] = run_together(
            lambda: (services.import_jobs_requeue_stale(now=later), services.import_job_claim(job_id=job.pk, now=later))
        )
        assert status == "ok", claim
        return result

    monkeypatch.setattr(importing, "run_import", slow_run_import)
    assert services.import_job_run(job_id=job.pk, now=T0) == "claim lost"
    assert not GridUnit.objects.filter(code=NEW_VILLAGE).exists()  # rolled back: the other worker imports it
    job.refresh_from_db()
    assert (job.status, job.attempts, job.started_at) == (ImportJob.Status.RUNNING, 2, T0 + timedelta(hours=2))


def test_requeue_takes_a_fixed_number_of_queries(
    world, settings, tmp_path, queued, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    jobs = [make_job(world, settings, tmp_path) for _ in range(6)]
    for index, job in enumerate(jobs):
        services.import_job_claim(job_id=job.pk, now=T0)
        if index % 2:
            ImportJob.objects.filter(pk=job.pk).update(attempts=3)
    # 5, and 2 for the outbox: its rows in one insert, marked published in one update
    with django_assert_max_num_queries(7), django_capture_on_commit_callbacks(execute=True):
        outcome = services.import_jobs_requeue_stale(now=T0 + timedelta(hours=1))
    assert sorted(outcome["requeued"]) == [job.pk for job in jobs[::2]]
    assert sorted(outcome["failed"]) == [job.pk for job in jobs[1::2]]


def test_periodic_task_requeues_a_stale_import(job, queued, django_capture_on_commit_callbacks):
    services.import_job_claim(job_id=job.pk, now=datetime.now(UTC) - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        outcome = requeue_stale_imports()  # the task's function, called directly
    assert outcome == {"requeued": [job.pk], "failed": []}
    assert queued == [job.pk]


def test_import_left_pending_is_queued_again_after_a_few_minutes_and_runs_once(
    job, queued, settings, django_capture_on_commit_callbacks
):
    """Its message never reached a worker (the broker was down, or lost its queue in a restart)."""
    uploaded = job.created_at
    with django_capture_on_commit_callbacks(execute=True):
        assert services.import_jobs_requeue_pending(now=uploaded + timedelta(minutes=4)) == []
    assert queued == []
    wait = timedelta(minutes=settings.IMPORT_PENDING_MINUTES, seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.import_jobs_requeue_pending(now=uploaded + wait) == [job.pk]
    assert queued == [job.pk]
    # The lost message turns up after all: two runs, one import.
    assert services.import_job_run(job_id=job.pk) == ImportJob.Status.DONE
    assert services.import_job_run(job_id=job.pk) == "already claimed"
    assert GridUnit.objects.filter(code=NEW_VILLAGE).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.import_jobs_requeue_pending(now=uploaded + wait) == []  # done: left alone


def test_periodic_task_queues_an_import_left_pending(job, queued, clock, settings, django_capture_on_commit_callbacks):
    clock.shift(timedelta(minutes=settings.IMPORT_PENDING_MINUTES + 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_imports() == {"requeued": [], "failed": []}
    assert queued == [job.pk]
