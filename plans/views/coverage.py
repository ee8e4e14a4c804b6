"""The coverage pages (横向到边、纵向到底) and the printable 备案登记表: thin — a selector, a render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from grids.spreadsheets import append_row, scope_export_name, start_table, xlsx_response
from plans import access
from plans.selectors import coverage as selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _number(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 12 else None


def _filters(request) -> selectors.CoverageFilters:
    return selectors.CoverageFilters(
        township=_number(request.GET.get("township", "")), kind=_number(request.GET.get("kind", ""))
    )


@require_GET
@login_required
def coverage(request):
    """Units × required plan kinds for the person's scope, gaps in red with the word 缺."""
    filters = _filters(request)
    table = selectors.coverage_table(request.user, filters)
    return render(
        request, "plans/coverage_table.html", {"table": table, "filters": filters, "query": request.GET.urlencode()}
    )


def _cell_text(cell) -> str:
    if cell.plans:
        return "、".join(plan.title for plan in cell.plans)
    return pgettext("plan coverage", "Missing") if cell.required else _("Not required")


@require_GET
@login_required
def coverage_export(request):
    """The coverage table as .xlsx: the same rows and columns as the page, strings written as text."""
    from openpyxl import Workbook

    table = selectors.coverage_table(request.user, _filters(request))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Plan coverage"))
    start_table(
        sheet, [_("Township or park"), _("Grid unit"), _("Unit kind"), *[kind.display_name for kind in table.kinds]]
    )
    for group in table.groups:
        for row in group.rows:
            append_row(
                sheet,
                [group.head.name, row.unit.name, row.unit.get_kind_display(), *[_cell_text(c) for c in row.cells]],
            )
    return xlsx_response(book, scope_export_name(request.user, _("Plan coverage"), timezone.localdate()))


@require_GET
@login_required
def hazard_gaps(request):
    """Open hazards and recent incidents that no plan in force at the unit or above covers."""
    filters = _filters(request)
    groups = selectors.hazard_gaps(request.user, filters)
    townships = selectors.coverage_townships(request.user)
    return render(
        request,
        "plans/coverage_hazards.html",
        {"groups": groups, "townships": townships, "filters": filters, "years": selectors.incident_years()},
    )


@require_GET
@login_required
def filing_register_form(request, pk: int):
    """The printable 备案登记表 of a filing, in any state, for whoever sees the filing."""
    filing = access.get_filing_for_user(request.user, pk)
    return render(
        request,
        "plans/coverage_register_form.html",
        {
            "filing": filing,
            "documents": filing.version.documents.all(),
            "decided_by": filing.decided_by.real_name if filing.decided_by_id else "",
        },
    )
