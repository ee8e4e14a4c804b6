"""Plan coverage (横向到边、纵向到底): the required-plans rule rows, the coverage table and its export,
the gaps against the live hazard register and recent incidents, their API, their scope and their
query counts; and the printable 备案登记表."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dispatch.models import IncidentType
from dispatch.services import incidents
from grids.models import GridUnit
from grids.rules import Kind
from grids.tests.factories import make_unit
from hazards import services as hazard_services
from hazards.tests.factories import category, photo, rectifying
from hazards.tests.factories import report as report_hazard
from plans import services
from plans.models import RequiredPlan
from plans.selectors.coverage import coverage_table, hazard_gaps
from plans.tests.factories import draft, in_force, issued, kind, leader_of

pytestmark = pytest.mark.django_db


def cells(table, unit) -> dict[str, object]:
    """``{plan kind code: cell}`` of ``unit``'s row (KeyError when the unit has no row)."""
    row = next(row for group in table.groups for row in group.rows if row.unit.pk == unit.pk)
    return {cell.kind.code: cell for cell in row.cells}


def required(table, unit) -> set[str]:
    return {code for code, cell in cells(table, unit).items() if cell.required}


def gap_keys(groups) -> set[tuple[str, str, str]]:
    return {(gap.unit.name, gap.source, gap.category.code) for group in groups for gap in group.gaps}


def township_plan(world, *, categories=(), types=(), title="泗城镇突发事件应急预案"):
    return draft(world, title=title, hazard_categories=list(categories), incident_types=list(types))


def incident(world, *, years_ago: float, code="traffic", unit=None, by=None):
    by = by or world.village_officer_a
    record, _created = incidents.incident_first_report(
        by=by,
        unit=unit or world.village_a,
        type=IncidentType.objects.get(code=code),
        title="村道交通事故",
        occurred_at=timezone.now() - datetime.timedelta(days=int(365 * years_ago)),
        place="村道",
        description="两车相撞",
        reporter_phone=by.mobile,
        level=4,
    )
    return record


# --- the rule table ------------------------------------------------------------------------------


def test_every_rule_row_cites_the_rules():
    rows = list(RequiredPlan.objects.select_related("plan_kind"))
    assert rows and all("§5" in row.rule for row in rows)
    pairs = {(row.unit_kind, row.plan_kind.code, row.only_hazardous) for row in rows}
    assert {("county", "overall", False), ("county", "special", False)} <= pairs
    assert {(k, "township", False) for k in ("township", "town", "sumu", "street")} <= pairs
    assert {(k, "village", False) for k in ("village", "gacha", "community")} <= pairs
    assert {
        ("enterprise", "enterprise-comprehensive", True),
        ("enterprise", "enterprise-special", True),
        ("enterprise", "enterprise-onsite", True),
    } <= pairs


def test_each_unit_kind_requires_its_plans(world):
    community = make_unit(world.township, Kind.COMMUNITY, "451027100003", "城东社区")
    street = make_unit(world.county, Kind.STREET, "451027002000", "泗城街道")
    table = coverage_table(world.admin)
    assert required(table, world.county) == {"overall", "special"}
    assert required(table, world.township) == required(table, street) == {"township"}
    assert required(table, world.village_a) == required(table, community) == {"village"}
    with pytest.raises(StopIteration):  # an ordinary enterprise needs none of these plans: no row
        cells(table, world.enterprise)
    GridUnit.objects.filter(pk=world.enterprise.pk).update(is_hazardous=True)
    table = coverage_table(world.admin)
    assert required(table, world.enterprise) == {"enterprise-comprehensive", "enterprise-special", "enterprise-onsite"}
    assert cells(table, world.enterprise)["overall"].required is False


def test_a_row_made_inactive_requires_nothing(world):
    RequiredPlan.objects.filter(unit_kind=Kind.VILLAGE).update(is_active=False)
    assert required(coverage_table(world.admin), world.township) == {"township"}
    with pytest.raises(StopIteration):
        cells(coverage_table(world.admin), world.village_a)


def test_only_an_enterprise_is_marked_high_risk(world):
    from django.core.exceptions import ValidationError

    world.village_a.is_hazardous = True
    with pytest.raises(ValidationError) as error:
        world.village_a.full_clean()
    assert "is_hazardous" in error.value.message_dict


# --- the coverage table --------------------------------------------------------------------------


