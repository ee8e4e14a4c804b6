"""Every call from drills into plans' clocks and revision triggers, in one module.

Wired to ``plans.services.clocks`` at merge (``drill_recorded(...)`` and ``trigger_raise(...)``,
written in parallel on the plans side); until then each function only logs at INFO what it would
do. Nothing else in drills talks to the plan clocks."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def drill_held(drill, by) -> None:
    """Tell each plan linked to ``drill`` that a drill was held on its date (the plan's drill
    clock restarts). Called once, when the drill's evaluation is recorded.

    Wired to plans.services.clocks.drill_recorded(plan=…, held_on=…, by=…) at merge."""
    held_on = drill.held_at.date() if drill.held_at else drill.planned_date
    for plan in drill.linked_plans.all():
        logger.info("drill %s held on %s: would record it on plan %s (by %s)", drill.pk, held_on, plan.pk, by.pk)


def plan_problem_found(finding, by) -> None:
    """Raise a revision trigger on the plan a plan-problem finding names.

    Wired to plans.services.clocks.trigger_raise(plan=…, source=finding, reason=…, by=…) at merge."""
    logger.info(
        "finding %s of drill %s: would raise a revision trigger on plan %s (by %s)",
        finding.pk,
        finding.drill_id,
        finding.plan_id,
        by.pk,
    )


def plan_evaluation_blockers(plan_id: int):
    """The open findings marked against a plan: the plans side refuses to mark the plan evaluated
    while any is open (registered as a hook for plans at merge; plans may not import drills)."""
    from drills.models import Finding

    return Finding.objects.filter(plan_id=plan_id, state=Finding.State.OPEN)
