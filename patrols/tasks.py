"""Celery tasks of the patrol register: take ids, call a service."""

from celery import shared_task

from core.tasks import RecordedTask
from patrols import services


@shared_task(base=RecordedTask, name="patrols.tasks.patrol_compliance_notices")
def patrol_compliance_notices() -> int:
    """Daily: tell each township and its villages of the patrols missed yesterday, once."""
    return services.compliance_notify()
