"""Celery tasks of the drill register: take ids, call a service."""

from celery import shared_task

from core.tasks import RecordedTask
from drills import services


@shared_task(base=RecordedTask, name="drills.tasks.flag_drills_due")
def flag_drills_due() -> int:
    """Daily: send each overdue finding and each drill due soon to its owner, once."""
    return services.flag_due()
