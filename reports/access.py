"""Which monthly reports, consultations, countermeasures and inbox entries a person may see and act
on: built on grids.scope, nowhere else. Every page and API endpoint of reports fetches its object
here: 404 when unseen, 403 (``action=…``) when seen but the action is not the person's.
What was delivered to whom is decided in ``delivery.services`` (``inbox_for``, ``may_act_on``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from core.ids import as_pk
from grids.models import GridUnit, User
from grids.scope import scope_for
from reports.models import Consultation, Countermeasure, MonthlyReport
from reports.permissions import ReportAction


def get_report_for_user(user: User, pk, *, action: str | None = None) -> MonthlyReport:
    """The monthly report ``pk``: 404 unless it is of a unit in the person's grid; with
    ``action=ReportAction.SIGN``, 403 unless the person is one of the unit's own people."""
    pk = as_pk(pk)
    report = (
        MonthlyReport.objects.select_related("unit", "unit__parent", "submitted_by").filter(pk=pk).first()
        if pk
        else None
    )
    if report is None or not scope_for(user).can_see_by_grant(report.unit):
        raise Http404(_("No such report."))
    if action == ReportAction.SIGN and not may_sign(user, report):
        raise PermissionDenied(_("Only the people of %(unit)s can change its report.") % {"unit": report.unit.name})
    return report


get_monthly_report_for_user = get_report_for_user


def may_sign(user: User, report: MonthlyReport) -> bool:
    """Annotate, sign, send up or reissue: the unit's own people (``ReportAction.SIGN``)."""
    return scope_for(user).can_here(ReportAction.SIGN, report.unit)


def get_consultation_for_user(user: User, pk, *, action: str | None = None) -> Consultation:
    """The consultation ``pk``: 404 unless it is of a unit in the person's grid; with
    ``action=ReportAction.CONSULT``, 403 unless the person is one of the unit's own people."""
    pk = as_pk(pk)
    consultation = Consultation.objects.select_related("unit", "unit__parent").filter(pk=pk).first() if pk else None
    if consultation is None or not scope_for(user).can_see_by_grant(consultation.unit):
        raise Http404(_("No such consultation."))
    if action == ReportAction.CONSULT and not may_record(user, consultation):
        raise PermissionDenied(
            _("Only the people of %(unit)s can record its consultation.") % {"unit": consultation.unit.name}
        )
    return consultation


def may_record(user: User, consultation: Consultation) -> bool:
    """Record the consultation and its judgement list: the unit's own people (``ReportAction.CONSULT``)."""
    return scope_for(user).can_here(ReportAction.CONSULT, consultation.unit)


def get_countermeasure_for_user(user: User, pk, *, action: str | None = None) -> Countermeasure:
    """The countermeasure ``pk``: 404 unless its consultation's unit or its responsible unit is in
    the person's grid; with ``action=ReportAction.FINISH_COUNTERMEASURE``, 403 unless the person
    may finish it (the responsible unit and the tiers above it)."""
    pk = as_pk(pk)
    item = (
        Countermeasure.objects.select_related(
            "consultation", "consultation__unit", "consultation__unit__parent", "responsible_unit", "category"
        )
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    scope = scope_for(user)
    if item is None or not (
        scope.can_see_by_grant(item.consultation.unit) or scope.can_see_by_grant(item.responsible_unit)
    ):
        raise Http404(_("No such countermeasure."))
    if action == ReportAction.FINISH_COUNTERMEASURE and not may_finish(user, item):
        raise PermissionDenied(_("Only the responsible unit can report this countermeasure done."))
    return item


def sees_consultation_of(user: User, item: Countermeasure) -> bool:
    """Does the person see the consultation of ``item`` (not only its responsible unit)?"""
    return scope_for(user).can_see_by_grant(item.consultation.unit)


def may_finish(user: User, item: Countermeasure) -> bool:
    """Report a countermeasure done: ``ReportAction.FINISH_COUNTERMEASURE`` on its responsible unit."""
    return scope_for(user).can(ReportAction.FINISH_COUNTERMEASURE, item.responsible_unit)


def get_report_unit_for_user(user: User, pk) -> GridUnit:
    """A unit whose reporting (matrix, consultation overview) the person reads: 404 unless it is
    in their grid."""
    pk = as_pk(pk)
    unit = GridUnit.objects.filter(pk=pk).first() if pk else None
    if unit is None or not scope_for(user).can_see_by_grant(unit):
        raise Http404(_("No such unit."))
    return unit
