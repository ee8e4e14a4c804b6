"""Reading an uploaded spreadsheet: the columns of each dataset, their Chinese labels, the rows of
an .xlsx or .csv file, and the parsing of one cell (numbers, points, status words)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from grids import limits
from grids.models import GridUnit, Role
from grids.rules import Kind
from grids.spreadsheets import csv_unescape

MAX_ROWS = 50_000

# (field, Chinese header, accepted aliases). Headers stay Chinese whatever the interface language:
# the files travel between Chinese offices.
UNIT_COLUMNS = [
    ("code", "代码", ("code", "网格代码", "区划代码")),
    ("name", "名称", ("name", "网格名称")),
    ("kind", "类型", ("kind", "网格类型")),
    ("parent_code", "上级代码", ("parent_code", "上级网格代码")),
    ("credit_code", "统一社会信用代码", ("credit_code",)),
    ("population", "人口", ("population", "人口数")),
    ("households", "户数", ("households",)),
    ("longitude", "经度", ("longitude", "lng")),
    ("latitude", "纬度", ("latitude", "lat")),
    ("address", "地址", ("address",)),
    ("is_active", "状态", ("is_active", "启用")),
]
PEOPLE_COLUMNS = [
    ("mobile", "手机号", ("mobile", "手机", "手机号码")),
    ("real_name", "姓名", ("real_name", "name")),
    ("position", "职务", ("position",)),
    ("department", "部门", ("department",)),
    ("unit_code", "网格代码", ("unit_code", "代码")),
    ("role", "角色", ("role",)),
]
COLUMNS = {"units": UNIT_COLUMNS, "people": PEOPLE_COLUMNS}

KIND_BY_LABEL = {
    "县": Kind.COUNTY,
    "旗": Kind.BANNER,
    "乡": Kind.TOWNSHIP,
    "镇": Kind.TOWN,
    "苏木": Kind.SUMU,
    "街道": Kind.STREET,
    "工业园区": Kind.PARK,
    "园区": Kind.PARK,
    "村": Kind.VILLAGE,
    "嘎查": Kind.GACHA,
    "社区": Kind.COMMUNITY,
    "企业": Kind.ENTERPRISE,
}
LABEL_BY_KIND = {kind: label for label, kind in KIND_BY_LABEL.items() if label != "园区"}
ROLE_BY_LABEL = {
    "网格长": Role.GRID_LEADER,
    "副网格长": Role.DEPUTY_LEADER,
    "网格管理员": Role.GRID_MANAGER,
    "网格员": Role.GRID_OFFICER,
    "信息员": Role.INFORMATION_OFFICER,
    "调度员": Role.DISPATCHER,
}
LABEL_BY_ROLE = {role: label for label, role in ROLE_BY_LABEL.items()}
ACTIVE_WORDS = {
    "": True,
    "启用": True,
    "是": True,
    "在用": True,
    "1": True,
    "true": True,
    "停用": False,
    "否": False,
    "撤销": False,
    "0": False,
    "false": False,
}


class FileError(Exception):
    """The file as a whole cannot be read (wrong type, no header, too many rows)."""


@dataclass
class RowError:
    row: int
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "message": self.message}


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


# --- reading ------------------------------------------------------------------------------------


def read_rows(data: bytes, filename: str, dataset: str) -> list[tuple[int, dict[str, str]]]:
    """(row number as the user sees it, {field: text}) for every non-empty data row."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        table = _xlsx_rows(data)
    elif name.endswith(".csv"):
        table = _csv_rows(data)
    else:
        raise FileError(_("Upload an Excel file (.xlsx) or a CSV file (.csv)."))
    return table_rows(table, COLUMNS[dataset])


def table_rows(table: Iterator[list], columns, *, allow_empty: bool = False) -> list[tuple[int, dict[str, str]]]:
    """(row number, {field: text}) of a table whose first row is the header of ``columns``
    ((field, Chinese header, aliases); the first two are required): for another register's
    spreadsheet, one sheet at a time (``xlsx_sheets``)."""
    try:
        header = next(table)
    except StopIteration:
        raise FileError(_("The file is empty.")) from None
    fields = _match_header(header, columns)
    rows = []
    for number, values in enumerate(table, start=2):
        cells = {f: _text(values[i]) if i < len(values) else "" for i, f in fields.items()}
        if any(cells.values()):
            rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise FileError(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
    if not rows and not allow_empty:
        raise FileError(_("The file has a header but no data rows."))
    return rows


def _xlsx_rows(data: bytes) -> Iterator[list]:
    return next(iter(xlsx_sheets(data).values()))


def xlsx_sheets(data: bytes) -> dict[str, Iterator[list]]:
    """{sheet title: its rows} of an .xlsx file, in the workbook's order."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise FileError(_("This is not a readable Excel .xlsx file. Save it again as .xlsx and retry.")) from None
    return {sheet.title: (list(row) for row in sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def _csv_rows(data: bytes) -> Iterator[list]:
    # Excel in China saves CSV as GBK (GB18030); everything else as UTF-8, often with a BOM.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileError(_("The CSV file's text encoding is not UTF-8 or GBK."))
    return iter([[csv_unescape(value) for value in row] for row in csv.reader(io.StringIO(text))])


def _match_header(header: list, columns) -> dict[int, str]:
    names = [_text(cell) for cell in header]
    positions: dict[int, str] = {}
    for field_name, title, aliases in columns:
        for i, name in enumerate(names):
            if name == title or name in aliases:
                positions[i] = field_name
                break
    missing = [title for field_name, title, _aliases in columns[:2] if field_name not in positions.values()]
    if missing:
        raise FileError(
            _("The first row must be the header of the template; missing column(s): %(cols)s.")
            % {"cols": "、".join(missing)}
        )
    return positions


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def messages_text(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


def parse_count(text: str, label, field: str, model=GridUnit) -> int | None:
    """A whole number in the range of ``model``'s field ``field`` (``None`` for an empty cell)."""
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError(_("%(label)s must be a whole number, not “%(value)s”.") % {"label": label, "value": text})
    try:
        return limits.check_int(int(text), model, field)
    except ValidationError as exc:  # beyond the column: refused on its row, never a database error
        raise ValidationError(
            _("%(field)s: %(problem)s") % {"field": label, "problem": " ".join(exc.messages)}
        ) from None


def parse_point(lng: str, lat: str) -> dict | None:
    if not lng and not lat:
        return None
    try:
        x, y = float(lng), float(lat)
    except ValueError:
        raise ValidationError(
            _("Longitude and latitude must both be numbers in degrees, e.g. 106.56 and 24.35.")
        ) from None
    if not limits.is_in_china(x, y):
        raise ValidationError(
            _("The point %(lng)s, %(lat)s is outside China; check longitude and latitude are not swapped.")
            % {"lng": lng, "lat": lat}
        )
    return {"type": "Point", "coordinates": [x, y]}


def parse_active(text: str) -> bool:
    value = ACTIVE_WORDS.get(text.lower())
    if value is None:
        raise ValidationError(_("Status must be 启用 or 停用, not “%(value)s”.") % {"value": text})
    return value
