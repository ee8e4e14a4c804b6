"""Who may edit whom (``GridScope.may_manage_person`` / ``manageable_people``) and the people
import that follows it: a row creates or changes only people whose every role lies in the
importer's manageable subtree, never oneself; a department only from a county-tier manager."""

import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from grids.importing import import_people
from grids.models import GridUnit, Membership, Role, User
from grids.scope import scope_for
from grids.tests.factories import grant, make_person

HEADER = ["手机号", "姓名", "职务", "部门", "网格代码", "角色"]


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def township_dispatcher(world):
    person = make_person("township_dispatcher", real_name="蒙调度", mobile="13907761000")
    grant(person, world.township, Role.DISPATCHER)
    return person


@pytest.fixture
def other_township_officer(world):
    person = make_person("other_officer", real_name="班网格", position="网格员", mobile="13907761001")
    grant(person, world.other_township, Role.GRID_OFFICER)
    return person


def _both_ways(manager, person) -> bool:
    scope = scope_for(manager)
    single = scope.may_manage_person(person)
    in_list = scope.manageable_people().filter(pk=person.pk).exists()
    assert single == in_list, (manager, person)
    return single


# --- the rule -------------------------------------------------------------------------------------


def test_township_manager_manages_people_whose_roles_all_lie_in_the_township(world, township_dispatcher):
    assert _both_ways(township_dispatcher, world.village_officer_a)
    assert _both_ways(township_dispatcher, world.township_officer)


def test_a_role_in_another_township_puts_a_person_out_of_reach(world, township_dispatcher, other_township_officer):
    assert not _both_ways(township_dispatcher, other_township_officer)
    grant(world.village_officer_b, world.village_c, Role.GRID_OFFICER)
    assert not _both_ways(township_dispatcher, world.village_officer_b)
    assert _both_ways(world.county_dispatcher, world.village_officer_b)


def test_an_ended_role_elsewhere_no_longer_counts(world, township_dispatcher):
    membership = grant(world.village_officer_b, world.village_c, Role.GRID_OFFICER)
    membership.is_active = False
    membership.save()
    assert _both_ways(township_dispatcher, world.village_officer_b)


def test_nobody_manages_themselves_a_superuser_or_a_person_without_any_role(world, township_dispatcher):
    assert not _both_ways(township_dispatcher, township_dispatcher)
    assert not _both_ways(world.county_dispatcher, world.county_dispatcher)
    assert not _both_ways(world.county_dispatcher, world.admin)
    assert not _both_ways(world.county_dispatcher, world.outsider)
    assert _both_ways(world.admin, world.outsider) and _both_ways(world.admin, world.admin)


def test_department_staff_are_managed_from_their_county_only(world, township_dispatcher):
    assert _both_ways(world.county_dispatcher, world.department_officer)
    assert not _both_ways(township_dispatcher, world.department_officer)
    grant(world.department_officer, world.village_a, Role.GRID_OFFICER)
    assert not _both_ways(township_dispatcher, world.department_officer)


def test_people_without_manage_rights_manage_nobody(world):
    for persona in (world.township_officer, world.village_officer_b, world.department_officer, world.outsider):
        assert not scope_for(persona).manageable_people().exists()


def test_tree_helpers(world):
    assert set(GridUnit.objects.within(world.township)) == {world.township, world.village_a, world.village_b}
    assert world.township.contains(world.village_a) and world.township.contains(world.township)
    assert not world.township.contains(world.village_c) and not world.village_a.contains(world.township)


# --- the import -----------------------------------------------------------------------------------


def test_township_dispatcher_cannot_rewrite_a_person_of_another_township(
    world, township_dispatcher, other_township_officer
):
    rows = [
        ["13907762000", "新人", "村民", "", "451027100201", "信息员"],
        [other_township_officer.mobile, "冒名", "镇长", "", "451027100201", "网格员"],
    ]
    result = import_people(by=township_dispatcher, data=xlsx(rows), filename="p.xlsx")
    assert [e.row for e in result.errors] == [3]
    assert other_township_officer.mobile in result.errors[0].message
    assert "管辖" in result.errors[0].message or "范围" in result.errors[0].message
    other_township_officer.refresh_from_db()
    assert (other_township_officer.real_name, other_township_officer.position) == ("班网格", "网格员")
    assert not other_township_officer.memberships.filter(unit=world.village_a).exists()
    assert not User.objects.filter(mobile="13907762000").exists()  # all or nothing


def test_own_mobile_with_a_department_is_refused(world, township_dispatcher):
    rows = [[township_dispatcher.mobile, "蒙调度", "", "水利局", "451027100000", "调度员"]]
    result = import_people(by=township_dispatcher, data=xlsx(rows), filename="p.xlsx")
    assert [e.row for e in result.errors] == [2]
    assert "部门" in result.errors[0].message
    township_dispatcher.refresh_from_db()
    assert township_dispatcher.department is None


