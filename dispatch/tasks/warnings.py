"""Celery tasks of the warnings: each calls a service of ``dispatch.services``.

Schedule (declared in emergency/schedules.py): ``remind_unacknowledged_warnings`` every minute."""

from __future__ import annotations

from celery import shared_task

from core.tasks import RecordedTask

__all__ = ["escalate_warnings", "remind_unacknowledged_warnings"]


@shared_task(base=RecordedTask, name="dispatch.tasks.remind_unacknowledged_warnings")
def remind_unacknowledged_warnings() -> dict[str, int]:
    """Every minute: remind units that have not acknowledged a warning in force, and tell their
    parents after the longer time (AcknowledgementRule per tier). Idempotent: each delivery is
    reminded and escalated once."""
    from dispatch.services.warning_reminders import warning_reminders

    return warning_reminders().as_dict()


@shared_task(base=RecordedTask, name="dispatch.tasks.escalate_warnings")
def escalate_warnings() -> dict[str, int]:
    """Every minute: 叫应. Unanswered red and orange warnings and missing 平安 reports climb the
    EscalationRule ladder (texts to the officers, to the leader, the call list). Idempotent: each
    step is taken once per delivery (or village and day)."""
    from dispatch.services.escalation import escalate

    return escalate().as_dict()
