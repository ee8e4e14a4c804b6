"""A real Celery worker, started as its own process against the configured broker (Redis in CI),
executes a task queued by the application and its effect lands in the test database."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from emergency.celery import app as celery_app
from grids.models import GridUnit, ImportJob
from grids.tasks import run_import_job
from grids.tests.factories import build_world

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ROOT = Path(settings.BASE_DIR)


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path, settings):
    """A worker process on a queue of its own, sharing this test's database and media folder."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    settings.MEDIA_ROOT = str(tmp_path)
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(tmp_path),
        "CELERY_QUEUE": queue,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "emergency", "worker", "--pool=solo", "--loglevel=INFO",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-Q", queue],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        celery_app.conf.task_always_eager = eager
        process.send_signal(signal.SIGTERM)  # the main process only; it shuts its pool down
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output)


def wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_worker_runs_an_import_queued_by_the_application(worker):
    world = build_world()
    content = "代码,名称,类型,上级代码\n451027100203,新寨村,村,451027100000\n".encode("utf-8-sig")
    job = ImportJob.objects.create(dataset="units", original_name="units.csv", created_by=world.county_dispatcher)
    job.file.save("units.csv", ContentFile(content))

    run_import_job.apply_async(args=[job.pk], queue=worker)

    assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).finished), "the worker did not finish the import"
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.summary == {"created": 1, "updated": 0, "unchanged": 0}
    assert GridUnit.objects.get(code="451027100203").parent == world.township
    # a rerun of the same message does nothing: the job was claimed once
    run_import_job.apply_async(args=[job.pk], queue=worker)
    time.sleep(1)
    assert GridUnit.objects.filter(code="451027100203").count() == 1
