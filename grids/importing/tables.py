"""Writing spreadsheets: the template of each dataset and the exports of units and people."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from grids.importing.reading import COLUMNS, LABEL_BY_KIND, LABEL_BY_ROLE
from grids.models import GridUnit, Membership
from grids.spreadsheets import append_row, write_csv_row, write_csv_rows


def unit_rows(units: Iterable[GridUnit]) -> Iterator[list]:
    for unit in units:
        point = (unit.location or {}).get("coordinates") or ["", ""]
        yield [
            unit.code,
            unit.name,
            LABEL_BY_KIND.get(unit.kind, unit.kind),
            unit.parent_code or "",
            unit.credit_code,
            unit.population if unit.population is not None else "",
            unit.households if unit.households is not None else "",
            point[0],
            point[1],
            unit.address,
            "启用" if unit.is_active else "停用",
        ]


def people_rows(memberships: Iterable[Membership]) -> Iterator[list]:
    for m in memberships:
        user = m.user
        yield [
            user.mobile,
            user.real_name,
            user.position,
            user.department.name if user.department_id else "",
            m.unit.code,
            LABEL_BY_ROLE[m.role],
        ]


TEMPLATE_EXAMPLES = {
    "units": [
        ["451027", "凌云县", "县", "", "", "", "", "106.56", "24.35", "", "启用"],
        ["451027100000", "泗城镇", "镇", "451027", "", "", "", "", "", "", "启用"],
        ["451027100201", "陇雅村", "村", "451027100000", "", "1260", "315", "106.55", "24.36", "", "启用"],
        ["451027-GY01", "凌云工业园区", "工业园区", "451027", "", "", "", "", "", "", "启用"],
        [
            "451027-GY01-001",
            "凌云茶业有限公司",
            "企业",
            "451027-GY01",
            "91451027MA5KX00007",
            "",
            "",
            "",
            "",
            "",
            "启用",
        ],
    ],
    "people": [
        ["13807760001", "黄明", "村党支部书记", "", "451027100201", "网格长"],
        ["13807760002", "陆芳", "村委委员", "", "451027100201", "网格管理员"],
        ["13807760002", "陆芳", "村委委员", "", "451027100201", "信息员"],
    ],
}


def headers(dataset: str) -> list[str]:
    return [title for _f, title, _a in COLUMNS[dataset]]


def write_table(dataset: str, rows: Iterable[list], fmt: str) -> bytes:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        write_csv_row(writer, headers(dataset))
        write_csv_rows(writer, rows)
        return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet({"units": "网格", "people": "人员"}[dataset])
    append_row(sheet, headers(dataset))
    for row in rows:
        append_row(sheet, row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
