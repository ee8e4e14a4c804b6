"""The resources jobs (declared in emergency/schedules.py): escalate unanswered roll calls."""

from __future__ import annotations

from celery import shared_task

from core.tasks import RecordedTask
from resources.services import rollcalls


@shared_task(name="resources.tasks.escalate_roll_calls", base=RecordedTask)
def escalate_roll_calls() -> int:
    """Every minute: roll-call entries unanswered for ROLL_CALL_ESCALATE_MINUTES go to the unit's
    leader; each entry once (claimed under a row lock with a conditional update)."""
    return rollcalls.escalate_due()
