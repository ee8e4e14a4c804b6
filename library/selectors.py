"""Reads of the libraries: searches that take the user and go through ``library.access``; a
list's queries do not grow with its rows."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from grids.models import GridUnit, within_q
from grids.scope import scope_for
from library.access import visible_cases, visible_regulations
from library.models import Case, Regulation


def case_units(user) -> QuerySet[GridUnit]:
    """Units to search cases by: those the person sees."""
    return scope_for(user).units().filter(is_active=True).order_by("tree_id", "lft")


def search_cases(
    user, *, q: str = "", type=None, drill_form: str = "", category=None, unit=None, year=None, state: str = ""
) -> QuerySet[Case]:
    """The cases the person sees, by incident type or drill form, hazard category, unit (and its
    subtree), year and text (title and the six parts)."""
    cases = visible_cases(user).select_related("unit", "incident_type")
    if type is not None:
        cases = cases.filter(incident_type=type)
    if drill_form:
        cases = cases.filter(drill_form=drill_form)
    if category is not None:
        cases = cases.filter(
            pk__in=Case.hazard_categories.through.objects.filter(hazardcategory=category).values("case_id")
        )
    if unit is not None:
        cases = cases.filter(within_q(unit, "unit__"))
    if year:
        cases = cases.filter(occurred_on__year=year)
    if state:
        cases = cases.filter(state=state)
    q = (q or "").strip()
    if q:
        text = Q()
        for name in ("title", "cause", "measures", "handling", "lessons", "problems", "suggestions"):
            text |= Q(**{f"{name}__icontains": q})
        cases = cases.filter(text)
    return cases.order_by("-occurred_on", "-pk")


def search_regulations(user, *, q: str = "", kind: str = "", status: str = "", year=None) -> QuerySet[Regulation]:
    regulations = visible_regulations(user).select_related("unit", "replaced_by")
    if kind:
        regulations = regulations.filter(kind=kind)
    if status:
        regulations = regulations.filter(status=status)
    if year:
        regulations = regulations.filter(issued_on__year=year)
    q = (q or "").strip()
    if q:
        regulations = regulations.filter(
            Q(title__icontains=q) | Q(number__icontains=q) | Q(issuer__icontains=q) | Q(summary__icontains=q)
        )
    return regulations.order_by("kind", "title", "pk")
