"""The grid ledger (网格信息台账) of a village, printable and in Excel; a township's compliance table."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from grids.spreadsheets import append_row, export_name, xlsx_response
from patrols import access, selectors
from patrols.views import period


def _ledger_context(request, unit_pk) -> dict:
    unit = access.get_unit_for_ledger(request.user, unit_pk)
    form, start, end = period(request)
    return {"unit": unit, "form": form, "start": start, "end": end, "entries": selectors.ledger(unit, start, end)}


@require_GET
@login_required
def ledger(request, unit_pk):
    return render(request, "patrols/ledger.html", _ledger_context(request, unit_pk))


@require_GET
@login_required
def ledger_print(request, unit_pk):
    return render(request, "patrols/ledger_print.html", _ledger_context(request, unit_pk))


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


@require_GET
@login_required
def ledger_export(request, unit_pk):
    """网格信息台账 as .xlsx, the columns a village keeps on paper."""
    from openpyxl import Workbook

    context = _ledger_context(request, unit_pk)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Grid ledger"))
    append_row(
        sheet, [_("No."), _("Time"), _("Time on the phone"), _("What"), _("Place or hazard"), _("Who"), _("Remark")]
    )
    for number, entry in enumerate(context["entries"], start=1):
        append_row(
            sheet,
            [number, _local(entry.at), _local(entry.phone_time), entry.what, entry.place, entry.who, entry.remark],
        )
    return xlsx_response(book, export_name(_("Grid ledger"), context["unit"].name, day=context["end"]))


@require_GET
@login_required
def compliance(request, unit_pk):
    unit = access.get_township_for_user(request.user, unit_pk)
    form, start, end = period(request)
    table = selectors.compliance(unit, start, end, timezone.localdate())
    return render(request, "patrols/compliance.html", {"unit": unit, "form": form, "table": table})


@require_GET
@login_required
def compliance_export(request, unit_pk):
    from openpyxl import Workbook

    unit = access.get_township_for_user(request.user, unit_pk)
    _form, start, end = period(request)
    table = selectors.compliance(unit, start, end, timezone.localdate())
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Villages"))
    append_row(
        sheet,
        [
            _("Village"),
            _("Patrols due"),
            _("Done"),
            _("Late"),
            _("Missed"),
            _("Still open"),
            _("Patrols"),
            _("Points not visited"),
        ],
    )
    for row in table.villages:
        append_row(sheet, [row.unit.name, row.due, row.done, row.late, row.missed, row.open, row.patrols,
                           "、".join(point.name for point in row.points_not_visited)])  # fmt: skip
    sheet = book.create_sheet(_("Patrol routes"))
    append_row(sheet, [_("Patrol route"), _("Village"), _("From"), _("To"), _("Patrolled"), _("Points missed")])
    labels = {"done": _("Patrolled"), "missed": _("Missed"), "open": _("Still open")}
    for route_row in table.routes:
        for w in route_row.windows:
            missing = "" if w.state == "done" else "、".join(point.name for point in w.missing)
            append_row(sheet, [route_row.route.name, route_row.route.unit.name, w.window.start, w.window.end,
                               labels[w.state], missing])  # fmt: skip
    sheet = book.create_sheet(_("Officers"))
    append_row(sheet, [_("Officer"), _("Village"), _("Patrols"), _("Windows covered"), _("Windows covered late")])
    for row in table.officers:
        append_row(
            sheet, [row.officer.real_name or row.officer.username, row.unit.name, row.patrols, row.done, row.late]
        )
    return xlsx_response(book, export_name(_("Patrol compliance"), unit.name, day=end))
