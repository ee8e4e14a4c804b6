"""Planning drills: the annual drill plan of a unit (年度演练计划), filed up a tier through
delivery, and each drill in it (linked plans, form, scope, purpose, scenario, participants)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import Document
from delivery.services import send_document
from drills.models import AnnualDrillPlan, Drill, DrillState
from drills.permissions import DrillAction
from drills.services.common import TransitionRefused, locked_drill, require_state, save_step
from grids.models import GridUnit, User
from grids.scope import scope_for


@transaction.atomic
def annual_plan_create(*, by: User, unit: GridUnit, year: int, title: str = "") -> AnnualDrillPlan:
    if not scope_for(by).can(DrillAction.ORGANISE, unit):
        raise PermissionDenied(_("Only the unit's own people or a tier above may plan its drills."))
    if AnnualDrillPlan.objects.filter(unit=unit, year=year).exists():
        raise ValidationError(
            {"year": _("%(unit)s already has a drill plan for %(year)s.") % {"unit": unit, "year": year}}
        )
    plan = AnnualDrillPlan(
        unit=unit,
        year=year,
        title=title or _("%(unit)s %(year)s annual drill plan") % {"unit": unit.name, "year": year},
        created_by=by,
    )
    plan.full_clean()
    plan._history_user = by
    plan._change_reason = "create"
    plan.save()
    return plan


@transaction.atomic
def annual_plan_file(*, plan: AnnualDrillPlan, by: User) -> AnnualDrillPlan:
    """Send the drill plan to the tier above (the county's to nobody above: it stays filed)."""
    plan = AnnualDrillPlan.objects.select_for_update(of=("self",)).select_related("unit__parent").get(pk=plan.pk)
    if not scope_for(by).can(DrillAction.ORGANISE, plan.unit):
        raise PermissionDenied(_("Only the unit's own people or a tier above may file its drill plan."))
    require_state(plan.state, (AnnualDrillPlan.State.DRAFT,), _("This drill plan has been filed already."))
    if not plan.drills.exists():
        raise ValidationError(_("Add the year's drills before filing the drill plan."))
    now = timezone.now()
    if plan.unit.parent_id:
        plan.document = send_document(
            sender_unit=plan.unit,
            kind=Document.Kind.DRILL_PLAN,
            title=plan.title,
            body=_("%(unit)s files its drill plan for %(year)s (%(n)s drills).")
            % {"unit": plan.unit.name, "year": plan.year, "n": plan.drills.count()},
            url=reverse("drills:annual_plan", args=[plan.pk]),
            by=by,
            to_units=[plan.unit.parent],
        )
    plan.state, plan.filed_at = AnnualDrillPlan.State.FILED, now
    save_step(plan, ["state", "filed_at", "document"], "file", by)
    return plan


def _check_plans(by: User, drill: Drill, linked_plans) -> list:
    from plans.access import visible_plans

    linked = list(linked_plans)
    seen = set(visible_plans(by).filter(pk__in=[p.pk for p in linked]).values_list("pk", flat=True))
    if any(p.pk not in seen for p in linked):
        raise ValidationError({"linked_plans": _("A linked plan must be a plan you can see.")})
    return linked


def _check_units(by: User, organiser: GridUnit, unit: GridUnit, participating: list[GridUnit]) -> None:
    scope = scope_for(by)
    if not scope.can(DrillAction.ORGANISE, organiser):
        raise PermissionDenied(_("You may organise drills only for your own units."))
    if not organiser.contains(unit):
        raise ValidationError({"unit": _("The drilled unit must be the organiser or a unit below it.")})
    if any(not scope.can_see(u) for u in participating):
        raise ValidationError({"participating_units": _("A participating unit must be one you can see.")})


@transaction.atomic
def drill_plan(
    *,
    by: User,
    organiser: GridUnit,
    unit: GridUnit,
    title: str,
    form: str,
    scope: str,
    scenario: str,
    planned_date: datetime.date,
    purpose: str = "test",
    double_blind: bool = False,
    subjects: str = "",
    teams: str = "",
    evaluation_team: str = "",
    place: str = "",
    annual_plan: AnnualDrillPlan | None = None,
    linked_plans: Iterable = (),
    participating_units: Iterable[GridUnit] = (),
) -> Drill:
    """Plan a drill of ``unit`` organised by ``organiser`` (the unit itself or a tier above). A
    double-blind drill is organised by a tier above (the drilled unit does not plan its own surprise)."""
    participating = list(participating_units)
    _check_units(by, organiser, unit, participating)
    if double_blind and organiser.pk == unit.pk:
        raise ValidationError(
            {"double_blind": _("A double-blind drill is organised by a tier above the drilled unit.")}
        )
    if annual_plan is not None:
        if annual_plan.unit_id != organiser.pk:
            raise ValidationError({"annual_plan": _("A drill goes into its organiser's drill plan.")})
        if annual_plan.year != planned_date.year:
            raise ValidationError({"planned_date": _("The date must fall in the drill plan's year.")})
    drill = Drill(
        title=title.strip(),
        organiser=organiser,
        unit=unit,
        form=form,
        scope=scope,
        purpose=purpose,
        double_blind=double_blind,
        scenario=scenario.strip(),
        subjects=subjects,
        teams=teams,
        evaluation_team=evaluation_team,
        planned_date=planned_date,
        place=place,
        annual_plan=annual_plan,
        created_by=by,
    )
    drill.full_clean()
    linked = _check_plans(by, drill, linked_plans)
    drill._history_user = by
    drill._change_reason = "plan"
    drill.save()
    drill.linked_plans.set(linked)
    drill.participating_units.set(participating)
    return drill


@transaction.atomic
def drill_update(*, drill: Drill, by: User, **fields) -> Drill:
    """Change a planned drill (date, scenario, subjects …); not once it has started."""
    drill = locked_drill(drill)
    if not scope_for(by).can(DrillAction.ORGANISE, drill.organiser):
        raise PermissionDenied(_("Only the organiser's people may do this."))
    require_state(drill.state, (DrillState.PLANNED,), _("A drill is changed only before it starts."))
    relations = {name: fields.pop(name) for name in ("linked_plans", "participating_units") if name in fields}
    for name, value in fields.items():
        setattr(drill, name, value)
    drill.full_clean()
    if drill.double_blind and drill.organiser_id == drill.unit_id:
        raise ValidationError(
            {"double_blind": _("A double-blind drill is organised by a tier above the drilled unit.")}
        )
    save_step(drill, list(fields), "update", by)
    if "linked_plans" in relations:
        drill.linked_plans.set(_check_plans(by, drill, relations["linked_plans"]))
    if "participating_units" in relations:
        units = list(relations["participating_units"])
        _check_units(by, drill.organiser, drill.unit, units)
        drill.participating_units.set(units)
    return drill


__all__ = ["TransitionRefused", "annual_plan_create", "annual_plan_file", "drill_plan", "drill_update"]
