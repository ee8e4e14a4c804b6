"""Celery tasks of the hazard register: take ids, call a service."""

from celery import shared_task
from django.db import transaction

from hazards import services


@shared_task(name="hazards.tasks.mark_overdue_hazards")
def mark_overdue_hazards() -> int:
    """Daily: mark rectifying hazards past their deadline and tell each owning tier once."""
    with transaction.atomic():  # the marks and their e-mails (outbox rows) commit together
        marked = services.mark_overdue()
        services.notify_overdue(hazard_ids=marked)
    return len(marked)
