"""A real Celery worker, started as its own process against the configured broker (Redis in CI),
executes a task queued by the application and its effect lands in the test database."""

import pytest
from django.core.files.base import ContentFile

from grids.models import GridUnit, ImportJob
from grids.tasks import run_import_job
from grids.tests.factories import build_world

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_worker_runs_an_import_queued_by_the_application(celery_worker, celery_wait_for):
    worker = celery_worker()
    world = build_world()
    content = "代码,名称,类型,上级代码\n451027100203,新寨村,村,451027100000\n".encode("utf-8-sig")
    job = ImportJob.objects.create(dataset="units", original_name="units.csv", created_by=world.county_dispatcher)
    job.file.save("units.csv", ContentFile(content))

    run_import_job.apply_async(args=[job.pk], queue=worker)

    assert celery_wait_for(lambda: ImportJob.objects.get(pk=job.pk).finished), "the worker did not finish the import"
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.summary == {"created": 1, "updated": 0, "unchanged": 0}
    assert GridUnit.objects.get(code="451027100203").parent == world.township
    # a rerun of the same message does nothing: the job was claimed once
    run_import_job.apply_async(args=[job.pk], queue=worker)
    assert celery_wait_for(lambda: celery_worker.succeeded("grids.tasks.run_import_job") == 2)
    assert GridUnit.objects.filter(code="451027100203").count() == 1
