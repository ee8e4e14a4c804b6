"""Which cases and regulations a person may see and change: built on grids.scope, nowhere else.

- A case is seen by whoever sees its unit: the unit's own people, the tiers above it (its
  township and the county) and the county's departments (read-only). A **published case of the
  county itself** (its unit is the county) is seen by every unit of the county: the townships and
  their villages learn from it. A draft stays within its unit's line.
- A regulation (a public text) is seen by its keeping unit's line: the units below it, the tiers
  above it and the county's departments; so the county's regulations by the whole county, a
  township's by the township and its villages.
- Cases and regulations are written by ``library.edit`` (the unit's people and the tiers above);
  a case is published by ``library.publish`` (the township or the county)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from grids.models import above_q
from grids.scope import scope_for
from library.models import Case, CaseAttachment, Regulation, RegulationFile
from library.permissions import LibraryAction


def _county_q(scope, prefix: str) -> Q:
    """Rows kept by the county unit of one of the counties the person sees."""
    trees = {unit.tree_id for unit in scope.top_units()}
    return Q(**{f"{prefix}unit__level": 0, f"{prefix}unit__tree_id__in": trees})


def _case_q(scope, prefix: str = "") -> Q:
    published = Q(**{f"{prefix}state": Case.State.PUBLISHED}) & _county_q(scope, prefix)
    return scope.unit_q(f"{prefix}unit__") | published


def visible_cases(user) -> QuerySet[Case]:
    scope = scope_for(user)
    return scope.filter_q(Case.objects.all(), _case_q(scope))


def visible_case_attachments(user) -> QuerySet[CaseAttachment]:
    scope = scope_for(user)
    return scope.filter_q(CaseAttachment.objects.all(), _case_q(scope, "case__"))


def _regulation_q(scope, prefix: str = "") -> Q:
    """Kept in the person's subtrees or by a unit above one of them."""
    condition = scope.unit_q(f"{prefix}unit__")
    for unit in scope.top_units():
        condition |= above_q(unit, f"{prefix}unit__")
    return condition


def visible_regulations(user) -> QuerySet[Regulation]:
    scope = scope_for(user)
    return scope.filter_q(Regulation.objects.all(), _regulation_q(scope))


def visible_regulation_files(user) -> QuerySet[RegulationFile]:
    scope = scope_for(user)
    return scope.filter_q(RegulationFile.objects.all(), _regulation_q(scope, "regulation__"))


def may_edit(user, unit) -> bool:
    return scope_for(user).can(LibraryAction.EDIT, unit)


def may_publish(user, unit) -> bool:
    return scope_for(user).can(LibraryAction.PUBLISH, unit)


def edit_units(user) -> QuerySet:
    """The units whose cases and regulations the person may write (form choices)."""
    return scope_for(user).units_where(LibraryAction.EDIT)


def may_open_library(user) -> bool:
    """The navigation link: anyone who sees some unit."""
    return scope_for(user).sees_anything()


def refuse_edit() -> PermissionDenied:
    return PermissionDenied(_("You may not change the library entries of this unit."))


def get_case_for_user(user, pk, *, edit: bool = False) -> Case:
    """The case ``pk``: 404 when unseen, 403 with ``edit`` unless the user may write its unit's cases."""
    try:
        case = visible_cases(user).select_related("unit", "incident_type", "incident", "drill", "created_by").get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such case.")) from None
    if edit and not may_edit(user, case.unit):
        raise refuse_edit()
    return case


def get_case_attachment_for_user(user, pk) -> CaseAttachment:
    try:
        return visible_case_attachments(user).select_related("case").get(pk=pk)
    except (CaseAttachment.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such file.")) from None


def get_regulation_for_user(user, pk, *, edit: bool = False) -> Regulation:
    try:
        regulation = visible_regulations(user).select_related("unit", "replaced_by").get(pk=pk)
    except (Regulation.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such regulation.")) from None
    if edit and not may_edit(user, regulation.unit):
        raise refuse_edit()
    return regulation


def get_regulation_file_for_user(user, pk) -> RegulationFile:
    try:
        return visible_regulation_files(user).select_related("regulation").get(pk=pk)
    except (RegulationFile.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such file.")) from None
