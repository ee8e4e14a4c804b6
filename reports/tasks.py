"""Celery jobs of the tier reports. Each calls a service; failures are recorded for administrators."""

from __future__ import annotations

from celery import shared_task

from core.tasks import RecordedTask
from reports import services


@shared_task(
    base=RecordedTask, name="reports.tasks.monthly_reports", autoretry_for=(Exception,), retry_backoff=60, max_retries=3
)
def monthly_reports() -> dict:
    """First of the month: open and compile last month's reports of every reporting unit."""
    return services.monthly_job()


@shared_task(base=RecordedTask, name="reports.tasks.auto_submit_reports")
def auto_submit_reports() -> int:
    """Daily: submit, marked automatic, every draft past its deadline."""
    return services.monthly_reports_auto_submit()


@shared_task(
    base=RecordedTask,
    name="reports.tasks.open_consultations",
    autoretry_for=(Exception,),
    retry_backoff=60,
    max_retries=3,
)
def open_consultations() -> int:
    """First of the month: open the consultations whose period starts now, with their briefings."""
    return services.consultations_open()


@shared_task(base=RecordedTask, name="reports.tasks.mark_overdue_countermeasures")
def mark_overdue_countermeasures() -> int:
    return services.countermeasures_mark_overdue()