def test_a_gap_is_filled_when_a_plan_comes_into_force_and_reopened_when_withdrawn(world):
    plan = township_plan(world)
    assert cells(coverage_table(world.township_officer), world.township)["township"].gap
    issued(world, plan)  # issued, not yet in force: still a gap
    assert cells(coverage_table(world.township_officer), world.township)["township"].gap
    plan = township_plan(world, title="泗城镇综合应急预案")
    version = in_force(world, plan)
    cell = cells(coverage_table(world.township_officer), world.township)["township"]
    assert not cell.gap and [p.pk for p in cell.plans] == [plan.pk]
    services.version_open_revision(plan=plan, by=world.township_officer, summary="修订")
    assert not cells(coverage_table(world.township_officer), world.township)["township"].gap  # REVISING counts
    services.version_withdraw(version=version, by=world.township_leader, reason="机构调整")
    assert cells(coverage_table(world.township_officer), world.township)["township"].gap


def test_the_page_shows_gaps_in_red_with_text_and_plans_as_links(world, client_for):
    plan = township_plan(world)
    in_force(world, plan)
    body = client_for(world.township_officer).get(reverse("plans:coverage")).content.decode()
    assert "预案覆盖" in body
    assert f'href="{reverse("plans:detail", args=[plan.pk])}"' in body
    assert '<span class="cv-gap"' in body and "缺" in body  # the villages' plans are missing
    assert "不要求" in body
    assert world.village_a.name in body and world.village_b.name in body
    assert world.village_c.name not in body and world.other_township.name not in body


def test_a_village_sees_itself_only(world, client_for):
    body = client_for(world.village_officer_a).get(reverse("plans:coverage")).content.decode()
    assert world.village_a.name in body and world.township.name in body  # its group is headed by its township
    assert world.village_b.name not in body and world.village_c.name not in body
    table = coverage_table(world.village_officer_a)
    assert [row.unit.pk for group in table.groups for row in group.rows] == [world.village_a.pk]


def test_the_filters_keep_one_township_and_one_kind(world, client_for):
    client = client_for(world.county_dispatcher)
    body = client.get(reverse("plans:coverage"), {"township": world.other_township.pk}).content.decode()
    assert world.village_c.name in body and world.village_a.name not in body
    body = client.get(reverse("plans:coverage"), {"kind": kind("township").pk}).content.decode()
    assert world.township.name in body and world.village_a.name not in body
    assert client.get(reverse("plans:coverage"), {"township": "x" * 30, "kind": "-1"}).status_code == 200


def test_the_export_has_the_same_table_in_scope(world, client_for):
    in_force(world, township_plan(world))
    response = client_for(world.township_officer).get(reverse("plans:coverage_export"))
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("乡镇或工业园区", "网格", "网格类型")
    by_unit = {row[1]: row for row in rows[1:]}
    header = list(rows[0])
    assert by_unit[world.township.name][header.index("乡镇(街道)应急预案")] == "泗城镇突发事件应急预案"
    assert by_unit[world.village_a.name][header.index("村(社区)应急预案")] == "缺"
    assert by_unit[world.village_a.name][header.index("乡镇(街道)应急预案")] == "不要求"
    assert world.village_c.name not in by_unit


# --- coverage against the live hazard register ----------------------------------------------------


def test_an_open_hazard_with_no_plan_is_a_gap_at_its_unit_and_above(world):
    report_hazard(world, code="geological")
    assert gap_keys(hazard_gaps(world.county_dispatcher)) == {
        (world.village_a.name, "hazard", "geological"),
        (world.township.name, "hazard", "geological"),
        (world.county.name, "hazard", "geological"),
    }


def test_a_category_covered_at_the_township_covers_its_villages(world):
    report_hazard(world, code="geological")
    in_force(world, township_plan(world, categories=[category("geological")]))
    assert gap_keys(hazard_gaps(world.county_dispatcher)) == {(world.county.name, "hazard", "geological")}
    assert gap_keys(hazard_gaps(world.township_officer)) == set()
    assert gap_keys(hazard_gaps(world.village_officer_a)) == set()  # covered from above, out of its scope


def test_a_plan_at_a_sibling_does_not_cover(world):
    report_hazard(world, code="geological")
    leader = leader_of(world.village_b)
    plan = draft(world, by=leader, unit=world.village_b, code="village", title="平兰村应急预案",
                 hazard_categories=[category("geological")])  # fmt: skip
    in_force(world, plan, by=leader, leader=leader, receiver=world.township_officer)
    assert (world.village_a.name, "hazard", "geological") in gap_keys(hazard_gaps(world.township_officer))


