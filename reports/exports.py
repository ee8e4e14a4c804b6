"""How a monthly report and the matrix are laid out as tables: once for the page, once for Excel.

``report_tables`` turns a report's figures JSON (see ``reports.figures``) into labelled rows that
both the template and the workbook read, so the two never disagree."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grids import spreadsheets
from grids.models import GridUnit
from grids.spreadsheets import append_row
from hazards.models import Grade, RiskLevel
from reports.models import MonthlyReport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The columns of the breakdown tables, in the order of the paper form.
TABLE_METRICS = ("open_start", "new", "closed", "rejected", "open_end", "overdue")
TOTAL_METRICS = ("new", "confirmed", "rectified", "closed", "rejected", "overdue", "open_start", "open_end")
METRIC_LABELS = {
    "new": gettext_lazy("New"),
    "confirmed": gettext_lazy("Confirmed"),
    "rectified": gettext_lazy("Reported rectified"),
    "closed": gettext_lazy("Closed"),
    "rejected": gettext_lazy("Rejected"),
    "overdue": gettext_lazy("Overdue"),
    "open_start": gettext_lazy("Open at month start"),
    "open_end": gettext_lazy("Open at month end"),
}

# Matrix cells: status -> (label, fill colour for Excel, without '#').
STATUSES = {
    "submitted": (gettext_lazy("Submitted on time"), "C8E6C9"),
    "late": (gettext_lazy("Submitted late"), "FFCC80"),
    "auto": (gettext_lazy("Submitted automatically"), "B3C7E6"),
    "draft": (gettext_lazy("Draft, not submitted"), "FFF59D"),
    "missing": (gettext_lazy("Report missing"), "EF9A9A"),
}


def status_legend() -> list[dict[str, Any]]:
    return [{"status": key, "label": label} for key, (label, _colour) in STATUSES.items()]


def rate_percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def report_tables(report: MonthlyReport) -> dict[str, Any]:
    """The report's figures as labelled rows: totals, by category, by grade, by risk level."""
    data = report.figures or {}
    totals = data.get("totals", {})
    grade_labels = dict(Grade.choices)
    level_labels = {str(value): label for value, label in RiskLevel.choices} | {"0": _("Not graded")}

    def row(label: str, metrics: dict) -> dict[str, Any]:
        return {"label": label, "values": [metrics.get(m, 0) for m in TABLE_METRICS]}

    by_grade = data.get("by_grade", {})
    by_level = data.get("by_level", {})
    return {
        "columns": [METRIC_LABELS[m] for m in TABLE_METRICS],
        "totals": [{"key": m, "label": METRIC_LABELS[m], "value": totals.get(m, 0)} for m in TOTAL_METRICS],
        "rate": data.get("rate"),
        "rate_text": rate_percent(data.get("rate")),
        "by_category": [row(item.get("name", "?"), item) for item in data.get("by_category", [])],
        "by_grade": [
            row(str(grade_labels.get(key, key)), by_grade[key])
            for key in (Grade.GENERAL, Grade.MAJOR)
            if key in by_grade
        ],
        "by_level": [row(str(level_labels.get(key, key)), metrics) for key, metrics in sorted(by_level.items())],
        "majors": data.get("majors", []),
        "children": data.get("children"),
    }


# --- workbooks ------------------------------------------------------------------------------------


def xlsx_response(workbook, filename: str) -> HttpResponse:
    """Laid out to read and print, named in Chinese (``grids.spreadsheets.xlsx_response``)."""
    return spreadsheets.xlsx_response(workbook, filename)


