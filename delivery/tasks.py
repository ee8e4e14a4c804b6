"""The delivery's one job: e-mail the recipients of new documents (queued through the outbox by
``delivery.services.send_documents``)."""

from __future__ import annotations

from celery import shared_task

from core.tasks import RecordedTask
from delivery import services, texts


@shared_task(base=RecordedTask, name="delivery.tasks.email_deliveries")
def email_deliveries(document_ids: list[int]) -> int:
    return services.email_deliveries(document_ids=document_ids)


@shared_task(base=RecordedTask, name="delivery.tasks.send_text_message")
def send_text_message(message_id: int) -> str:
    """Send one queued text message or voice call; a second run sends nothing."""
    return texts.text_message_send(message_id=message_id)


@shared_task(base=RecordedTask, name="delivery.tasks.resend_text_messages")
def resend_text_messages() -> int:
    """Every minute: queue again the messages the gateway did not take (it was down)."""
    return texts.text_messages_due()
