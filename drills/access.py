"""Which drills, findings and training sessions a person may see and act on: built on
grids.scope, nowhere else.

- A drill is seen by whoever sees its drilled unit or its organiser: the drilled unit, the tiers
  above, the organiser's people and the county departments (read-only).
- **Double-blind** (双盲): until it is started, a double-blind drill is seen only by those who see
  its organiser unit. The drilled unit's people (the drilled unit and its subtree, below the
  organiser) see nothing of it in any list, calendar, API, export or notification:
  ``visible_drills`` is the one place that decides it, and every read goes through it.
- Findings, sign-ins and evaluations are seen with their drill; training sessions with their
  organising unit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from drills.models import AnnualDrillPlan, Drill, DrillMedia, DrillState, Finding, Training
from drills.permissions import DrillAction
from grids.scope import scope_for


def hidden_q(user) -> Q:
    """Drills the person must not see yet: double-blind, not started, organiser out of their sight."""
    scope = scope_for(user)
    return Q(double_blind=True, state=DrillState.PLANNED) & ~scope.unit_q("organiser__")


def visible_drills(user) -> QuerySet[Drill]:
    """Every drill the person sees (the one rule, double-blind included)."""
    scope = scope_for(user)
    seen = scope.unit_q("unit__") | scope.unit_q("organiser__")
    return scope.filter_q(Drill.objects.all(), seen & ~hidden_q(user))


def may_organise(user, drill: Drill) -> bool:
    return scope_for(user).can(DrillAction.ORGANISE, drill.organiser)


def may_respond(user, drill: Drill) -> bool:
    """The drilled unit's own people, or the organiser's."""
    scope = scope_for(user)
    return scope.can(DrillAction.RESPOND, drill.unit) or may_organise(user, drill)


def sign_in_unit(user, drill: Drill):
    """The unit the person signs in for: the drilled unit or a participating unit they hold a role
    in (prefetched ``participating_units``); None when they are not one of its people."""
    scope = scope_for(user)
    for unit in [drill.unit, *drill.participating_units.all()]:
        if scope.holds_role_in(unit):
            return unit
    return None


ORGANISE = "organise"
RESPOND = "respond"


def get_drill_for_user(user, pk, *, action: str | None = None) -> Drill:
    """The drill ``pk``: 404 when unseen (a double-blind drill not started, for the drilled
    unit's people), 403 when seen but the person may not ``organise`` / ``respond``."""
    try:
        drill = visible_drills(user).select_related("unit", "organiser", "annual_plan").get(pk=pk)
    except (Drill.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such drill.")) from None
    if action == ORGANISE and not may_organise(user, drill):
        raise PermissionDenied(_("Only the organiser's people may do this."))
    if action == RESPOND and not may_respond(user, drill):
        raise PermissionDenied(_("Only the drilled unit's own people may do this."))
    return drill


def get_drill_media_for_user(user, pk) -> DrillMedia:
    """A photo or video of a drill: 404 unless the person may see the drill (``get_drill_for_user``)."""
    try:
        media = DrillMedia.objects.get(pk=pk)
    except (DrillMedia.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such file.")) from None
    get_drill_for_user(user, media.drill_id)
    return media


def visible_annual_plans(user) -> QuerySet[AnnualDrillPlan]:
    return scope_for(user).filter(AnnualDrillPlan.objects.all(), "unit")


def get_annual_plan_for_user(user, pk, *, organise: bool = False) -> AnnualDrillPlan:
    try:
        plan = visible_annual_plans(user).select_related("unit").get(pk=pk)
    except (AnnualDrillPlan.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such drill plan.")) from None
    if organise and not scope_for(user).can(DrillAction.ORGANISE, plan.unit):
        raise PermissionDenied(_("Only the unit's own people may change its drill plan."))
    return plan


def visible_findings(user) -> QuerySet[Finding]:
    scope = scope_for(user)
    condition = Q(drill__in=visible_drills(user)) | scope.unit_q("owner_unit__")
    return scope.filter_q(Finding.objects.all(), condition)


def get_finding_for_user(user, pk, *, close: bool = False) -> Finding:
    try:
        finding = visible_findings(user).select_related("drill", "owner_unit", "plan").get(pk=pk)
    except (Finding.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such finding.")) from None
    if close and not may_close(user, finding):
        raise PermissionDenied(_("Only the owner unit's people or the drill's organiser may close this finding."))
    return finding


def may_close(user, finding: Finding) -> bool:
    scope = scope_for(user)
    return scope.can(DrillAction.CLOSE_FINDING, finding.owner_unit) or may_organise(user, finding.drill)


def visible_trainings(user) -> QuerySet[Training]:
    return scope_for(user).filter(Training.objects.all(), "unit")


def get_training_for_user(user, pk) -> Training:
    try:
        return visible_trainings(user).select_related("unit").get(pk=pk)
    except (Training.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such training session.")) from None
