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