def _naive(value: datetime.datetime | None):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def monthly_report_workbook(report: MonthlyReport, *, versions: list[MonthlyReport] | None = None):
    """One sheet laid out like the paper 隐患月报表: header, totals, breakdowns, major hazards, children."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    tables = report_tables(report)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Monthly report")[:31]
    bold = Font(bold=True)

    def heading(text: str) -> None:
        append_row(sheet, [])
        append_row(sheet, [text])
        sheet.cell(row=sheet.max_row, column=1).font = bold

    title = _("%(unit)s monthly hazard report, %(month)s") % {
        "unit": report.unit.name,
        "month": report.period.strftime("%Y-%m"),
    }
    append_row(sheet, [title])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    append_row(sheet, [_("Grid unit"), report.unit.name, report.unit.code])
    append_row(sheet, [_("Month"), report.period.strftime("%Y-%m")])
    append_row(sheet, [_("Version"), report.version])
    append_row(sheet, [_("State"), report.get_state_display()])
    append_row(sheet, [_("Due"), report.deadline])
    append_row(sheet, [_("Signed by"), report.signer_name])
    append_row(sheet, [_("Submitted"), _naive(report.submitted_at)])
    marks = []
    if report.auto_submitted:
        marks.append(_("Submitted automatically"))
    if report.is_late:
        marks.append(_("Submitted late"))
    append_row(sheet, [_("Marks"), "、".join(str(m) for m in marks)])
    if report.correction_reason:
        append_row(sheet, [_("Reason for the new version"), report.correction_reason])

    heading(_("Totals"))
    for item in tables["totals"]:
        append_row(sheet, [str(item["label"]), item["value"]])
    append_row(sheet, [_("Rectification rate"), tables["rate"] if tables["rate"] is not None else ""])
    if tables["rate"] is not None:
        sheet.cell(row=sheet.max_row, column=2).number_format = "0.0%"

    header = [""] + [str(c) for c in tables["columns"]]
    for name, key in ((_("By category"), "by_category"), (_("By grade"), "by_grade"), (_("By risk level"), "by_level")):
        heading(name)
        append_row(sheet, header)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in tables[key]:
            append_row(sheet, [row["label"], *row["values"]])

    heading(_("Major hazards"))
    append_row(sheet, [_("Number"), _("Title"), _("Grid unit"), _("State"), _("Listed supervision")])
    for major in tables["majors"]:
        append_row(
            sheet,
            [
                major["number"],
                major["title"],
                major["unit"],
                major.get("state_display", major["state"]),
                _("Yes") if major.get("supervised") else "",
            ],
        )

    if tables["children"] is not None:
        heading(_("Tier-3 units"))
        append_row(
            sheet,
            [
                _("Grid unit"),
                _("Code"),
                str(METRIC_LABELS["new"]),
                str(METRIC_LABELS["closed"]),
                str(METRIC_LABELS["open_end"]),
                _("No new hazard this month"),
                _("Reported"),
            ],
        )
        for child in tables["children"]:
            reported = child.get("reported")
            append_row(
                sheet,
                [
                    child["name"],
                    child["code"],
                    child["new"],
                    child["closed"],
                    child["open_end"],
                    _("Yes") if child["found_nothing"] else "",
                    "" if reported is None else (_("Yes") if reported else _("No")),
                ],
            )

    if report.annotation:
        heading(_("Notes of the unit"))
        append_row(sheet, [report.annotation])
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 26
    for letter in "BCDEFG":
        sheet.column_dimensions[letter].width = 14
    return workbook


def matrix_workbook(parent: GridUnit, rows: list[dict], months: list[datetime.date]):
    """Children × months, each cell the status label on its colour; a legend under the table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Reporting matrix")[:31]
    append_row(sheet, [_("%(unit)s: monthly reports of the units below") % {"unit": parent.name}])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    append_row(sheet, [_("Grid unit"), *[month.strftime("%Y-%m") for month in months]])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    fills = {
        key: PatternFill("solid", start_color=colour, end_color=colour) for key, (_label, colour) in STATUSES.items()
    }
    for row in rows:
        append_row(sheet, [row["unit"].name, *[str(STATUSES[cell["status"]][0]) for cell in row["cells"]]])
        for index, cell in enumerate(row["cells"], start=2):
            target = sheet.cell(row=sheet.max_row, column=index)
            target.fill = fills[cell["status"]]
            target.alignment = Alignment(horizontal="center")
    append_row(sheet, [])
    append_row(sheet, [_("Legend")])
    for key, (label, _colour) in STATUSES.items():
        append_row(sheet, ["", str(label)])
        sheet.cell(row=sheet.max_row, column=2).fill = fills[key]
    sheet.column_dimensions["A"].width = 24
    for index in range(2, len(months) + 2):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = 14
    return workbook
