"""Test data for the evacuation lists: a village's workbook, made like a village officer's Excel
file, and imported through the service (no side doors)."""

from __future__ import annotations

from plans import services
from plans.services.evacuation_import import HOUSEHOLD_SHEET, SHELTER_SHEET, ZONE_SHEET

ZONES = [["山洪", "沟口", "沟口低洼处", "0776-7000001"], ["地质灾害", "屯后滑坡", "", ""]]
SHELTERS = [["小学", "10", "村小学", "106.45", "24.25", "覃校长", "13800000001", "饮用水", "开放"]]


def household(head="韦一", address="一组1号", category="山洪", zone="沟口", persons="4", vulnerable="1",
              notes="85岁老人卧床", shelter="小学", phone="13900000001") -> list:  # fmt: skip
    return [head, address, category, zone, phone, persons, vulnerable, notes, "岑干部", "13800000009",
            "沿村道向东500米", shelter, "铜锣"]  # fmt: skip


HOUSEHOLDS = [household(), household("韦二", "一组2号", persons="3", vulnerable="0", notes=""),
              household("陆三", "二组1号", "地质灾害", "屯后滑坡", persons="5", vulnerable="2", notes="孕妇1人、残疾人1人")]  # fmt: skip


def workbook(zones=None, shelters=None, households=None) -> bytes:
    return services.write_workbook(
        {
            ZONE_SHEET: ZONES if zones is None else zones,
            SHELTER_SHEET: SHELTERS if shelters is None else shelters,
            HOUSEHOLD_SHEET: HOUSEHOLDS if households is None else households,
        }
    )


def import_list(world, *, unit=None, by=None, data=None, **sheets):
    result = services.evacuation_import(
        by=by or world.village_officer_a,
        unit=unit or world.village_a,
        data=data if data is not None else workbook(**sheets),
        filename="名单.xlsx",
    )
    assert result.ok, [str(e) for e in result.errors]
    return result
