"""Pages of the monthly hazard reports: the list, one report (sign and submit, reissue), its
Excel export, and the reporting matrix of a unit's children.

Thin: every report is fetched through ``reports.access`` (404 when unseen), every read is a
selector, every change a service (which raises PermissionDenied → 403 for a reader who may not
act); a state refusal (``ReportRefused``) is shown as a message, and invalid input re-renders the
page with its errors (400)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.periods import add_months, previous_month
from core.registry import page_sections
from core.views import query_without
from delivery import selectors as delivery_selectors
from grids.scope import scope_for
from grids.spreadsheets import export_name
from reports import access, exports, forms, selectors, services
from reports.models import MonthlyReport
from reports.services import ReportRefused

PER_PAGE = 30
MATRIX_MONTHS = 12
MATRIX_MAX_MONTHS = 36


@require_GET
@login_required
def monthly_list(request):
    """The monthly reports of the units in the person's grid, newest month first."""
    form = forms.MonthlyFilterForm(request.GET or None, units=selectors.report_filter_units(request.user))
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"month": data["month"], "unit": data["unit"], "state": data["state"]}
    reports = selectors.monthly_reports(request.user, **filters)
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/monthly_list.html",
        {
            "form": form,
            "page_obj": page,
            "reports": page.object_list,
            "query": query_without(request, "page"),
            "matrix_units": selectors.units_led(request.user, tiers=(1, 2)),
        },
    )


def _render_monthly(request, report: MonthlyReport, *, sign_form=None, reissue_form=None, status: int = 200):
    user = request.user
    may_sign = access.may_sign(user, report)
    if sign_form is None and may_sign and report.state == MonthlyReport.State.DRAFT:
        sign_form = forms.MonthlySignForm(initial={"annotation": report.annotation, "signer_name": user.real_name})
    if reissue_form is None and may_sign and report.state == MonthlyReport.State.SUBMITTED:
        reissue_form = forms.ReissueForm()
    tables = exports.report_tables(report)
    children = selectors.children_with_reporting(report, tables["children"])
    return render(
        request,
        "reports/monthly_detail.html",
        {
            "report": report,
            "tables": tables,
            "children": children,
            "unreported": [child for child in children or () if child.get("reported") is False],
            "may_sign": may_sign,
            "sign_form": sign_form,
            "reissue_form": reissue_form,
            "versions": selectors.report_versions(report),
            "receipt": delivery_selectors.own_delivery(user, report.document_id),
            "State": MonthlyReport.State,
            "is_late": report.is_late,
            "extra_sections": page_sections("monthly_report", user, report),  # registered by higher apps (patrols)
        },
        status=status,
    )


@require_GET
@login_required
def monthly_detail(request, pk: int):
    report = access.get_report_for_user(request.user, pk)
    return _render_monthly(request, report)


@require_POST
@login_required
def monthly_submit(request, pk: int):
    """Save the notes of a draft ("save"), or sign and submit it ("submit")."""
    report = access.get_report_for_user(request.user, pk)
    form = forms.MonthlySignForm(request.POST)
    submitting = request.POST.get("action") != "save"
    if (
        form.is_valid()
        and submitting
        and access.may_sign(request.user, report)
        and not request.POST.get("confirm_unreported")
    ):
        unreported = selectors.unreported_children(report)
        if unreported:  # nothing is saved: the page asks to confirm first
            form.add_error(
                None,
                _("%(names)s have not reported yet. Tick the confirmation to submit without their figures.")
                % {"names": "、".join(unreported)},
            )
            return _render_monthly(request, report, sign_form=form, status=400)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if submitting:
                services.monthly_report_submit(
                    report=report, by=request.user, signer_name=data["signer_name"], annotation=data["annotation"]
                )
            else:
                services.monthly_report_annotate(report=report, by=request.user, annotation=data["annotation"])
        except ReportRefused as exc:
            messages.error(request, str(exc))
            return redirect("reports:monthly_detail", pk=report.pk)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            if submitting:
                messages.success(
                    request,
                    _("Submitted. %(unit)s has it in its inbox.")
                    % {"unit": report.unit.parent.name if report.unit.parent else "—"},
                )
            else:
                messages.success(request, _("Notes saved."))
            return redirect("reports:monthly_detail", pk=report.pk)
    elif not access.may_sign(request.user, report):
        raise PermissionDenied(_("Only the people of %(unit)s can change its report.") % {"unit": report.unit.name})
    return _render_monthly(request, report, sign_form=form, status=400)


