"""Changes to the evacuation lists (转移避险): a shelter opened or closed, a zone's boundary drawn;
the village's workbook written (export and template). The import is ``evacuation_import``.
Each change runs in a transaction, locks its row and checks the right through ``plans.access``."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from grids import rules
from grids.models import GridUnit, User
from grids.spreadsheets import append_row, start_table
from plans import access
from plans.models import DangerZone, Household, Shelter
from plans.services.evacuation_import import (
    HELP_SHEET,
    HOUSEHOLD_COLUMNS,
    HOUSEHOLD_SHEET,
    SHELTER_COLUMNS,
    SHELTER_SHEET,
    ZONE_COLUMNS,
    ZONE_SHEET,
    shelter_label,
)


def shelter_set_open(*, shelter: Shelter, by: User, is_open: bool) -> Shelter:
    """Open or close a shelter (避灾安置点); the change is kept in its history."""
    with transaction.atomic():
        shelter = Shelter.objects.select_for_update(of=("self",)).select_related("unit").get(pk=shelter.pk)
        if not access.may_edit_evacuation(by, shelter.unit):
            raise PermissionDenied(_("Only the shelter's own unit and its township may open or close it."))
        if shelter.is_open != is_open:
            shelter.is_open = is_open
            shelter._change_reason = pgettext("shelter", "opened") if is_open else pgettext("shelter", "closed")
            shelter.save(update_fields=["is_open"])
    return shelter


def zone_set_boundary(*, zone: DangerZone, by: User, boundary: dict | None) -> DangerZone:
    """Draw (or clear) a danger zone's polygon: GeoJSON Polygon or MultiPolygon, as a unit's boundary."""
    try:
        rules.check_geometry(boundary, allowed=("Polygon", "MultiPolygon"))
    except ValidationError as exc:
        raise ValidationError({"boundary": exc.messages}) from None
    with transaction.atomic():
        zone = DangerZone.objects.select_for_update(of=("self",)).select_related("unit").get(pk=zone.pk)
        if not access.may_edit_evacuation(by, zone.unit):
            raise PermissionDenied(_("Only the village's own people and its township may change its evacuation list."))
        zone.boundary = boundary
        zone.save(update_fields=["boundary"])
    return zone


# --- the workbook -----------------------------------------------------------------------------------

# One documented example row per sheet: what the downloadable template shows.
TEMPLATE_EXAMPLES = {
    ZONE_SHEET: [["山洪", "示例屯山洪沟口", "沟口两侧低洼处，涉及8户", "0776-1234567"]],
    SHELTER_SHEET: [
        [
            "示例小学安置点",
            "120",
            "示例村小学操场",
            "106.56",
            "24.35",
            "张示例",
            "13800000001",
            "饮用水、棉被、应急照明",
            "开放",
        ]
    ],  # fmt: skip
    HOUSEHOLD_SHEET: [
        [
            "李示例",
            "示例屯12号",
            "山洪",
            "示例屯山洪沟口",
            "13800000002",
            "5",
            "2",
            "80岁老人1人行动不便、孕妇1人，需专人背扶",
            "王责任",
            "13800000003",
            "沿村道向东500米至示例小学",
            "示例小学安置点",
            "敲锣、手摇报警器、村广播",
        ]
    ],  # fmt: skip
}
HELP_ROWS = [
    ["工作表", "说明"],
    [ZONE_SHEET, "每行一个危险区：灾种写系统中的灾种名称（如 山洪、地质灾害、洪涝），危险区名称在同一灾种内不重复。"],
    [SHELTER_SHEET, "本村自有的避灾安置点；容纳人数为整数；经纬度可不填；状态填 开放 或 关闭。"],
    [
        HOUSEHOLD_SHEET,
        "每行一户：灾种和危险区名称须与“危险区”表一致；人数至少1人；老弱病残孕人数不超过人数；"
        "安置点填“安置点”表中的名称，或乡镇及其他村的安置点（写成 单位名称/安置点名称）。",
    ],  # fmt: skip
    [
        "导入",
        "导入即以本文件替换本村的全部转移避险名单：文件中没有的危险区、户和安置点将被删除；"
        "任何一行有错时，全部不保存。同一文件再次导入不会改变任何内容。",
    ],  # fmt: skip
]


def _headers(columns) -> list[str]:
    return [title for _field, title, _aliases in columns]


def zone_rows(zones: Iterable[DangerZone]) -> list[list]:
    return [[z.category.name, z.name, z.description, z.duty_phone] for z in zones]


def shelter_rows(shelters: Iterable[Shelter]) -> list[list]:
    return [
        [
            s.name,
            s.capacity,
            s.place,
            "" if s.lng is None else s.lng,
            "" if s.lat is None else s.lat,
            s.manager_name,
            s.manager_phone,
            s.facilities,
            "开放" if s.is_open else "关闭",
        ]  # fmt: skip
        for s in shelters
    ]


def household_rows(households: Iterable[Household], village: GridUnit) -> list[list]:
    return [
        [
            h.head_name,
            h.address,
            h.zone.category.name,
            h.zone.name,
            h.phone,
            h.persons,
            h.vulnerable,
            h.vulnerable_notes,
            h.cadre_name,
            h.cadre_phone,
            h.route,
            shelter_label(h.shelter, village) if h.shelter_id else "",
            h.signal,
        ]  # fmt: skip
        for h in households
    ]


def write_workbook(sheets: dict[str, list[list]], *, with_help: bool = False) -> bytes:
    """The three sheets (and, for the template, the 填表说明), every string written as text."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, columns in ((ZONE_SHEET, ZONE_COLUMNS), (SHELTER_SHEET, SHELTER_COLUMNS),
                          (HOUSEHOLD_SHEET, HOUSEHOLD_COLUMNS)):  # fmt: skip
        sheet = book.create_sheet(name)
        start_table(sheet, _headers(columns))
        for row in sheets.get(name, []):
            append_row(sheet, row)
    if with_help:
        sheet = book.create_sheet(HELP_SHEET)
        for row in HELP_ROWS:
            append_row(sheet, row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    return write_workbook(TEMPLATE_EXAMPLES, with_help=True)
