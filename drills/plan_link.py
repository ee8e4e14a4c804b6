"""Every call from drills into plans' clocks and revision triggers, in one module:

- a drill evaluated restarts the drill clock of each linked plan in force
  (``plans.services.drill_recorded``);
- a finding marked "plan problem" raises a revision trigger on its plan (case: problems found in
  a drill, ``plans.services.trigger_raise``), once per finding;
- a plan is not marked evaluated while a finding against it is open: plans asks the gate this app
  registers in ``core.registry`` (plans may not import drills)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from plans.models import RevisionTrigger, TriggerCase, TriggerSource
from plans.services import drill_recorded, trigger_raise
from plans.services.clocks import LIVE_STATES


def drill_held(drill, by) -> None:
    """Tell each plan in force linked to ``drill`` that a drill was held on its date (the plan's
    drill clock restarts). Called once, when the drill's evaluation is recorded."""
    held_on = drill.held_at.date() if drill.held_at else drill.planned_date
    note = _("Drill: %(title)s") % {"title": drill.title}
    for plan in drill.linked_plans.select_related("current_version"):
        if plan.current_version_id and plan.current_version.state in LIVE_STATES:
            drill_recorded(plan, held_on, by, False, note[:2000])


def plan_problem_found(finding, by) -> RevisionTrigger | None:
    """Raise a revision trigger on the plan a plan-problem finding names (once per finding)."""
    if not finding.plan_id:
        return None
    return trigger_raise(
        plan=finding.plan,
        case=TriggerCase.PRACTICE,
        source=TriggerSource.DRILL,
        source_key=f"drill-finding:{finding.pk}",
        note=finding.description,
        by=by,
    )


def plan_evaluation_blockers(plan_id: int):
    """The open findings marked against a plan."""
    from drills.models import Finding

    return Finding.objects.filter(plan_id=plan_id, state=Finding.State.OPEN)


def evaluation_gate(plan_id: int) -> list[str]:
    """``core.registry.register_evaluation_gate``: why the plan cannot be marked evaluated yet."""
    count = plan_evaluation_blockers(plan_id).count()
    if not count:
        return []
    return [_("%(n)d problem(s) found in drills against this plan are still open: close them first.") % {"n": count}]