@require_POST
@login_required
def monthly_reissue(request, pk: int):
    """Issue a corrected version of a submitted report; the old one is kept."""
    report = access.get_report_for_user(request.user, pk)
    form = forms.ReissueForm(request.POST)
    if not access.may_sign(request.user, report):
        raise PermissionDenied(_("Only the people of %(unit)s can correct its report.") % {"unit": report.unit.name})
    if form.is_valid():
        try:
            new = services.monthly_report_reissue(report=report, by=request.user, reason=form.cleaned_data["reason"])
        except ReportRefused as exc:
            messages.error(request, str(exc))
            return redirect("reports:monthly_detail", pk=report.pk)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Version %(version)d opened as a draft: check it and submit it.") % {"version": new.version}
            )
            return redirect("reports:monthly_detail", pk=new.pk)
    return _render_monthly(request, report, reissue_form=form, status=400)


@require_GET
@login_required
def monthly_export(request, pk: int):
    report = access.get_report_for_user(request.user, pk)
    workbook = exports.monthly_report_workbook(report)
    filename = export_name(_("Monthly hazard report"), report.unit.name, report.period).replace(
        ".xlsx", f"-v{report.version}.xlsx" if report.version > 1 else ".xlsx"
    )
    return exports.xlsx_response(workbook, filename)


# --- the matrix -----------------------------------------------------------------------------------


def _matrix_months(request) -> list[datetime.date]:
    try:
        count = int(request.GET.get("months", MATRIX_MONTHS))
    except ValueError:
        count = MATRIX_MONTHS
    count = max(1, min(count, MATRIX_MAX_MONTHS))
    last = previous_month(timezone.localdate())
    return [add_months(last, -i) for i in range(count - 1, -1, -1)]


def _matrix(request, unit_pk: int):
    parent = access.get_report_unit_for_user(request.user, unit_pk)
    months = _matrix_months(request)
    rows = selectors.report_matrix(user=request.user, parent=parent, months=months)
    return parent, months, rows


@require_GET
@login_required
def matrix(request, unit_pk: int):
    """The units under ``unit_pk`` × the last months (newest first), coloured by how each one reported."""
    parent, months, rows = _matrix(request, unit_pk)
    counts = {key: 0 for key in exports.STATUSES}
    for row in rows:
        for cell in row["cells"]:
            counts[cell["status"]] += 1
            cell["label"] = exports.STATUSES[cell["status"]][0]
        row["cells"].reverse()  # newest month first: on a phone the month that matters is on screen
    months = months[::-1]
    legend = [item | {"count": counts[item["status"]]} for item in exports.status_legend()]
    return render(
        request,
        "reports/matrix.html",
        {
            "parent": parent,
            "months": months,
            "rows": rows,
            "legend": legend,
            "month_count": len(months),
            "month_choices": (6, 12, 24),
            "up": parent.parent
            if parent.parent_id and scope_for(request.user).can_see_by_grant(parent.parent)
            else None,
        },
    )


@require_GET
@login_required
def matrix_export(request, unit_pk: int):
    parent, months, rows = _matrix(request, unit_pk)
    workbook = exports.matrix_workbook(parent, rows, months)
    return exports.xlsx_response(workbook, export_name(_("Reporting matrix"), parent.name, months[-1]))
