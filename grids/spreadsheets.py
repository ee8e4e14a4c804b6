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
