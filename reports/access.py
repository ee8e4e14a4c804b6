"""Which monthly reports and consultations a person may see and act on: built on grids.scope,
nowhere else. The inbox (what was delivered to whom) is decided in ``delivery.services``."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from grids.models import User
from grids.scope import scope_for
from reports.models import Consultation, MonthlyReport
from reports.permissions import ReportAction


def get_report_for_user(user: User, pk) -> MonthlyReport:
    """The monthly report ``pk``: 404 unless it is of a unit in the person's grid."""
    report = MonthlyReport.objects.select_related("unit", "unit__parent", "submitted_by").filter(pk=pk).first()
    if report is None or not scope_for(user).can_see_by_grant(report.unit):
        raise Http404(_("No such report."))
    return report


def may_sign(user: User, report: MonthlyReport) -> bool:
    """Annotate, sign, send up or reissue: the unit's own people (``ReportAction.SIGN``)."""
    return scope_for(user).can_here(ReportAction.SIGN, report.unit)


def get_consultation_for_user(user: User, pk) -> Consultation:
    """The consultation ``pk``: 404 unless it is of a unit in the person's grid."""
    consultation = Consultation.objects.select_related("unit", "unit__parent").filter(pk=pk).first()
    if consultation is None or not scope_for(user).can_see_by_grant(consultation.unit):
        raise Http404(_("No such consultation."))
    return consultation


def may_record(user: User, consultation: Consultation) -> bool:
    """Record the consultation and its judgement list: the unit's own people (``ReportAction.CONSULT``)."""
    return scope_for(user).can_here(ReportAction.CONSULT, consultation.unit)
