"""The evacuation workbook: a good import, every kind of bad row (with its sheet and row number in
Chinese, nothing saved), re-import, replacement, the export round trip, who may import."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from openpyxl import load_workbook

from plans import services
from plans.models import DangerZone, Household, Shelter
from plans.services.evacuation import household_rows, shelter_rows, zone_rows
from plans.tests.evacuation_data import HOUSEHOLDS, SHELTERS, ZONES, household, import_list, workbook

pytestmark = pytest.mark.django_db


def counts():
    return DangerZone.objects.count(), Household.objects.count(), Shelter.objects.count()


def test_a_good_workbook_makes_the_village_list(world):
    result = import_list(world)
    assert result.summary() == {"created": 6, "updated": 0, "unchanged": 0, "deleted": 0}
    zone = DangerZone.objects.get(unit=world.village_a, name="沟口")
    assert zone.category.code == "mountain_torrent" and zone.duty_phone == "0776-7000001"
    assert DangerZone.objects.get(name="屯后滑坡").category.code == "geological"  # 地质灾害 before the bracket
    first = Household.objects.get(head_name="韦一")
    assert (first.persons, first.vulnerable, first.shelter.name) == (4, 1, "小学")
    shelter = Shelter.objects.get()
    assert (shelter.capacity, shelter.lng, shelter.lat, shelter.is_open) == (10, 106.45, 24.25, True)
    assert first.history.first().history_change_reason == "导入"


def test_the_same_file_again_changes_nothing(world):
    import_list(world)
    before = Household.history.count()
    result = import_list(world)
    assert result.summary() == {"created": 0, "updated": 0, "unchanged": 6, "deleted": 0}
    assert Household.history.count() == before


def test_a_new_file_replaces_the_village_list(world):
    import_list(world)
    kept = Household.objects.get(head_name="韦一").pk
    changed = [household(persons="6"), HOUSEHOLDS[1]]
    result = import_list(world, zones=ZONES[:1], households=changed)
    assert result.deleted == 2  # 陆三 and the zone 屯后滑坡
    assert result.updated == 1
    assert Household.objects.get(head_name="韦一").pk == kept  # updated in place, its history goes on
    assert Household.objects.get(head_name="韦一").persons == 6
    assert not DangerZone.objects.filter(name="屯后滑坡").exists()


BAD_ROWS = [
    ("zones", [["台风眼", "沟口", "", ""]], "危险区", 2, "灾种"),
    ("zones", [ZONES[0], ZONES[0]], "危险区", 3, "已在第 2 行"),
    ("zones", [["山洪", "", "", ""]], "危险区", 2, "必填"),
    ("zones", [["山洪", "沟口", "", "电话abc"]], "危险区", 2, "电话号码"),
    ("zones", [["山洪", "沟" * 101, "", ""]], "危险区", 2, "最多"),
    ("shelters", [["小学", "很多", "", "", "", "覃", "138", "", ""]], "安置点", 2, "整数"),
    ("shelters", [["小学", "100001", "", "", "", "覃", "138", "", ""]], "安置点", 2, "100000"),
    ("shelters", [["小学", "10", "", "24.25", "106.45", "覃", "138", "", ""]], "安置点", 2, "中国"),
    ("shelters", [["小学", "10", "", "", "", "覃", "138", "", "半开"]], "安置点", 2, "开放"),
    ("shelters", [["小学", "10", "", "", "", "", "138", "", ""]], "安置点", 2, "必填"),
    ("households", [household(persons="0")], "转移户", 2, "1"),
    ("households", [household(persons="三")], "转移户", 2, "整数"),
    ("households", [household(persons="201")], "转移户", 2, "200"),
    ("households", [household(vulnerable="5")], "转移户", 2, "核实"),
    ("households", [household(zone="不存在")], "转移户", 2, "危险区"),
    ("households", [household(shelter="别处")], "转移户", 2, "安置点"),
    ("households", [household(phone="abc")], "转移户", 2, "电话号码"),
    ("households", [household(), household()], "转移户", 3, "已在第 2 行"),
    ("households", [household(head="")], "转移户", 2, "必填"),
]


@pytest.mark.parametrize(("sheet_arg", "rows", "sheet", "row", "words"), BAD_ROWS)
def test_a_bad_row_is_named_in_chinese_and_nothing_is_saved(world, sheet_arg, rows, sheet, row, words):
    import_list(world)  # the list before
    before = counts(), list(Household.objects.values_list("persons", flat=True).order_by("pk"))
    sheets = {sheet_arg: rows}
    result = services.evacuation_import(by=world.village_officer_a, unit=world.village_a, data=workbook(**sheets),
                                        filename="名单.xlsx")  # fmt: skip
    assert not result.ok
    messages = [str(e) for e in result.errors]
    assert any(f"「{sheet}」第 {row} 行" in m and words in m for m in messages), messages
    assert (counts(), list(Household.objects.values_list("persons", flat=True).order_by("pk"))) == before


def test_one_bad_row_among_good_ones_saves_nothing(world):
    rows = [*HOUSEHOLDS, household("覃四", "三组1号", persons="-1")]
    result = services.evacuation_import(by=world.village_officer_a, unit=world.village_a,
                                        data=workbook(households=rows), filename="a.xlsx")  # fmt: skip
    assert [(e.sheet, e.row) for e in result.errors] == [("转移户", 5)]
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"head,name\n", "a.csv", ".xlsx"),
        (b"not a zip", "a.xlsx", "无法读取"),
    ],
)
def test_a_file_that_is_not_the_workbook_is_refused(world, data, filename, words):
    result = services.evacuation_import(by=world.village_officer_a, unit=world.village_a, data=data, filename=filename)
    assert not result.ok and words in str(result.errors[0])


def test_a_workbook_without_the_sheets_is_refused(world):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["户主姓名"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = services.evacuation_import(by=world.village_officer_a, unit=world.village_a, data=buffer.getvalue(),
                                        filename="a.xlsx")  # fmt: skip
    assert "危险区" in str(result.errors[0]) and "转移户" in str(result.errors[0])


@override_settings()
def test_an_oversized_file_is_refused(world, monkeypatch):
    from grids import limits

    monkeypatch.setattr(limits, "IMPORT_MAX_BYTES", 100)
    result = services.evacuation_import(by=world.village_officer_a, unit=world.village_a, data=workbook(),
                                        filename="a.xlsx")  # fmt: skip
    assert "MB" in str(result.errors[0]) and counts() == (0, 0, 0)


def test_the_export_imports_back_to_the_same_list(world, client_for):
    import_list(world)
    response = client_for(world.village_officer_a).get(f"/plans/evacuation/units/{world.village_a.pk}/export.xlsx")
    assert response.status_code == 200
    result = services.evacuation_import(by=world.village_officer_a, unit=world.village_a, data=response.content,
                                        filename="export.xlsx")  # fmt: skip
    assert result.ok and result.summary() == {"created": 0, "updated": 0, "unchanged": 6, "deleted": 0}


def test_the_export_writes_formula_like_text_as_text(world, client_for):
    import_list(world, households=[household(head="=HYPERLINK(1)")])
    response = client_for(world.village_officer_a).get(f"/plans/evacuation/units/{world.village_a.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["转移户"]
    assert sheet["A2"].value == "=HYPERLINK(1)" and sheet["A2"].data_type == "s"


def test_the_template_documents_one_example_row_per_sheet(world, client_for):
    response = client_for(world.village_officer_a).get("/plans/evacuation/template.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["危险区", "安置点", "转移户", "填表说明"]
    assert [c.value for c in book["转移户"][1]][:4] == ["户主姓名", "门牌号或地址", "灾种", "危险区名称"]
    assert all(book[name].max_row == 2 for name in ("危险区", "安置点", "转移户"))
    # the template itself imports: its example is a valid row
    result = services.evacuation_import(by=world.village_officer_a, unit=world.village_a, data=response.content,
                                        filename="template.xlsx")  # fmt: skip
    assert result.ok, [str(e) for e in result.errors]


def test_who_may_import(world):
    with pytest.raises(PermissionDenied):
        services.evacuation_import(by=world.village_officer_b, unit=world.village_a, data=workbook(), filename="a.xlsx")
    with pytest.raises(PermissionDenied):
        services.evacuation_import(by=world.county_dispatcher, unit=world.village_a, data=workbook(), filename="a.xlsx")
    with pytest.raises(PermissionDenied):
        services.evacuation_import(
            by=world.department_officer, unit=world.village_a, data=workbook(), filename="a.xlsx"
        )
    import_list(world, by=world.township_officer)  # the township organises its villages' lists
    assert counts() == (2, 3, 1)


def test_households_may_go_to_a_shelter_of_another_village_which_then_stays(world):
    import_list(world, households=HOUSEHOLDS[:1])
    other = [household(shelter=f"{world.village_a.name}/小学")]
    import_list(world, unit=world.village_b, by=world.township_officer, zones=ZONES[:1], shelters=[], households=other)
    assert Household.objects.get(zone__unit=world.village_b).shelter.unit == world.village_a
    result = services.evacuation_import(by=world.village_officer_a, unit=world.village_a,
                                        data=workbook(shelters=[], households=[household(shelter="")]),
                                        filename="a.xlsx")  # fmt: skip
    assert not result.ok and "其他村" in str(result.errors[0])


def test_the_rows_written_are_the_rows_read(world):
    import_list(world)
    zones = list(DangerZone.objects.select_related("category").order_by("pk"))
    assert zone_rows(zones)[0][:2] == ["山洪", "沟口"]
    assert shelter_rows(Shelter.objects.all())[0][:2] == ["小学", 10]
    rows = household_rows(
        Household.objects.select_related("zone__category", "shelter__unit").order_by("pk"), world.village_a
    )
    assert rows[0][0] == "韦一" and rows[0][11] == "小学"
    assert SHELTERS[0][0] == "小学"


def test_a_township_imports_its_own_shelters_and_they_count_in_its_capacity(world, client_for):
    from plans.selectors.evacuation import township_capacity

    import_list(world)
    hall = [["镇中学", "30", "镇中学操场", "", "", "黄校长", "13800000005", "", "开放"]]
    import_list(world, unit=world.township, by=world.township_officer, zones=[], households=[], shelters=hall)
    assert Shelter.objects.get(name="镇中学").unit == world.township
    (row,), _columns = township_capacity(world.township_officer, township=world.township)
    assert (row.persons, row.capacity, row.shortfall) == (12, 40, 0)
    result = services.evacuation_import(by=world.township_officer, unit=world.township, data=workbook(shelters=hall),
                                        filename="a.xlsx")  # fmt: skip
    assert not result.ok and "乡镇只导入其自有安置点" in str(result.errors[0])
    with pytest.raises(PermissionDenied):
        services.evacuation_import(by=world.village_officer_a, unit=world.township, data=workbook(zones=[], households=[],
                                   shelters=hall), filename="a.xlsx")  # fmt: skip
    body = client_for(world.township_officer).get(f"/plans/evacuation/units/{world.township.pk}/").content.decode()
    assert "镇中学" in body
    # the village's households may go to the township's shelter: written 单位名称/安置点名称
    import_list(world, households=[household(shelter=f"{world.township.name}/镇中学")])
    assert Household.objects.get(zone__unit=world.village_a).shelter.unit == world.township
