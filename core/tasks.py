"""Celery tasks of the outbox. Schedule (emergency/schedules.py): ``sweep_outbox`` every minute."""

from __future__ import annotations

from celery import shared_task

from core import services


@shared_task(name="core.tasks.send_outbox_email")
def send_outbox_email(outbox_id: int) -> int:
    """Send one e-mail batch of the outbox; a second run sends nothing."""
    return services.send_email(outbox_id=outbox_id)


@shared_task(name="core.tasks.sweep_outbox")
def sweep_outbox() -> dict[str, int]:
    """Every minute: publish the jobs and send the e-mails left behind while the broker was away."""
    return services.sweep()
