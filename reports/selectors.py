"""Reads of the reports: every query the pages and the API make, taking the user and filtering
through the scope (``grids.scope``), with the joins each list needs (queries scale with pages).
One object is fetched through ``reports.access``."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from grids import limits
from grids.models import GridUnit, User, within_q
from grids.scope import scope_for
from reports.briefing import consultation_briefings
from reports.exports import report_tables
from reports.models import Consultation, Countermeasure, MonthlyReport

# --- the inbox -------------------------------------------------------------------------------------


# --- units offered -----------------------------------------------------------------------------


def report_filter_units(user: User) -> QuerySet[GridUnit]:
    """Units offered in the report filters: the tiers 1–2 in scope and the person's own units."""
    scope = scope_for(user)
    return (
        GridUnit.objects.filter(scope.unit_q(grants_only=True))
        .filter(Q(level__lte=1) | Q(pk__in=scope.own_unit_ids()))
        .filter(is_active=True)
        .order_by("tree_id", "lft")
    )


def units_led(user: User, *, tiers: tuple[int, ...]) -> list[GridUnit]:
    """The person's own units of the given tiers (a superuser: the counties), for matrix/overview links."""
    scope = scope_for(user)
    units = GridUnit.objects.filter(pk__in=scope.own_units_at_tiers(tiers), is_active=True)
    if 1 in tiers:
        units = units | scope.administrator_counties()
    return list(units.order_by("tree_id", "lft"))


def responsible_units(consultation: Consultation) -> QuerySet[GridUnit]:
    """Who may be given a countermeasure of ``consultation``: its unit and the units under it."""
    return GridUnit.objects.within(consultation.unit).filter(is_active=True).order_by("lft")


# --- monthly reports ---------------------------------------------------------------------------


def monthly_reports(
    user: User,
    *,
    month: datetime.date | None = None,
    unit: GridUnit | None = None,
    state: str = "",
) -> QuerySet[MonthlyReport]:
    """The monthly reports of the units in the person's grid (current versions unless ``state``
    asks for another), newest month first."""
    reports = scope_for(user).filter(MonthlyReport.objects.all(), "unit", grants_only=True).select_related("unit")
    if month:
        reports = reports.filter(period=month)
    if unit:
        reports = reports.filter(within_q(unit, "unit__"))
    reports = reports.filter(state=state) if state else reports.exclude(state=MonthlyReport.State.SUPERSEDED)
    return reports.order_by("-period", "unit__tree_id", "unit__lft", "-version")


def report_versions(report: MonthlyReport) -> list[MonthlyReport]:
    """The other versions of the same unit and month, newest first."""
    return list(
        MonthlyReport.objects.filter(unit_id=report.unit_id, period=report.period)
        .exclude(pk=report.pk)
        .only("pk", "version", "state", "submitted_at", "correction_reason")
        .order_by("-version")
    )


def unreported_children(report: MonthlyReport) -> list[str]:
    """The names of a draft tier-2 report's units that have not submitted their own report for the
    period (empty for a village's report or one already submitted)."""
    if report.state != MonthlyReport.State.DRAFT:
        return []
    children = children_with_reporting(report, report_tables(report)["children"]) or []
    return [child["name"] for child in children if child.get("reported") is False]


def children_with_reporting(report: MonthlyReport, children: list[dict] | None) -> list[dict] | None:
    """A tier-2 report's units: whether each has reported is frozen at submission; until then it
    is read live (one query)."""
    if not children or all(child.get("reported") is not None for child in children):
        return children
    submitted = set(
        MonthlyReport.objects.filter(
            period=report.period, unit_id__in=[c["id"] for c in children], state=MonthlyReport.State.SUBMITTED
        ).values_list("unit_id", flat=True)
    )
    return [
        child if child.get("reported") is not None else child | {"reported": child["id"] in submitted}
        for child in children
    ]


