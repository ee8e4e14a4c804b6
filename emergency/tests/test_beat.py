"""Periodic schedules are declared in code once and then belong to the administrators."""

import pytest
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from emergency.beat import EditableScheduler
from emergency.celery import app
from emergency.schedules import BEAT_SCHEDULE


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the scheduler closes old connections
def test_declared_schedules_are_installed_once_and_admin_changes_survive_a_restart():
    EditableScheduler(app=app, lazy=True).update_from_dict(BEAT_SCHEDULE)
    assert set(BEAT_SCHEDULE) <= set(PeriodicTask.objects.values_list("name", flat=True))
    monthly = PeriodicTask.objects.get(name="reports.monthly_reports")
    monthly.crontab = CrontabSchedule.objects.create(minute="5", hour="2", day_of_month="2", timezone="Asia/Shanghai")
    monthly.save()
    EditableScheduler(app=app, lazy=True).update_from_dict(BEAT_SCHEDULE)  # beat starts again
    monthly.refresh_from_db()
    assert (monthly.crontab.hour, monthly.crontab.day_of_month) == ("2", "2")


def test_every_declared_task_exists():
    app.loader.import_default_modules()
    for entry in BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


def locked_for(monkeypatch, times: int) -> list[str]:
    """The next ``times`` installs fail as SQLite fails when the worker and the seed write at once."""
    from django.db import OperationalError
    from django_celery_beat.schedulers import ModelEntry

    tried: list[str] = []
    install = ModelEntry.from_entry.__func__

    def from_entry(cls, name, app=None, **entry):
        tried.append(name)
        if len(tried) <= times:
            raise OperationalError("database is locked")
        return install(cls, name, app=app, **entry)

    monkeypatch.setattr(ModelEntry, "from_entry", classmethod(from_entry))
    return tried


@pytest.mark.django_db
def test_a_locked_database_delays_the_install_but_loses_no_job(monkeypatch):
    from emergency.beat import install_schedules

    tried = locked_for(monkeypatch, times=2)
    installed = install_schedules(BEAT_SCHEDULE, app=app, backoff=0)
    first = next(iter(BEAT_SCHEDULE))
    assert tried[:3] == [first, first, first]
    assert {task.name for task in installed} == set(BEAT_SCHEDULE)
    assert install_schedules(BEAT_SCHEDULE, app=app, backoff=0) == []  # once


@pytest.mark.django_db
def test_beat_starts_without_a_job_it_could_not_install_and_the_check_reports_it(monkeypatch):
    from django.core.checks import run_checks

    from emergency import beat

    monkeypatch.setattr(beat, "BACKOFF_SECONDS", 0)
    PeriodicTask.objects.all().delete()
    locked_for(monkeypatch, times=10_000)
    EditableScheduler(app=app, lazy=True).update_from_dict(BEAT_SCHEDULE)  # logs, does not crash beat
    assert not PeriodicTask.objects.exists()
    warnings = run_checks(tags=["celery"])
    assert {w.obj for w in warnings} == set(BEAT_SCHEDULE)
    assert {w.id for w in warnings} == {"core.W001"}

    monkeypatch.undo()
    beat.install_schedules(BEAT_SCHEDULE, app=app)
    assert run_checks(tags=["celery"]) == []


@pytest.mark.django_db
def test_setup_site_installs_the_declared_schedules_before_the_worker_starts():
    from io import StringIO

    from django.core.management import call_command

    PeriodicTask.objects.all().delete()
    call_command("setup_site", "--no-demo", stdout=StringIO())
    assert set(BEAT_SCHEDULE) <= set(PeriodicTask.objects.values_list("name", flat=True))
