"""Import of units and people: whole-file checks, row-numbered Chinese errors, all or nothing, idempotent."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from grids.importing import import_people, import_units, write_table
from grids.models import GridUnit, ImportJob, Membership, User
from grids.tests.factories import credit_code

UNIT_HEADER = ["代码", "名称", "类型", "上级代码", "统一社会信用代码", "人口", "户数", "经度", "纬度", "地址", "状态"]
PEOPLE_HEADER = ["手机号", "姓名", "职务", "部门", "网格代码", "角色"]


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def xlsx(header, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(header, rows, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


GOOD_UNITS = [
    ["451027102000", "加尤镇", "镇", "451027", "", "", "", "", "", "", "启用"],
    ["451027102201", "加尤村", "村", "451027102000", "", "1200", "300", "106.5", "24.3", "", "启用"],
    ["451027102202", "百陇村", "村", "451027102000", "", "", "", "", "", "", ""],
    ["451027-GY01-002", "凌云建材厂", "企业", "451027-GY01", credit_code(2), "", "", "", "", "", "启用"],
]


def test_good_xlsx_creates_units_in_the_tree(world):
    result = import_units(by=world.county_dispatcher, data=xlsx(UNIT_HEADER, GOOD_UNITS), filename="u.xlsx")
    assert result.ok, result.errors
    assert result.created == 4
    town = GridUnit.objects.get(code="451027102000")
    assert town.parent == world.county
    assert sorted(u.code for u in town.get_children()) == ["451027102201", "451027102202"]
    village = GridUnit.objects.get(code="451027102201")
    assert village.location == {"type": "Point", "coordinates": [106.5, 24.3]}
    assert village.population == 1200
    # the tree stays consistent: counts computed from MPTT fields match real children
    world.county.refresh_from_db()
    assert world.county.get_descendant_count() == GridUnit.objects.filter(tree_id=world.county.tree_id).count() - 1


def test_same_file_twice_changes_nothing(world):
    data = xlsx(UNIT_HEADER, GOOD_UNITS)
    import_units(by=world.county_dispatcher, data=data, filename="u.xlsx")
    history_before = GridUnit.history.count()
    result = import_units(by=world.county_dispatcher, data=data, filename="u.xlsx")
    assert result.ok and result.created == 0 and result.updated == 0 and result.unchanged == 4
    assert GridUnit.history.count() == history_before


def test_changed_row_updates_only_that_unit(world):
    import_units(by=world.county_dispatcher, data=xlsx(UNIT_HEADER, GOOD_UNITS), filename="u.xlsx")
    rows = [list(r) for r in GOOD_UNITS]
    rows[2][1] = "百陇新村"
    result = import_units(by=world.county_dispatcher, data=xlsx(UNIT_HEADER, rows), filename="u.xlsx")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    assert GridUnit.objects.get(code="451027102202").name == "百陇新村"


def test_bad_rows_are_all_reported_with_row_numbers_and_nothing_is_saved(world):
    rows = [
        GOOD_UNITS[0],
        ["451027102201", "加尤村", "村", "451027102000", "", "", "", "", "", "", ""],
        ["451027103201", "错村", "村", "451027102000", "", "", "", "", "", "", ""],  # prefix of another township
        ["451027-GY01-003", "无码企业", "企业", "451027-GY01", "", "", "", "", "", "", ""],  # no credit code
        ["451027102203", "错位企业", "企业", "451027102000", credit_code(3), "", "", "", "", "", ""],
        ["451027102204", "某村", "村庄", "451027102000", "", "", "", "", "", "", ""],  # unknown kind
        ["451027102205", "某村", "村", "999999000000", "", "", "", "", "", "", ""],  # unknown parent
        ["451027102201", "重复", "村", "451027102000", "", "", "", "", "", "", ""],  # duplicate code
        ["451027102206", "人口错", "村", "451027102000", "", "很多", "", "", "", "", ""],
        ["451027102207", "坐标错", "村", "451027102000", "", "", "", "24.3", "106.5", "", ""],
    ]
    before = GridUnit.objects.count()
    result = import_units(by=world.county_dispatcher, data=xlsx(UNIT_HEADER, rows), filename="u.xlsx")
    assert not result.ok
    assert [e.row for e in result.errors] == [4, 5, 6, 7, 8, 9, 10, 11]
    messages = {e.row: e.message for e in result.errors}
    assert "451027102" in messages[4]  # names the prefix it must start with
    assert "统一社会信用代码" in messages[5]
    assert "工业园区" in messages[6]
    assert "村庄" in messages[7]
    assert "999999000000" in messages[8]
    assert "第 2 行" in messages[9] or "2" in messages[9]
    assert "整数" in messages[10]
    assert "经度" in messages[11] or "境外" in messages[11] or "中国" in messages[11]
    assert GridUnit.objects.count() == before


def test_import_refuses_units_outside_the_importers_scope(world):
    result = import_units(by=world.township_leader, data=xlsx(UNIT_HEADER, GOOD_UNITS), filename="u.xlsx")
    assert not result.ok
    assert {e.row for e in result.errors} == {2, 3, 4, 5}  # new township under county; enterprise in park
    assert not GridUnit.objects.filter(code="451027102000").exists()


def test_township_leader_imports_villages_under_own_township(world):
    rows = [["451027100203", "新村", "村", "451027100000", "", "", "", "", "", "", ""]]
    result = import_units(by=world.township_leader, data=xlsx(UNIT_HEADER, rows), filename="u.xlsx")
    assert result.ok and result.created == 1


def test_gbk_csv_from_chinese_excel_is_read(world):
    data = csv_bytes(UNIT_HEADER, GOOD_UNITS[:3], encoding="gb18030")
    result = import_units(by=world.county_dispatcher, data=data, filename="u.csv")
    assert result.ok and result.created == 3


def test_not_a_spreadsheet_is_refused_clearly(world):
    result = import_units(by=world.county_dispatcher, data=b"%PDF-1.4", filename="u.xlsx")
    assert not result.ok and result.errors[0].row == 0
    assert "xlsx" in result.errors[0].message
    result = import_units(by=world.county_dispatcher, data=csv_bytes(["甲", "乙"], [["1", "2"]]), filename="u.csv")
    assert "代码" in result.errors[0].message


def test_import_cannot_move_or_change_kind(world):
    rows = [
        ["451027100201", "陇雅村", "社区", "451027100000", "", "", "", "", "", "", ""],
        ["451027100202", "平兰村", "村", "451027101000", "", "", "", "", "", "", ""],
    ]
    result = import_units(by=world.county_dispatcher, data=xlsx(UNIT_HEADER, rows), filename="u.xlsx")
    assert [e.row for e in result.errors] == [2, 3]


PEOPLE = [
    ["13907760001", "黄明", "村党支部书记", "", "451027100201", "网格长"],
    ["13907760002", "陆芳", "村委委员", "", "451027100201", "网格管理员"],
    ["13907760002", "陆芳", "村委委员", "", "451027100201", "信息员"],
    ["13907760003", "岑水", "科员", "水利局", "451027", "网格员"],
]


def test_people_import_creates_people_and_roles_once(world):
    data = xlsx(PEOPLE_HEADER, PEOPLE)
    result = import_people(by=world.county_dispatcher, data=data, filename="p.xlsx")
    assert result.ok, result.errors
    assert result.created == 3
    lu = User.objects.get(mobile="13907760002")
    assert set(lu.memberships.values_list("role", flat=True)) == {"grid_manager", "information_officer"}
    assert User.objects.get(mobile="13907760003").department == world.department
    assert not lu.has_usable_password()
    memberships = Membership.objects.count()
    again = import_people(by=world.county_dispatcher, data=data, filename="p.xlsx")
    assert again.ok and again.created == 0 and again.updated == 0 and again.unchanged == 3
    assert Membership.objects.count() == memberships


def test_people_import_reports_bad_rows_and_saves_nothing(world):
    rows = [
        ["1390776000", "短号", "", "", "451027100201", "网格长"],
        ["13907760005", "", "", "", "451027100201", "网格长"],
        ["13907760006", "某人", "", "", "000000", "网格长"],
        ["13907760007", "某人", "", "", "451027100201", "组长"],
        ["13907760008", "某人", "", "不存在局", "451027100201", "网格员"],
        ["13907760009", "甲", "", "", "451027100201", "网格员"],
        ["13907760009", "乙", "", "", "451027100202", "网格员"],
    ]
    users = User.objects.count()
    result = import_people(by=world.county_dispatcher, data=xlsx(PEOPLE_HEADER, rows), filename="p.xlsx")
    assert [e.row for e in result.errors] == [2, 3, 4, 5, 6, 8]
    assert "手机" in result.errors[0].message
    assert User.objects.count() == users


def test_village_officer_cannot_assign_roles(world):
    result = import_people(by=world.village_officer_a, data=xlsx(PEOPLE_HEADER, PEOPLE[:1]), filename="p.xlsx")
    assert not result.ok


def test_upload_page_runs_the_import_through_celery(client_for, world, django_capture_on_commit_callbacks):
    client = client_for(world.county_dispatcher)
    upload = SimpleUploadedFile("units.xlsx", xlsx(UNIT_HEADER, GOOD_UNITS))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("grids:import_upload"), {"dataset": "units", "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("grids:import_job", args=[job.pk])
    assert job.status == ImportJob.Status.DONE and job.summary["created"] == 4
    page = client.get(response["Location"]).content.decode()
    assert "4" in page


def test_upload_page_shows_row_errors(client_for, world, django_capture_on_commit_callbacks):
    client = client_for(world.county_dispatcher)
    upload = SimpleUploadedFile("units.csv", csv_bytes(UNIT_HEADER, [["12", "坏", "村", "451027100000"]]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("grids:import_upload"), {"dataset": "units", "file": upload})
    assert ImportJob.objects.get().status == ImportJob.Status.REFUSED
    html = client.get(response["Location"]).content.decode()
    assert "<td>2</td>" in html and "12" in html and "http-equiv" not in html


def test_upload_refuses_wrong_file_type(client_for, world):
    client = client_for(world.county_dispatcher)
    upload = SimpleUploadedFile("units.pdf", b"%PDF")
    response = client.post(reverse("grids:import_upload"), {"dataset": "units", "file": upload})
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_import_page_is_forbidden_to_village_officers(client_for, world):
    assert client_for(world.village_officer_a).get(reverse("grids:import_upload")).status_code == 403


def test_import_job_of_another_person_is_not_found(client_for, world):
    job = ImportJob.objects.create(
        dataset="units", file="x.csv", original_name="x.csv", created_by=world.county_dispatcher
    )
    assert client_for(world.township_leader).get(reverse("grids:import_job", args=[job.pk])).status_code == 404


def test_export_is_scoped_and_reimports_unchanged(client_for, world):
    response = client_for(world.township_leader).get(reverse("grids:export", args=["units", "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == ["451027100000", "451027100201", "451027100202"]
    result = import_units(by=world.township_leader, data=response.content, filename="export.xlsx")
    assert result.ok and result.unchanged == 3 and result.created == result.updated == 0


def test_people_export_round_trips(client_for, world):
    response = client_for(world.county_dispatcher).get(reverse("grids:export", args=["people", "csv"]))
    text = response.content.decode("utf-8-sig")
    assert world.village_officer_a.mobile in text
    result = import_people(by=world.county_dispatcher, data=response.content, filename="people.csv")
    assert result.ok and result.created == 0 and result.updated == 0


def test_templates_download_and_import_cleanly_on_an_empty_site(client_for, world):
    client = client_for(world.county_dispatcher)
    for fmt in ("xlsx", "csv"):
        response = client.get(reverse("grids:import_template", args=["units", fmt]))
        assert response.status_code == 200
    assert client.get(reverse("grids:import_template", args=["nope", "xlsx"])).status_code == 404


def test_export_queries_do_not_grow_with_rows(client_for, world, django_assert_max_num_queries):
    client = client_for(world.county_dispatcher)
    with django_assert_max_num_queries(8):
        client.get(reverse("grids:export", args=["people", "xlsx"]))


def test_write_table_csv_has_bom_for_excel():
    assert write_table("units", [], "csv").startswith("\ufeff".encode())
