"""The delivery's one job: e-mail the recipients of new documents (queued through the outbox by
``delivery.services.send_documents``)."""

from __future__ import annotations

from celery import shared_task

from core.tasks import RecordedTask
from delivery import services


@shared_task(base=RecordedTask, name="delivery.tasks.email_deliveries")
def email_deliveries(document_ids: list[int]) -> int:
    return services.email_deliveries(document_ids=document_ids)