def report_matrix(*, user: User, parent: GridUnit, months: list[datetime.date]) -> list[dict]:
    """Children of ``parent`` × months: submitted / late / auto / draft / missing (one query)."""
    months = [limits.bound_date("months", month, allow_none=False) for month in months]
    if not scope_for(user).can_see_by_grant(parent):
        raise Http404(_("No such unit."))
    children = list(parent.get_children().filter(is_active=True))
    reports = MonthlyReport.objects.filter(unit__in=children, period__in=months).exclude(
        state=MonthlyReport.State.SUPERSEDED
    )
    cells = {(r.unit_id, r.period): r for r in reports}
    rows = []
    for child in children:
        row = []
        for month in months:
            report = cells.get((child.pk, month))
            if report is None or report.state == MonthlyReport.State.PENDING:
                status = "missing"
            elif report.state == MonthlyReport.State.DRAFT:
                status = "draft"
            elif report.auto_submitted:
                status = "auto"
            elif report.is_late:
                status = "late"
            else:
                status = "submitted"
            row.append({"month": month, "status": status, "report": report})
        rows.append({"unit": child, "cells": row})
    return rows


# --- consultations -----------------------------------------------------------------------------


def _with_measure_counts(consultations: QuerySet[Consultation]) -> QuerySet[Consultation]:
    return consultations.annotate(
        measures=Count("countermeasures", distinct=True),
        open_measures=Count("countermeasures", filter=Q(countermeasures__state="open"), distinct=True),
    )


def consultations(user: User, *, state: str = "") -> QuerySet[Consultation]:
    """The consultations of the units in the person's grid, newest period first, with the number
    of their countermeasures (and of those still open)."""
    found = _with_measure_counts(
        scope_for(user).filter(Consultation.objects.all(), "unit", grants_only=True).select_related("unit")
    ).order_by("-period_start", "unit__tree_id", "unit__lft")
    return found.filter(state=state) if state else found


def countermeasures_of(consultation: Consultation) -> list[Countermeasure]:
    """The judgement list of ``consultation``, each line marked ``is_overdue`` (open past its deadline)."""
    today = timezone.localdate()
    items = list(consultation.countermeasures.select_related("category", "responsible_unit").order_by("deadline", "id"))
    for item in items:
        item.is_overdue = item.state == Countermeasure.State.OPEN and (
            item.overdue_since is not None or item.deadline < today
        )
    return items


def countermeasures(user: User, *, state: str = "") -> QuerySet[Countermeasure]:
    """Countermeasures of the consultations in the person's grid, and those their units are
    responsible for, soonest deadline first."""
    scope = scope_for(user)
    found = scope.filter_q(
        Countermeasure.objects.all(),
        scope.unit_q("consultation__unit__", grants_only=True) | scope.unit_q("responsible_unit__", grants_only=True),
    ).select_related("consultation", "consultation__unit", "responsible_unit", "category")
    if state:
        found = found.filter(state=state)
    return found.order_by("deadline", "id")


def consultation_overview(*, user: User, parent: GridUnit, period: datetime.date) -> list[dict]:
    """Which units under ``parent`` have held the consultation of the period containing ``period``."""
    period = limits.bound_date("period", period, allow_none=False)
    if not scope_for(user).can_see_by_grant(parent):
        raise Http404(_("No such unit."))
    children = list(parent.get_children().filter(is_active=True))
    found = {
        c.unit_id: c
        for c in _with_measure_counts(
            Consultation.objects.filter(unit__in=children, period_start__lte=period, period_end__gte=period)
        )
    }
    return [{"unit": child, "consultation": found.get(child.pk)} for child in children]


def _months(consultation: Consultation) -> int:
    start, end = consultation.period_start, consultation.period_end
    return (end.year - start.year) * 12 + end.month - start.month + 1


def fresh_briefing(consultation: Consultation, *, until: datetime.date) -> dict:
    """The consultation's briefing computed now, its sections up to ``until`` (a fixed number of queries)."""
    briefings = consultation_briefings(
        units=[consultation.unit], start=consultation.period_start, months=_months(consultation), until=until
    )
    return briefings[consultation.unit_id]


def live_briefing(consultation: Consultation) -> tuple[dict, bool]:
    """``(briefing, live)``: until the meeting is recorded the briefing is computed when read, so
    that what happened since the consultation opened is in it; from then on it is the snapshot
    frozen with the meeting record."""
    if consultation.state == Consultation.State.OPEN and consultation.held_on is None:
        return fresh_briefing(consultation, until=timezone.localdate()), True
    return consultation.briefing or {}, False