def test_a_plan_of_another_category_does_not_cover(world):
    report_hazard(world, code="geological")
    in_force(world, township_plan(world, categories=[category("flood")]))
    assert (world.village_a.name, "hazard", "geological") in gap_keys(hazard_gaps(world.township_officer))


def test_a_closed_hazard_makes_no_gap(world):
    hazard = rectifying(world, code="geological")
    hazard = hazard_services.hazard_submit_evidence(
        hazard=hazard, by=world.village_officer_a, note="已削坡", photos=[photo()]
    )
    assert gap_keys(hazard_gaps(world.township_officer))
    hazard_services.hazard_accept(hazard=hazard, by=world.township_officer, note="验收合格")
    assert gap_keys(hazard_gaps(world.township_officer)) == set()


def test_an_incident_type_seen_in_three_years_is_a_gap_and_four_years_ago_is_not(world):
    incident(world, years_ago=4)
    assert gap_keys(hazard_gaps(world.township_officer)) == set()
    incident(world, years_ago=2.5)
    assert gap_keys(hazard_gaps(world.township_officer)) == {
        (world.village_a.name, "incident", "traffic"),
        (world.township.name, "incident", "traffic"),
    }
    in_force(world, township_plan(world, types=[IncidentType.objects.get(code="traffic")]))
    assert gap_keys(hazard_gaps(world.township_officer)) == set()


def test_the_gaps_page_lists_them_per_township_with_links(world, client_for):
    hazard = report_hazard(world, code="geological")
    report_hazard(world, by=world.county_dispatcher, unit=world.village_c, code="flood", title="河堤渗水")
    incident(world, years_ago=1)
    client = client_for(world.county_dispatcher)
    body = client.get(reverse("plans:coverage_hazards")).content.decode()
    assert f"<h2>{world.township.name}</h2>" in body and f"<h2>{world.other_township.name}</h2>" in body
    assert "缺" in body and hazard.category.name in body and "交通运输事故" in body
    link = f"{reverse('hazards:list')}?unit={world.village_a.pk}&amp;category={hazard.category_id}&amp;state=open"
    assert link in body
    assert reverse("dispatch:incident_list") + "?category=accident&amp;date_from=" in body
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert hazard.number in listed
    body = client.get(reverse("plans:coverage_hazards"), {"township": world.township.pk}).content.decode()
    assert world.other_township.name not in body.split("<h1>", 1)[1].split("</form>", 1)[1]


def test_the_gaps_keep_to_the_scope(world, client_for):
    report_hazard(world, code="geological")
    report_hazard(world, by=world.county_dispatcher, unit=world.village_c, code="flood", title="河堤渗水")
    report_hazard(world, by=world.county_dispatcher, unit=world.village_b, code="fire", title="柴草堆放")
    assert {g[0] for g in gap_keys(hazard_gaps(world.township_officer))} == {world.township.name,
                                                                            world.village_a.name, world.village_b.name}  # fmt: skip
    assert {g[0] for g in gap_keys(hazard_gaps(world.village_officer_a))} == {world.village_a.name}
    body = client_for(world.village_officer_a).get(reverse("plans:coverage_hazards")).content.decode()
    assert world.village_b.name not in body and world.village_c.name not in body


# --- the API --------------------------------------------------------------------------------------


def test_the_api_answers_rows_and_gaps_in_scope(world, client_for):
    report_hazard(world, code="geological")
    plan = township_plan(world)
    in_force(world, plan)
    client = client_for(world.township_officer)
    rows = client.get("/api/v1/plan-coverage/").json()
    by_unit = {row["unit"]: row for row in rows}
    assert set(by_unit) == {world.township.pk, world.village_a.pk, world.village_b.pk}
    township_cell = next(c for c in by_unit[world.township.pk]["cells"] if c["plan_kind"] == "township")
    assert township_cell == {"plan_kind": "township", "plan_kind_name": "乡镇(街道)应急预案",
                             "plan_kind_name_en": "Township (subdistrict) emergency plan", "required": True,
                             "gap": False, "plans": [{"id": plan.pk, "title": plan.title}]}  # fmt: skip
    assert by_unit[world.village_a.pk]["township"] == world.township.pk
    gaps = client.get("/api/v1/plan-coverage-gaps/").json()
    assert {(g["unit"], g["source"], g["category"]) for g in gaps} == {
        (world.village_a.pk, "hazard", "geological"),
        (world.township.pk, "hazard", "geological"),
    }
    assert "unit=" in gaps[0]["url"] and gaps[0]["url"].startswith("http")
    rows = client_for(world.village_officer_a).get("/api/v1/plan-coverage/", {"kind": kind("village").pk}).json()
    assert [row["unit"] for row in rows] == [world.village_a.pk]
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/plan-coverage/" in schema and "/api/v1/plan-coverage-gaps/" in schema


