"""What raises revision triggers from outside the plans app: connected in ``PlansConfig.ready()``.

- ``dispatch.signals.final_report_made`` (after the commit of an incident's final report): when
  the report names a problem in the plan, every plan in force that covers the incident's type, at
  the incident's unit or a tier above it, gets a trigger (case: problems found in a real response).
- ``grids.signals.grid_leader_changed`` (after the commit of a grid-leader membership granted or
  ended): the plans in force of that unit get a trigger (case: other key information changed).
- ``leader_name_changed`` (``plan_update`` changing the main leader who signs): the same case."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from grids.models import above_q
from plans.models import Plan, TriggerCase, TriggerSource
from plans.services.clocks import LIVE_STATES, trigger_raise


def _live_plans():
    return Plan.objects.filter(current_version__state__in=LIVE_STATES)


def on_final_report(sender=None, *, incident_id: int, report_id: int, plan_problem: bool, **kwargs) -> int:
    if not plan_problem:
        return 0
    from dispatch.models import Incident

    incident = Incident.objects.select_related("unit", "type").get(pk=incident_id)
    plans = list(_live_plans().filter(above_q(incident.unit, "unit__"), incident_types=incident.type_id).distinct())
    note = _("The final report of incident %(number)s (%(title)s) names a problem in the plan.") % {
        "number": incident.number,
        "title": incident.title,
    }
    with transaction.atomic():
        for plan in plans:
            trigger_raise(
                plan=plan,
                case=TriggerCase.PRACTICE,
                source=TriggerSource.INCIDENT,
                source_key=f"incident:{incident.pk}",
                note=note,
            )
    return len(plans)


def on_grid_leader_changed(
    sender=None, *, unit_id: int, user_id: int, membership_id: int, granted: bool, **kwargs
) -> int:
    from grids.models import User

    person = User.objects.filter(pk=user_id).first()
    name = person.display_name if person else "—"
    if granted:
        note = _("%(name)s became the grid leader of the owner unit.") % {"name": name}
    else:
        note = _("%(name)s is no longer the grid leader of the owner unit.") % {"name": name}
    plans = list(_live_plans().filter(unit_id=unit_id, department__isnull=True))
    with transaction.atomic():
        for plan in plans:
            trigger_raise(
                plan=plan,
                case=TriggerCase.INFORMATION,
                source=TriggerSource.LEADER_CHANGE,
                source_key=f"membership:{membership_id}:{'granted' if granted else 'ended'}",
                note=note,
            )
    return len(plans)


def leader_name_changed(*, plan: Plan, old: str, new: str, by) -> None:
    """``plan_update`` changed the main leader who signs: a trigger on a plan in force."""
    if old == new or plan.current_version_id is None or plan.current_version.state not in LIVE_STATES:
        return
    trigger_raise(
        plan=plan,
        case=TriggerCase.INFORMATION,
        source=TriggerSource.LEADER_CHANGE,
        source_key=f"leader_name:{new}"[:60],
        note=_("The main leader who signs changed from %(old)s to %(new)s.") % {"old": old, "new": new},
        by=by,
    )
