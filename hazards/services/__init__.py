"""Every change to a hazard. Each runs in a transaction, locks the hazard row, checks the state and
the person's right through the scope module, writes the new state and the timeline entry
together, and refuses with a Chinese message (``TransitionRefused`` / ``PermissionDenied``)."""

from hazards.models import HazardEvent
from hazards.services.grading import FACTORS, allocate_number, apply_grading, owner_for, propose_unit, risk_grade
from hazards.services.loop import (
    TransitionRefused,
    hazard_accept,
    hazard_confirm,
    hazard_copy_feedback,
    hazard_escalate,
    hazard_fail_acceptance,
    hazard_plan,
    hazard_reject,
    hazard_report,
    hazard_submit_evidence,
    hazard_supervise,
)
from hazards.services.overdue import mark_overdue, notify_overdue
from hazards.services.photos import photo_ready, process_all_pending, process_hazard_photos

Action = HazardEvent.Action

__all__ = [
    "Action",
    "FACTORS",
    "TransitionRefused",
    "allocate_number",
    "apply_grading",
    "hazard_accept",
    "hazard_confirm",
    "hazard_copy_feedback",
    "hazard_escalate",
    "hazard_fail_acceptance",
    "hazard_plan",
    "hazard_reject",
    "hazard_report",
    "hazard_submit_evidence",
    "hazard_supervise",
    "mark_overdue",
    "notify_overdue",
    "owner_for",
    "photo_ready",
    "process_all_pending",
    "process_hazard_photos",
    "propose_unit",
    "risk_grade",
]
