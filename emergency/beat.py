"""The beat scheduler: django-celery-beat's, installing ``emergency.schedules.BEAT_SCHEDULE``
once. The stock scheduler rewrites every declared entry at each start, which would undo what an
administrator changed in the admin (周期任务); this one only adds the entries that are missing.

Installing retries on ``OperationalError``: on SQLite, beat's first writes race the worker and
the demo seed and get ``database is locked``, and the stock scheduler then logs "Cannot add
entry" and runs without the job. ``setup_site`` installs the schedules before the worker starts,
and ``manage.py check`` warns about any declared job still missing (``core/checks.py``)."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

from django.db import OperationalError, close_old_connections, transaction
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler, ModelEntry

from emergency.job_titles import job_description

log = logging.getLogger(__name__)

ATTEMPTS = 6
BACKOFF_SECONDS = 0.5  # doubled after each failed attempt: 0.5 + 1 + 2 + 4 + 8 s at most


def install_schedules(
    mapping: Mapping[str, dict] | None = None,
    *,
    app=None,
    attempts: int | None = None,
    backoff: float | None = None,
) -> list[PeriodicTask]:
    """Add the declared periodic jobs missing from the database (default: every job of
    ``emergency.schedules``); leave existing ones as an administrator set them. Each entry is
    retried on ``OperationalError`` with a doubling pause, then logged as an error and left for
    the next start (``manage.py check`` reports it). Returns the rows added."""
    if mapping is None:
        from emergency.schedules import BEAT_SCHEDULE as mapping
    if app is None:
        from emergency.celery import app
    attempts = ATTEMPTS if attempts is None else attempts
    backoff = BACKOFF_SECONDS if backoff is None else backoff
    installed: list[PeriodicTask] = []
    for name, fields in mapping.items():
        for attempt in range(1, attempts + 1):
            try:
                with transaction.atomic():
                    description = job_description(name)
                    existing = PeriodicTask.objects.filter(name=name)
                    if existing.exists():
                        # an administrator's own description stays; an empty one gets ours
                        if description:
                            existing.filter(description="").update(description=description)
                        break
                    task = ModelEntry.from_entry(name, app=app, **fields).model
                    if description and not task.description:
                        task.description = description
                        task.save(update_fields=["description"])
                    installed.append(task)
                break
            except OperationalError as exc:
                if attempt == attempts:
                    # Go on with the others; ``manage.py check`` reports this one as missing.
                    log.error("beat: could not install %s after %d attempts: %s", name, attempts, exc)
                    break
                pause = backoff * 2 ** (attempt - 1)
                log.warning("beat: cannot install %s yet (%s); trying again in %.1f s", name, exc, pause)
                if not transaction.get_connection().in_atomic_block:
                    close_old_connections()  # a broken connection is replaced before the next try
                time.sleep(pause)
    return installed


class EditableScheduler(DatabaseScheduler):
    def update_from_dict(self, mapping):
        installed = install_schedules(mapping, app=self.app)
        if installed:
            self.schedule.update({task.name: self.Entry(task, app=self.app) for task in installed if task.enabled})
