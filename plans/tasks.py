"""Celery tasks of the plans app: take ids (or nothing), call one service."""

from celery import shared_task

from core.tasks import RecordedTask


@shared_task(base=RecordedTask, name="plans.tasks.plan_clock_notices")
def plan_clock_notices() -> dict:
    """Daily: tell each owner once what of its plans falls due within 30 days and what is overdue."""
    from plans.services.clock_notices import plan_clock_notices as run

    return run()
