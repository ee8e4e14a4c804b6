"""The monthly job run by a real Celery worker and beat (Redis in CI) for a small grid."""

import datetime

import pytest
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from core.periods import previous_month
from delivery.models import Delivery
from grids.tests.factories import build_world
from hazards.tests.factories import report
from reports import services
from reports.models import MonthlyReport

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def every_two_seconds(name: str, task: str, queue: str) -> PeriodicTask:
    interval, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
    return PeriodicTask.objects.create(name=name, task=task, interval=interval, queue=queue)


def test_beat_runs_the_monthly_job_and_the_auto_submit_with_one_report_per_unit(celery_worker, celery_wait_for, clock):
    # the 17th: after the deadlines of last month's reports (day 5 for villages, day 8 for townships)
    clock.move_to(
        datetime.datetime.combine(
            timezone.localdate().replace(day=17), datetime.time(10), timezone.get_current_timezone()
        )
    )
    world = build_world()
    last_month = previous_month(timezone.localdate())
    found = datetime.datetime.combine(
        last_month + datetime.timedelta(days=2), datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    report(world, found_at=found)
    report(world, found_at=found, title="第二处")
    report(world, by=world.village_officer_b, unit=world.village_b, found_at=found, title="平兰村隐患")
    # a first run died after opening the reports: the worker's runs must finish it, not double it
    services.monthly_reports_open(period=last_month)
    units = MonthlyReport.objects.filter(period=last_month).count()

    queue = celery_worker(beat=True)
    every_two_seconds("test monthly reports", "reports.tasks.monthly_reports", queue)

    assert celery_wait_for(
        lambda: not MonthlyReport.objects.filter(period=last_month, state=MonthlyReport.State.PENDING).exists(),
        timeout=90,
    ), "beat and worker did not compile the reports"
    village_a = MonthlyReport.objects.get(unit=world.village_a, period=last_month)
    assert village_a.figures["totals"]["new"] == 2
    township = MonthlyReport.objects.get(unit=world.township, period=last_month)
    assert township.figures["totals"]["new"] == 3
    assert {c["name"]: c["new"] for c in township.figures["children"]} == {
        world.village_a.name: 2,
        world.village_b.name: 1,
    }

    # drafts past their deadline go up
    every_two_seconds("test auto submit", "reports.tasks.auto_submit_reports", queue)
    assert celery_wait_for(lambda: Delivery.objects.filter(recipient_unit=world.township).count() == 2, timeout=60)
    assert Delivery.objects.filter(recipient_unit=world.county).count() == 3  # two townships and the park

    # beat fires the job every two seconds: let it run three more times, still one report per unit and month
    runs = celery_worker.succeeded("reports.tasks.monthly_reports")
    assert celery_wait_for(lambda: celery_worker.succeeded("reports.tasks.monthly_reports") >= runs + 3, timeout=60)
    assert MonthlyReport.objects.filter(period=last_month).count() == units
    assert MonthlyReport.objects.filter(period=last_month, version=1).count() == units
