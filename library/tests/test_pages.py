"""The library pages and API: who sees what, search by type, unit, year and text, files only
through the scope, the export, and lists whose queries do not grow with their rows."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dispatch.models import IncidentType
from hazards.models import HazardCategory
from library import services
from library.models import Case, Regulation
from library.tests import factories


def _titles(response) -> str:
    return response.content.decode()


def test_a_draft_case_stays_in_its_units_line(client_for, world):
    case = factories.case(world, by=world.village_officer_a, unit=world.village_a, title="陇雅村滑坡案例")
    for persona, status in (
        ("village_officer_a", 200), ("township_officer", 200), ("county_dispatcher", 200),
        ("department_officer", 200), ("village_officer_b", 404), ("outsider", 404),
    ):  # fmt: skip
        response = client_for(getattr(world, persona)).get(reverse("library:case_detail", args=[case.pk]))
        assert response.status_code == status, persona


def test_a_published_case_of_the_county_is_seen_by_every_township_and_village(client_for, world):
    county_case = factories.case(world, by=world.county_dispatcher, unit=world.county, title="县级典型案例")
    url = reverse("library:case_detail", args=[county_case.pk])
    assert client_for(world.village_officer_b).get(url).status_code == 404  # a draft: the county's own
    services.case_publish(case=county_case, by=world.county_dispatcher)
    town_case = factories.case(world, title="泗城镇已发布案例", publish=True)
    client = client_for(world.village_officer_b)
    assert client.get(url).status_code == 200
    assert client.get(reverse("library:case_detail", args=[town_case.pk])).status_code == 404  # not the county's
    listed = _titles(client.get(reverse("library:case_list")))
    assert "县级典型案例" in listed and "泗城镇已发布案例" not in listed
    assert client.post(reverse("library:case_edit", args=[county_case.pk])).status_code == 403


def test_a_regulation_is_seen_by_the_line_of_the_unit_keeping_it(client_for, world):
    town = factories.regulation(world, by=world.township_officer, unit=world.township, title="泗城镇防汛工作规定")
    county = factories.regulation(world, title="县应急预案管理实施细则")
    for persona, town_status in (("village_officer_a", 200), ("village_officer_b", 200), ("township_officer", 200)):
        client = client_for(getattr(world, persona))
        assert client.get(reverse("library:regulation_detail", args=[town.pk])).status_code == town_status
        assert client.get(reverse("library:regulation_detail", args=[county.pk])).status_code == 200
    other = client_for(world.county_dispatcher)
    assert other.get(reverse("library:regulation_detail", args=[town.pk])).status_code == 200
    from grids.models import Role
    from grids.tests.factories import grant, make_person

    person = make_person("village_c_officer", real_name="逻楼村干部")
    grant(person, world.village_c, Role.GRID_OFFICER)
    client = client_for(person)
    assert client.get(reverse("library:regulation_detail", args=[town.pk])).status_code == 404
    assert client.get(reverse("library:regulation_detail", args=[county.pk])).status_code == 200
    assert client.post(reverse("library:regulation_repeal", args=[county.pk])).status_code == 403


def test_files_are_served_only_through_the_scope(client_for, world):
    case = factories.case(world, by=world.village_officer_a, unit=world.village_a)
    row = services.case_attach(case=case, by=world.village_officer_a, upload=factories.pdf())
    url = reverse("library:case_file", args=[row.pk])
    response = client_for(world.township_officer).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert client_for(world.village_officer_b).get(url).status_code == 404
    regulation = factories.regulation(world, by=world.township_officer, unit=world.township)
    file_row = services.regulation_attach(regulation=regulation, by=world.township_officer, upload=factories.pdf())
    assert (
        client_for(world.village_officer_b).get(reverse("library:regulation_file", args=[file_row.pk])).status_code
        == 200
    )
    assert client_for(world.outsider).get(reverse("library:regulation_file", args=[file_row.pk])).status_code == 404
    assert not str(row.file.name).startswith("/") and "media" not in url


def test_a_bad_file_gets_a_chinese_error_and_nothing_is_saved(client_for, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = factories.case(world)
    client = client_for(world.township_officer)
    response = client.post(
        reverse("library:case_attach", args=[case.pk]), {"file": SimpleUploadedFile("a.pdf", b"MZ\x90")}, follow=True
    )
    assert "只能" in response.content.decode() or "PDF" in response.content.decode()
    assert not case.attachments.exists()


def test_search_by_type_unit_year_and_text(client_for, world):
    traffic, fire = IncidentType.objects.get(code="traffic"), IncidentType.objects.get(code="fire")
    this_year = timezone.localdate().replace(month=1, day=1)
    factories.case(world, title="甲交通案例", incident_type=traffic, occurred_on=this_year, cause="急弯路段")
    factories.case(
        world, title="乙火灾案例", incident_type=fire, occurred_on=this_year.replace(year=this_year.year - 2)
    )
    factories.case(world, by=world.village_officer_a, unit=world.village_a, title="丙村级案例", incident_type=fire,
                   occurred_on=this_year)  # fmt: skip
    client = client_for(world.township_officer)

    def found(**query):
        body = _titles(client.get(reverse("library:case_list"), query))
        return {title for title in ("甲交通案例", "乙火灾案例", "丙村级案例") if title in body}

    assert found() == {"甲交通案例", "乙火灾案例", "丙村级案例"}
    assert found(type=traffic.pk) == {"甲交通案例"}
    assert found(type=fire.pk) == {"乙火灾案例", "丙村级案例"}
    assert found(year=this_year.year) == {"甲交通案例", "丙村级案例"}
    assert found(unit=world.village_a.pk) == {"丙村级案例"}
    assert found(q="急弯") == {"甲交通案例"}
    assert found(year="abc") == {"甲交通案例", "乙火灾案例", "丙村级案例"}  # a bad filter filters nothing


def test_search_by_hazard_category(client_for, world):
    category = HazardCategory.objects.filter(is_active=True).first()
    factories.case(world, title="有类别案例", hazard_categories=[category])
    factories.case(world, title="无类别案例")
    body = _titles(client_for(world.township_officer).get(reverse("library:case_list"), {"category": category.pk}))
    assert "有类别案例" in body and "无类别案例" not in body


def test_regulations_search_and_export(client_for, world):
    factories.regulation(world, title="中华人民共和国安全生产法", kind="law", number="主席令第88号")
    factories.regulation(world, title="应急物资分类及编码", kind="standard", number="GB/T 38565-2020")
    client = client_for(world.village_officer_a)
    body = _titles(client.get(reverse("library:regulation_list"), {"kind": "standard"}))
    assert "应急物资分类及编码" in body and "安全生产法" not in body
    assert "安全生产法" in _titles(client.get(reverse("library:regulation_list"), {"q": "88号"}))
    from openpyxl import load_workbook

    response = client.get(reverse("library:regulation_export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "名称" or rows[0][0] and len(rows) == 3


def test_the_case_export_has_every_part(client_for, world):
    from openpyxl import load_workbook

    factories.case(world, title="导出案例", problems="预警覆盖不全", suggestions="增设广播")
    response = client_for(world.township_officer).get(reverse("library:case_export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and "导出案例" in rows[1] and "预警覆盖不全" in rows[1] and "增设广播" in rows[1]


def test_create_edit_and_publish_through_the_pages(client_for, world):
    client = client_for(world.township_officer)
    data = {"title": "页面新增案例", "unit": world.township.pk, "occurred_on": "2020-10-01", "cause": "暴雨",
            "handling": "转移", "lessons": ""}  # fmt: skip
    response = client.post(reverse("library:case_create"), data)
    case = Case.objects.get(title="页面新增案例")
    assert response.status_code == 302 and case.state == Case.State.DRAFT
    response = client.post(reverse("library:case_publish", args=[case.pk]), follow=True)
    assert "发布前请填写" in response.content.decode()
    client.post(reverse("library:case_edit", args=[case.pk]), {**data, "lessons": "早转移"})
    client.post(reverse("library:case_publish", args=[case.pk]))
    case.refresh_from_db()
    assert case.state == Case.State.PUBLISHED and case.lessons == "早转移"
    bad = client.post(reverse("library:case_create"), {**data, "title": "", "occurred_on": "2099-01-01"})
    assert bad.status_code == 400 and Case.objects.count() == 1


def test_user_text_is_never_html(client_for, world):
    factories.case(world, title="<script>alert(1)</script>案例", lessons="<b>粗</b>")
    body = _titles(client_for(world.township_officer).get(reverse("library:case_list")))
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_replace_through_the_page_raises_the_trigger(client_for, world):
    from plans.models import RevisionTrigger
    from plans.tests import factories as plan_factories

    plan = plan_factories.draft(world)
    plan_factories.in_force(world, plan, leader=plan_factories.leader_of(world.township))
    old = factories.regulation(world, plans=[plan])
    new = factories.regulation(world, number="国办发〔2024〕5号")
    client = client_for(world.county_dispatcher)
    response = client.post(reverse("library:regulation_replace", args=[old.pk]), {"replaced_by": new.pk}, follow=True)
    assert "1 个引用它的预案" in response.content.decode()
    assert RevisionTrigger.objects.filter(plan=plan).count() == 1
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "引用本预案的法规" in page and "国办发〔2013〕101号" in page


def test_the_api_lists_and_publishes_in_scope(client_for, world):
    case = factories.case(world, by=world.village_officer_a, unit=world.village_a, title="接口案例")
    client = client_for(world.township_officer)
    listed = client.get("/api/v1/library-cases/", {"year": case.occurred_on.year}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["title"] for row in rows] == ["接口案例"]
    assert client_for(world.village_officer_b).get(f"/api/v1/library-cases/{case.pk}/").status_code == 404
    assert client_for(world.village_officer_a).post(f"/api/v1/library-cases/{case.pk}/publish/").status_code == 403
    published = client_for(world.township_officer).post(f"/api/v1/library-cases/{case.pk}/publish/")
    assert published.json().get("state") == "published", published.content.decode()
    old, new = factories.regulation(world), factories.regulation(world, number="新")
    dispatcher = client_for(world.county_dispatcher)
    answer = dispatcher.post(f"/api/v1/library-regulations/{old.pk}/replace/", {"replaced_by": new.pk})
    assert answer.status_code == 200 and answer.json() == {"plans_triggered": 0}
    assert dispatcher.post(f"/api/v1/library-regulations/{old.pk}/replace/", {"replaced_by": new.pk}).status_code == 400
    assert Regulation.objects.get(pk=old.pk).status == Regulation.Status.REPLACED


def _more(world, n: int) -> None:
    category = HazardCategory.objects.filter(is_active=True).first()
    for i in range(n):
        factories.case(world, title=f"案例{i}-{Case.objects.count()}", hazard_categories=[category],
                       incident_type=IncidentType.objects.get(code="traffic"))  # fmt: skip
        factories.regulation(world, title=f"法规{i}-{Regulation.objects.count()}")


@pytest.mark.parametrize(
    "name", ["library:case_list", "library:case_export", "library:regulation_list", "library:regulation_export"]
)
def test_queries_do_not_grow_with_rows(client_for, world, name):
    client = client_for(world.township_officer)
    url = reverse(name)
    counts = []
    for n in (2, 12):
        _more(world, n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_plan_section_costs_the_same_with_more_cases(client_for, world):
    from plans.tests import factories as plan_factories

    plan = plan_factories.draft(world)
    plan.incident_types.set([IncidentType.objects.get(code="traffic")])
    client = client_for(world.township_officer)
    url = reverse("plans:detail", args=[plan.pk])
    counts = []
    for n in (2, 10):
        _more(world, n)
        for regulation in Regulation.objects.all():
            regulation.plans.add(plan)
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).content.decode()
        counts.append(len(queries))
    assert "本预案类别的典型案例" in body and "案例0" in body
    assert counts[0] == counts[1], counts


def test_the_incident_page_offers_the_case_once_closed(client_for, world):
    incident = factories.closed_incident(world)
    client = client_for(world.township_officer)
    url = reverse("dispatch:incident_detail", args=[incident.pk])
    assert 'id="to-case"' in client.get(url).content.decode()
    response = client.post(reverse("library:case_from_incident", args=[incident.pk]))
    case = Case.objects.get(incident=incident)
    assert response.status_code == 302 and response["Location"] == reverse("library:case_detail", args=[case.pk])
    page = client.get(url).content.decode()
    assert 'id="to-case"' not in page and reverse("library:case_detail", args=[case.pk]) in page
    again = client.post(reverse("library:case_from_incident", args=[incident.pk]), follow=True)
    assert "已收入案例库" in again.content.decode() and Case.objects.count() == 1


def test_the_drill_page_offers_the_case_once_held(client_for, world):
    from drills.tests import factories as drill_factories

    drill = drill_factories.drill(world, planned_date=timezone.localdate())
    client = client_for(world.township_officer)
    url = reverse("drills:detail", args=[drill.pk])
    assert 'id="to-case"' not in client.get(url).content.decode()
    drill_factories.held(world, drill)
    assert 'id="to-case"' in client.get(url).content.decode()
    assert (
        client_for(world.village_officer_b).post(reverse("library:case_from_drill", args=[drill.pk])).status_code == 404
    )
    response = client_for(world.township_officer).post(reverse("library:case_from_drill", args=[drill.pk]))
    case = Case.objects.get(drill=drill)
    assert response["Location"] == reverse("library:case_detail", args=[case.pk])
    assert case.source == Case.Source.DRILL and case.unit == drill.unit


def test_the_schema_documents_the_library_api(tmp_path, db):
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in (
        "/api/v1/library-cases/", "/api/v1/library-cases/{id}/publish/", "/api/v1/library-regulations/",
        "/api/v1/library-regulations/{id}/replace/", "/api/v1/library-regulations/{id}/repeal/",
    ):  # fmt: skip
        assert path in schema


def test_the_history_says_who_did_each_step(client_for, world):
    case = factories.case(world, publish=True)
    body = client_for(world.township_officer).get(reverse("library:case_detail", args=[case.pk])).content.decode()
    assert body.count(world.township_officer.display_name) >= 2 and "录入" in body and "已发布" in body


def test_the_api_writes_cases_and_regulations_through_the_services(client_for, world):
    from plans.tests import factories as plan_factories

    client = client_for(world.township_officer)
    traffic = IncidentType.objects.get(code="traffic")
    made = client.post(
        "/api/v1/library-cases/",
        {"unit": world.township.pk, "title": "接口录入案例", "occurred_on": "2020-10-01", "incident_type": traffic.pk,
         "cause": "路滑"},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201 and made.json()["type"] == traffic.name
    assert client.post("/api/v1/library-cases/", {"unit": world.village_c.pk, "title": "x", "occurred_on": "2020-10-01"},
                       content_type="application/json").status_code == 404  # fmt: skip
    assert client.post("/api/v1/library-cases/", {"unit": world.township.pk, "title": "x", "occurred_on": "2099-01-01"},
                       content_type="application/json").status_code == 400  # fmt: skip
    incident = factories.closed_incident(world)
    converted = client_for(world.township_officer).post(
        "/api/v1/library-cases/from-incident/", {"incident": incident.pk}, content_type="application/json"
    )
    assert converted.status_code == 201 and converted.json()["incident"] == incident.pk
    their_plan = plan_factories.draft(
        world, unit=world.other_township, by=plan_factories.leader_of(world.other_township)
    )
    body = {"unit": world.township.pk, "title": "泗城镇防汛规定", "kind": "normative", "issuer": "泗城镇人民政府"}
    refused = client_for(world.township_officer).post(
        "/api/v1/library-regulations/", {**body, "plans": [their_plan.pk]}, content_type="application/json"
    )
    assert refused.status_code == 400 and not Regulation.objects.exists()
    added = client_for(world.township_officer).post(
        "/api/v1/library-regulations/", body, content_type="application/json"
    )
    assert added.status_code == 201 and added.json()["status"] == "in_force"