def test_even_a_county_manager_cannot_give_themselves_a_department_or_a_role(world):
    me = world.county_dispatcher
    result = import_people(
        by=me, data=xlsx([[me.mobile, "韦调度", "", "水利局", "451027", "调度员"]]), filename="p.xlsx"
    )
    assert [e.row for e in result.errors] == [2]
    result = import_people(
        by=me, data=xlsx([[me.mobile, "韦调度", "", "", "451027100201", "网格长"]]), filename="p.xlsx"
    )
    assert [e.row for e in result.errors] == [2]
    assert not me.memberships.filter(unit=world.village_a).exists()


def test_township_manager_cannot_set_a_department_for_anyone(world, township_dispatcher):
    rows = [[world.village_officer_a.mobile, "陆信息", "", "水利局", "451027100201", "信息员"]]
    result = import_people(by=township_dispatcher, data=xlsx(rows), filename="p.xlsx")
    assert [e.row for e in result.errors] == [2]
    world.village_officer_a.refresh_from_db()
    assert world.village_officer_a.department is None


def test_county_manager_sets_the_department_of_another_person(world):
    rows = [[world.village_officer_a.mobile, "陆信息", "", "水利局", "451027100201", "信息员"]]
    result = import_people(by=world.county_dispatcher, data=xlsx(rows), filename="p.xlsx")
    assert result.ok, result.errors
    world.village_officer_a.refresh_from_db()
    assert world.village_officer_a.department == world.department


def test_township_dispatcher_still_updates_and_creates_own_people(world, township_dispatcher):
    rows = [
        [world.village_officer_a.mobile, "陆信息", "村支书", "", "451027100201", "信息员"],
        [world.village_officer_b.mobile, "农信息", "", "", "451027100202", "网格员"],
        ["13907762001", "新人", "", "", "451027100202", "信息员"],
    ]
    result = import_people(by=township_dispatcher, data=xlsx(rows), filename="p.xlsx")
    assert result.ok, result.errors
    assert result.created == 1 and result.updated == 1
    world.village_officer_a.refresh_from_db()
    assert world.village_officer_a.position == "村支书"
    assert Membership.objects.filter(user=world.village_officer_b, role=Role.GRID_OFFICER).exists()


def test_giving_a_role_to_someone_out_of_reach_is_refused(world, township_dispatcher, other_township_officer):
    rows = [[other_township_officer.mobile, "班网格", "网格员", "", "451027100201", "信息员"]]
    result = import_people(by=township_dispatcher, data=xlsx(rows), filename="p.xlsx")
    assert [e.row for e in result.errors] == [2]
    assert not other_township_officer.memberships.filter(unit=world.village_a).exists()


def test_an_existing_person_without_any_role_is_taken_on_only_by_an_administrator(world, township_dispatcher):
    rows = [[world.outsider.mobile, "路人", "", "", "451027100201", "信息员"]]
    assert not import_people(by=township_dispatcher, data=xlsx(rows), filename="p.xlsx").ok
    assert import_people(by=world.admin, data=xlsx(rows), filename="p.xlsx").ok


def test_unchanged_rows_of_people_out_of_reach_pass(world, township_dispatcher, other_township_officer):
    """An export re-imported: rows that change nothing are not refused."""
    grant(other_township_officer, world.village_a, Role.INFORMATION_OFFICER)
    rows = [
        [other_township_officer.mobile, "班网格", "网格员", "", "451027100201", "信息员"],
        [township_dispatcher.mobile, "蒙调度", "", "", "451027100000", "调度员"],
    ]
    result = import_people(by=township_dispatcher, data=xlsx(rows), filename="p.xlsx")
    assert result.ok, result.errors
    assert result.unchanged == 2


def test_a_unit_of_another_county_is_answered_like_an_unknown_code(world, township_dispatcher):
    from grids.rules import Kind
    from grids.tests.factories import make_unit

    other_county = make_unit(None, Kind.COUNTY, "451028", "乐业县")
    rows = [
        ["13907762002", "甲", "", "", other_county.code, "网格员"],
        ["13907762003", "乙", "", "", "451099", "网格员"],
        ["13907762004", "丙", "", "", world.village_c.code, "网格员"],
    ]
    result = import_people(by=township_dispatcher, data=xlsx(rows), filename="p.xlsx")
    messages = {e.row: e.message for e in result.errors}
    assert set(messages) == {2, 3, 4}
    assert "乐业县" not in messages[2]
    assert messages[2].replace(other_county.code, "X") == messages[3].replace("451099", "X")
    assert "逻楼村" not in messages[4]  # the other township is not seen either
