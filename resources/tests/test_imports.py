"""Excel import of teams, members and experts: a good workbook is written whole (again: nothing
changes); a bad row anywhere saves nothing and is reported with its sheet and row in Chinese."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from resources.models import Expert, Team, TeamMember
from resources.services.imports import teams_import
from resources.tests import factories

TEAM = ["泗城镇民兵应急中队", "451027100000", "中队", "民兵", "防汛抗洪、森林草原灭火", "8", "", "镇武装部", "106.45",
        "24.25", "覃队长", "13907761234", ""]  # fmt: skip
MEMBER = ["泗城镇民兵应急中队", "451027100000", "黄一", "队员", "13900000001", ""]
EXPERT = ["岑海燕", "451027", "地质灾害防治", "县自然资源局", "工程师", "13907760102", "", "地质灾害", "地质灾害", ""]


def test_a_good_workbook_is_imported_and_a_second_import_changes_nothing(world):
    data = factories.workbook(teams=[TEAM], members=[MEMBER], experts=[EXPERT])
    result = teams_import(by=world.county_dispatcher, data=data, filename="队伍.xlsx")
    assert result.ok, result.errors
    team = Team.objects.get(name="泗城镇民兵应急中队")
    assert team.unit == world.township and team.kind == "squadron" and team.force == "militia"
    assert set(team.specialities.values_list("code", flat=True)) == {"flood", "forest_fire"}
    assert TeamMember.objects.get(team=team).name == "黄一"
    expert = Expert.objects.get(name="岑海燕")
    assert list(expert.hazard_categories.values_list("code", flat=True)) == ["geological"]
    again = teams_import(by=world.county_dispatcher, data=data, filename="队伍.xlsx")
    assert again.ok
    assert Team.objects.count() == 1 and TeamMember.objects.count() == 1 and Expert.objects.count() == 1


def test_a_bad_row_saves_nothing_and_says_where_in_chinese(world):
    bad_team = [*TEAM[:2], "飞行队", *TEAM[3:]]
    bad_member = ["不存在的队伍", "451027100000", "黄二", "", "", ""]
    bad_expert = [*EXPERT[:7], "火山", *EXPERT[8:]]
    data = factories.workbook(teams=[TEAM, bad_team], members=[bad_member], experts=[bad_expert])
    with translation.override("zh-hans"):
        result = teams_import(by=world.county_dispatcher, data=data, filename="队伍.xlsx")
        errors = [str(e) for e in result.errors]
    assert not result.ok
    assert len(errors) == 3
    assert any("队伍" in e and "3" in e for e in errors)
    assert any("队员" in e and "2" in e for e in errors)
    assert any("专家" in e and "火山" in e for e in errors)
    assert not Team.objects.exists() and not Expert.objects.exists()


def test_a_unit_outside_the_importers_scope_is_a_bad_row(world):
    other = [TEAM[0], "451027101000", *TEAM[2:]]  # 逻楼镇: not the township officer's
    result = teams_import(by=world.township_officer, data=factories.workbook(teams=[other]), filename="a.xlsx")
    assert not result.ok and not Team.objects.exists()


def test_not_a_workbook_is_refused(world):
    result = teams_import(by=world.county_dispatcher, data=b"not excel", filename="a.xlsx")
    assert not result.ok


def test_the_import_page_shows_the_errors_and_the_export_round_trips(world, client_for):
    client = client_for(world.county_dispatcher)
    upload = SimpleUploadedFile("a.xlsx", factories.workbook(teams=[[*TEAM[:2], "飞行队", *TEAM[3:]]]))
    response = client.post(reverse("resources:import"), {"file": upload})
    assert response.status_code == 400 and "import-errors" in response.content.decode()
    upload = SimpleUploadedFile("a.xlsx", factories.workbook(teams=[TEAM], members=[MEMBER], experts=[EXPERT]))
    assert client.post(reverse("resources:import"), {"file": upload}).status_code == 302
    exported = client.get(reverse("resources:export"))
    assert exported.status_code == 200
    result = teams_import(by=world.county_dispatcher, data=exported.content, filename="export.xlsx")
    assert result.ok, result.errors
    assert Team.objects.count() == 1 and TeamMember.objects.count() == 1


def test_a_village_officer_cannot_open_the_import_of_another_unit(world, client_for):
    client = client_for(world.department_officer)
    assert client.get(reverse("resources:import")).status_code == 403
