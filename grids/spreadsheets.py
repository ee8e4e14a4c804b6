"""Every spreadsheet and CSV the site writes goes through here, so user text stays text.

A spreadsheet program runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some, a
tab or carriage return) as a formula: a village officer who names a hazard ``=HYPERLINK(...)``
would otherwise plant a live formula in the county's export (CSV or formula injection, OWASP).

- ``.xlsx`` (openpyxl): every string is written as a string cell — one that begins with a
  trigger (or reads like an error code) as a cell with ``data_type = "s"``, which openpyxl would
  otherwise turn into a formula for ``=``, and Excel's quote prefix, so it stays text even after
  someone edits the cell; other text openpyxl already stores as a string.
- CSV: a string that begins with a trigger is prefixed with a single quote, as OWASP advises;
  ``csv_unescape`` takes it off again when our own import reads the file back.

Numbers, dates and booleans are written as they are.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def _as_text(value: Any) -> Any:
    """Lazy translations become plain strings; everything else is returned unchanged."""
    return str(value) if isinstance(value, Promise) else value


def cell(sheet, value: Any):
    """What to hand ``sheet.append`` (normal or write-only sheet) for ``value``: the value itself
    when openpyxl stores it as it is (numbers, dates, ordinary text), else a string cell — for text
    that openpyxl would store as a formula (``=…``) or an error (``#N/A``), or that a spreadsheet
    program would run (``+ - @``, tab, CR), with Excel's quote prefix."""
    from openpyxl.cell.cell import ERROR_CODES, Cell

    value = _as_text(value)
    if isinstance(value, str):
        if not is_formula_like(value) and value not in ERROR_CODES:
            return value  # openpyxl writes it as a string cell already
        target = Cell(sheet, row=1, column=1)  # append() sets the real position
        target.value = value
        target.data_type = "s"  # openpyxl would make "=..." a formula and "#N/A" an error
        target.quotePrefix = True  # Excel keeps it text even when the cell is edited
        return target
    if value is None or isinstance(
        value, (bool, int, float, Decimal, datetime.date, datetime.time, datetime.timedelta)
    ):
        return value
    return cell(sheet, str(value))


def append_row(sheet, values: Iterable[Any]) -> None:
    """``sheet.append(values)`` with every string written as text (works on write-only sheets)."""
    sheet.append([cell(sheet, value) for value in values])


def csv_value(value: Any) -> Any:
    """A value for ``csv.writer``: a string that begins with a formula trigger gets a ``'`` prefix."""
    value = _as_text(value)
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def write_csv_row(writer, values: Iterable[Any]) -> None:
    """``writer.writerow(values)`` with formula-like strings escaped."""
    writer.writerow([csv_value(value) for value in values])


def write_csv_rows(writer, rows: Iterable[Iterable[Any]]) -> None:
    for row in rows:
        write_csv_row(writer, row)


def csv_unescape(text: str) -> str:
    """Undo ``csv_value`` for a cell read back from one of our CSV files."""
    if text.startswith("'") and is_formula_like(text[1:]):
        return text[1:]
    return text


# --- laid out to read and to print: every .xlsx the site sends ----------------------------------

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMN_MIN_WIDTH, COLUMN_MAX_WIDTH = 8, 60
MAX_ROW = 1048576  # Excel's last row: the filter of a streamed sheet covers the whole columns


def text_width(value: Any) -> int:
    """Columns a value takes in a spreadsheet: a CJK or full-width character counts two."""
    import unicodedata

    text = value if isinstance(value, str) else ("" if value is None else str(_as_text(value)))
    longest = max(text.splitlines() or [""], key=len)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def _print_layout(sheet, columns: int) -> str:
    from openpyxl.utils import get_column_letter

    last = get_column_letter(max(columns, 1))
    sheet.freeze_panes = "A2"  # the header stays in view
    sheet.print_title_rows = "1:1"  # and on every printed page
    sheet.page_setup.orientation = "landscape" if columns > 6 else "portrait"
    sheet.page_setup.paperSize = 9  # A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0  # one page wide, as long as it takes
    sheet.print_options.gridLines = True
    return last


def _width(width: int) -> float:
    return float(min(max(width + 2, COLUMN_MIN_WIDTH), COLUMN_MAX_WIDTH))


def start_table(sheet, headers: Iterable[Any], *, widths: Iterable[int] | None = None) -> None:
    """The header row of a streamed (write-only) sheet, with the layout set before any row is
    written: column widths (from ``widths``, else from the header texts), the header frozen and
    repeated on each printed page, an auto-filter, landscape A4 one page wide."""
    from openpyxl.utils import get_column_letter

    headers = [_as_text(h) for h in headers]
    widths = list(widths) if widths is not None else [max(text_width(h), 10) for h in headers]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(width)
    last = _print_layout(sheet, len(headers))
    sheet.auto_filter.ref = f"A1:{last}{MAX_ROW}"
    append_row(sheet, headers)


def lay_out(sheet) -> None:
    """A sheet already written (not write-only): each column as wide as its longest text (CJK
    counted double, within limits), the first row frozen and repeated when printed, an auto-filter
    over the table, landscape A4 one page wide."""
    from openpyxl.styles import Font

    if not sheet.max_row or sheet.max_row < 1:
        return
    widths: dict[str, int] = {}
    for row in sheet.iter_rows():
        for item in row:
            if item.value is not None:
                widths[item.column_letter] = max(widths.get(item.column_letter, 0), text_width(item.value))
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = _width(width)
    last = _print_layout(sheet, sheet.max_column)
    if sheet.max_row > 1:
        sheet.auto_filter.ref = f"A1:{last}{sheet.max_row}"
    for item in sheet[1]:
        item.font = Font(bold=True)


def attachment(filename: str) -> str:
    """A Content-Disposition for a download named ``filename`` (Chinese allowed): RFC 6266 with
    the RFC 5987 ``filename*`` that browsers use, and an ASCII fallback for the rest."""
    from urllib.parse import quote

    fallback = filename.encode("ascii", "ignore").decode().strip(" -_") or "download"
    if "." in filename and "." not in fallback:
        fallback += filename[filename.rindex(".") :]
    fallback = fallback.replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def export_name(title: str, unit_name: str = "", day: datetime.date | None = None, *, ext: str = "xlsx") -> str:
    """``隐患台账-凌云县-2026年12月.xlsx``: what it is, for which unit, and when."""
    from django.utils.translation import gettext as _

    parts = [str(title)]
    if unit_name:
        parts.append(unit_name)
    if day is not None:
        parts.append(_("%(year)d-%(month)02d") % {"year": day.year, "month": day.month})
    name = "-".join(part.replace("/", "_").replace("\\", "_") for part in parts)
    return f"{name}.{ext}"


def scope_export_name(user, title: str, day: datetime.date | None = None, *, ext: str = "xlsx") -> str:
    """``export_name`` for the person's outermost unit (``物资台账-凌云县-2026年12月.xlsx``)."""
    from grids.scope import scope_for

    top = scope_for(user).top_units().order_by("level", "code").first()
    return export_name(title, top.name if top else "", day, ext=ext)


def xlsx_response(workbook, filename: str):
    """The workbook as a download named ``filename``: every sheet that is not write-only laid out
    (``lay_out``; streamed sheets are laid out by ``start_table``)."""
    import io

    from django.http import HttpResponse

    for sheet in workbook.worksheets:
        if hasattr(sheet, "iter_rows"):
            lay_out(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment(filename)
    return response