# --- query counts ---------------------------------------------------------------------------------


def _grow(world, first: int, count: int):
    """``count`` more villages in the township, each with a plan in force covering one category
    and an open hazard of another, and an incident."""
    for i in range(first, first + count):
        village = make_unit(world.township, Kind.VILLAGE, f"451027100{210 + i:03d}", f"新村{i}")
        village_leader = leader_of(village)
        report_hazard(world, by=village_leader, unit=village, code="flood", title=f"隐患{i}")
        report_hazard(world, by=village_leader, unit=village, code="geological", title=f"隐患{i}b")
        incident(world, years_ago=1, unit=village, by=village_leader)
        plan = draft(world, by=village_leader, unit=village, code="village", title=f"新村{i}预案",
                     hazard_categories=[category("flood")])  # fmt: skip
        in_force(world, plan, by=village_leader, leader=village_leader, receiver=world.township_officer)
    in_force(world, township_plan(world, categories=[category("fire")], title=f"泗城镇预案{first}"))


@pytest.mark.parametrize(
    "url",
    [
        "plans:coverage",
        "plans:coverage_export",
        "plans:coverage_hazards",
        "plan-coverage-list",
        "plan-coverage-gaps-list",
    ],
)
def test_the_queries_do_not_grow_with_units_plans_and_hazards(world, client_for, url):
    client = client_for(world.township_officer)
    _grow(world, 0, 1)
    client.get(reverse(url))  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(url)).status_code == 200
    _grow(world, 1, 4)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse(url))
    assert response.status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    if url == "plans:coverage":
        assert response.content.decode().count("新村") >= 5 * 2


# --- the 备案登记表 -----------------------------------------------------------------------------


def test_the_registration_form_shows_the_filing_and_its_decision(world, client_for):
    plan = township_plan(world)
    version = issued(world, plan)
    filing = services.version_file(version=version, by=world.township_officer)
    client = client_for(world.township_officer)
    detail = client.get(reverse("plans:filing_detail", args=[filing.pk])).content.decode()
    url = reverse("plans:filing_register_form", args=[filing.pk])
    assert url in detail
    body = client.get(url).content.decode()
    for text in ("应急预案备案登记表", plan.title, plan.owner_name, plan.kind.name, f"v{version.number}",
                 plan.leader_name, "预案正文", "预案.pdf", filing.receiver_name, "待审查"):  # fmt: skip
        assert text in body, text
    assert timezone.localtime(filing.filed_at).strftime("%Y-%m-%d") in body
    filing = services.filing_receipt(filing=filing, by=world.county_dispatcher)
    body = client.get(url).content.decode()
    assert filing.number in body and "已出具回执" in body and world.county_dispatcher.real_name in body


def test_the_registration_form_keeps_to_the_scope(world, client_for):
    plan = township_plan(world)
    filing = services.version_file(version=issued(world, plan), by=world.township_officer)
    url = reverse("plans:filing_register_form", args=[filing.pk])
    assert client_for(world.county_dispatcher).get(url).status_code == 200
    other = leader_of(world.other_township)
    assert client_for(other).get(url).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 404


# --- the demo step --------------------------------------------------------------------------------


def test_the_demo_step_marks_the_high_risk_enterprises_and_tells_the_gaps(world, monkeypatch):
    from types import SimpleNamespace

    from plans.demo import coverage as demo

    monkeypatch.setattr(demo, "HIGH_RISK_ENTERPRISES", ((world.enterprise.name, "测试"),))
    lines: list[str] = []
    story = SimpleNamespace(leaves=[world.village_a, world.enterprise], dispatcher=world.county_dispatcher,
                            tell=lines.append)  # fmt: skip
    demo.run(story)
    world.enterprise.refresh_from_db()
    assert world.enterprise.is_hazardous
    assert lines and "1 家高危企业" in lines[0] and "缺" in lines[0]
    assert required(coverage_table(world.admin), world.enterprise) == {
        "enterprise-comprehensive", "enterprise-special", "enterprise-onsite"
    }  # fmt: skip
