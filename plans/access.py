"""Which plans and filings a person may see and act on: built on grids.scope, nowhere else.

- A plan is seen by whoever sees its unit (for a department's plan, the department's county):
  the owner, the tiers above it, and the county departments (read-only).
- A plan is changed by its owner's own people: a role in the owner unit itself that the action
  table allows (``plans.permissions``), or, for a department's plan, the department's staff.
- A filing is checked by the receiver's own people: a role in the receiving unit itself, or the
  receiving department's staff. A superuser may do everything."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from grids.models import GridUnit, above_q
from grids.rules import TOWNSHIP_KINDS, VILLAGE_KINDS
from grids.scope import get_unit_for_user, is_administrator, scope_for
from plans.models import DangerZone, Filing, Household, Plan, PlanDocument, PlanVersion, Shelter
from plans.permissions import EvacuationAction, PlanAction


def visible_plans(user) -> QuerySet[Plan]:
    return scope_for(user).filter(Plan.objects.all(), "unit")


def linkable_plans(user, unit) -> QuerySet[Plan]:
    """Plans a plan of ``unit`` may link to (衔接): those the person sees, and those of ``unit``'s
    own chain of units above it (an enterprise's plan links to its township's and county's)."""
    return Plan.objects.filter(Q(pk__in=visible_plans(user).values("pk")) | above_q(unit, "unit__"))


def linkable_plans_for(user) -> QuerySet[Plan]:
    """Every plan a plan of one of the person's units may link to: the visible ones and those of
    the units above the person's own units."""
    scope = scope_for(user)
    if is_administrator(user):
        return Plan.objects.all()
    condition = Q(pk__in=visible_plans(user).values("pk"))
    for unit in GridUnit.objects.filter(pk__in=scope.own_unit_ids()):
        condition |= above_q(unit, "unit__")
    return Plan.objects.filter(condition)


def may_create(user) -> bool:
    """May the person register a plan somewhere: a unit where they may draft, or their department?"""
    scope = scope_for(user)
    return scope.may_anywhere(PlanAction.EDIT) or bool(getattr(user, "department_id", None))


def draft_units(user) -> QuerySet:
    """The units whose plans the person may draft (their department's county for department staff)."""
    units = scope_for(user).units_where(PlanAction.EDIT)
    if getattr(user, "department_id", None):
        units = units | GridUnit.objects.filter(departments__id=user.department_id)
    return units


def may(user, action: str, plan: Plan) -> bool:
    """May ``user`` do ``action`` (``PlanAction.EDIT`` / ``ISSUE``) on ``plan`` as its owner?"""
    scope = scope_for(user)
    if plan.department_id:
        return scope.serves_department(plan.department_id)
    return scope.can(action, plan.unit)


def may_receive(user, filing: Filing) -> bool:
    """Is ``user`` one of the filing receiver's own people (or a superuser)?"""
    scope = scope_for(user)
    if filing.receiver_unit_id:
        return scope.can(PlanAction.RECEIVE, filing.receiver_unit)
    return scope.serves_department(filing.receiver_department_id)


def _refuse(action: str | None) -> PermissionDenied:
    if action == PlanAction.ISSUE:
        return PermissionDenied(_("Only the owner's main leader may issue or withdraw this plan."))
    return PermissionDenied(_("Only the owner's own people may change this plan."))


def get_plan_for_user(user, pk, *, action: str | None = None) -> Plan:
    """The plan ``pk``: 404 when the user cannot see it, 403 when they may not do ``action``."""
    try:
        plan = visible_plans(user).select_related("unit", "department", "kind", "current_version").get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such plan.")) from None
    if action and not may(user, action, plan):
        raise _refuse(action)
    return plan


def get_version_for_user(user, pk, *, action: str | None = None) -> PlanVersion:
    try:
        version = PlanVersion.objects.select_related("plan", "plan__unit", "plan__department", "plan__kind").get(
            pk=pk, plan__in=visible_plans(user)
        )
    except (PlanVersion.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such plan.")) from None
    if action and not may(user, action, version.plan):
        raise _refuse(action)
    return version


def get_document_for_user(user, pk) -> PlanDocument:
    try:
        return PlanDocument.objects.select_related("version__plan").get(pk=pk, version__plan__in=visible_plans(user))
    except (PlanDocument.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such document.")) from None


def filings_for(user) -> QuerySet[Filing]:
    """Filings the person sees: those of visible plans and those sent to their unit or department."""
    scope = scope_for(user)
    condition = Q(version__plan__in=visible_plans(user)) | Q(receiver_unit_id__in=scope.own_unit_ids())
    if getattr(user, "department_id", None):
        condition |= scope.department_q("receiver_department")
    return scope.filter_q(Filing.objects.all(), condition)


def filings_awaiting(user) -> QuerySet[Filing]:
    """Filings waiting for the person's own receiving unit or department to check them."""
    scope = scope_for(user)
    if is_administrator(user):
        condition = Q()
    else:
        condition = Q(receiver_unit_id__in=scope.units_granting(PlanAction.RECEIVE))
        if getattr(user, "department_id", None):
            condition |= scope.department_q("receiver_department")
    return Filing.objects.filter(condition, state=Filing.State.PENDING)


def get_filing_for_user(user, pk, *, receive: bool = False) -> Filing:
    """The filing ``pk``: 404 unseen; with ``receive``, 403 unless the person is its receiver."""
    try:
        filing = (
            filings_for(user)
            .select_related("version__plan__unit", "version__plan__kind", "receiver_unit", "receiver_department")
            .get(pk=pk)
        )
    except (Filing.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such filing.")) from None
    if receive and not may_receive(user, filing):
        raise PermissionDenied(_("Only the receiving unit's own people may check this filing."))
    return filing


# --- evacuation (转移避险) ---------------------------------------------------------------------------
#
# Lists are seen by whoever sees the village (its township, the county, the departments read-only);
# changed by the village's people and its township's (``EvacuationAction.EDIT``); the vulnerable
# persons' details and households' phones are shown only to a role in the village or its township
# (``EvacuationAction.PRIVATE``): ``may_see_private`` per unit, ``private_unit_ids`` for a list.


def visible_zones(user) -> QuerySet[DangerZone]:
    return scope_for(user).filter(DangerZone.objects.all(), "unit")


def visible_households(user) -> QuerySet[Household]:
    return scope_for(user).filter(Household.objects.all(), "zone__unit")


def visible_shelters(user) -> QuerySet[Shelter]:
    return scope_for(user).filter(Shelter.objects.all(), "unit")


def may_edit_evacuation(user, unit: GridUnit) -> bool:
    return scope_for(user).can(EvacuationAction.EDIT, unit)


def may_see_private(user, unit: GridUnit) -> bool:
    """May the person read the vulnerable persons' details and phones of ``unit``'s households?"""
    return scope_for(user).can(EvacuationAction.PRIVATE, unit)


def get_evacuation_unit_for_user(user, pk, *, edit: bool = False) -> GridUnit:
    """A village (or community) whose lists the person sees, or a township (its own shelters): 404
    unseen or of another kind, 403 with ``edit`` when they may not change its lists."""
    unit = get_unit_for_user(user, pk)
    if unit.kind not in VILLAGE_KINDS | TOWNSHIP_KINDS:
        raise Http404(_("Evacuation lists are kept per village or community."))
    if edit and not may_edit_evacuation(user, unit):
        raise PermissionDenied(_("Only the village's own people and its township may change its evacuation list."))
    return unit


def get_household_for_user(user, pk) -> Household:
    try:
        return visible_households(user).select_related("zone__unit", "zone__category", "shelter__unit").get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such household.")) from None


def get_zone_for_user(user, pk) -> DangerZone:
    try:
        return visible_zones(user).select_related("unit", "category").get(pk=pk)
    except (DangerZone.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such danger zone.")) from None


def get_shelter_for_user(user, pk, *, edit: bool = False) -> Shelter:
    try:
        shelter = visible_shelters(user).select_related("unit").get(pk=pk)
    except (Shelter.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such shelter.")) from None
    if edit and not may_edit_evacuation(user, shelter.unit):
        raise PermissionDenied(_("Only the shelter's own unit and its township may open or close it."))
    return shelter
