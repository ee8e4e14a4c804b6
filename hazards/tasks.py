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


@shared_task(name="hazards.tasks.process_hazard_photos")
def process_hazard_photos(hazard_id: int) -> int:
    """After a report or evidence is committed: shrink, strip and thumbnail its photos."""
    return services.process_hazard_photos(hazard_id)


@shared_task(name="hazards.tasks.process_pending_photos")
def process_pending_photos() -> int:
    """Behind the worker: any photo still pending (a lost job, a worker that was down)."""
    return services.process_all_pending()
