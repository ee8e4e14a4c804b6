"""Celery tasks of the grid. Each takes ids, claims its work, and calls a service."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from grids.models import ImportJob

log = logging.getLogger(__name__)


@shared_task(name="grids.tasks.run_import_job", acks_late=True)
def run_import_job(job_id: int) -> str:
    """Check and import one uploaded file. A job is claimed once: a rerun does nothing."""
    from grids.services import import_job_run

    return import_job_run(job_id=job_id)


@shared_task(name="grids.tasks.requeue_stale_imports")
def requeue_stale_imports() -> dict[str, list[int]]:
    """Queue again the imports never started (their message was lost) and those whose worker
    died mid-run; mark failed those tried too often."""
    from grids.services import import_jobs_requeue_pending, import_jobs_requeue_stale

    pending = import_jobs_requeue_pending()  # first: the stale ones it requeues are pending too
    if pending:
        log.warning("pending imports queued again: %s", pending)
    outcome = import_jobs_requeue_stale()
    if outcome["requeued"] or outcome["failed"]:
        log.warning("stale imports: requeued %s, failed %s", outcome["requeued"], outcome["failed"])
    return outcome


@shared_task(name="grids.tasks.purge_old_import_files")
def purge_old_import_files(days: int | None = None) -> int:
    """Delete uploaded files of finished imports older than ``days`` (``IMPORT_FILE_KEEP_DAYS``,
    90 by default); the job records stay."""
    days = settings.IMPORT_FILE_KEEP_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    count = 0
    for job in ImportJob.objects.filter(finished_at__lt=cutoff).exclude(file=""):
        job.file.delete(save=False)
        job.file = ""
        job.save(update_fields=["file"])
        count += 1
    return count
