"""Celery tasks of supplies: take ids, call a service."""

from celery import shared_task

from core.tasks import RecordedTask
from supplies import services


@shared_task(base=RecordedTask, name="supplies.tasks.flag_supplies_due")
def flag_supplies_due() -> int:
    """Daily: maintenance due or overdue, lots expiring soon, agreements lapsing, told once to each owner."""
    return services.flag_due()
