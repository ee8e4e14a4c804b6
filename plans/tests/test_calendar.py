"""The compliance calendar (/plans/calendar/), the clock panel of the plan page, the clock forms,
and the clocks' API: colours with text labels, scope, and queries that do not grow with the rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from grids.rules import Kind
from grids.tests.factories import credit_code, make_unit
from plans import services
from plans.models import PlanDrill, RevisionTrigger
from plans.tests.clock_factories import days_ago, leader, live_plan

pytestmark = pytest.mark.django_db

OVERDUE_SINCE = 3 * 365 + 20
SOON_SINCE = 350


@pytest.fixture
def plans(world):
    town = live_plan(world, since=days_ago(OVERDUE_SINCE), title="泗城镇总体预案")
    village = live_plan(world, unit=world.village_a, code="village", title="陇雅村预案", since=days_ago(SOON_SINCE))
    other = live_plan(world, unit=world.other_township, title="逻楼镇总体预案")
    services.trigger_raise_by_hand(plan=village, by=leader(world.village_a), case="risks", note="新增地灾隐患点")
    return town, village, other


def test_the_calendar_colours_each_clock_with_a_text_label(world, plans, client_for):
    body = client_for(world.county_dispatcher).get(reverse("plans:calendar")).content.decode()
    assert "预案合规日历" in body
    assert "clock-overdue" in body and "已逾期" in body
    assert "clock-due_soon" in body and "30 天内到期" in body
    assert "clock-ok" in body and "正常" in body
    assert "面临的风险发生重大变化" in body  # the open trigger
    assert body.index("泗城镇总体预案") < body.index("逻楼镇总体预案")  # overdue first


def test_a_township_sees_its_villages_not_another_township(world, plans, client_for):
    body = client_for(world.township_officer).get(reverse("plans:calendar")).content.decode()
    assert "泗城镇总体预案" in body and "陇雅村预案" in body and "逻楼镇总体预案" not in body
    body = client_for(world.village_officer_b).get(reverse("plans:calendar")).content.decode()
    assert "陇雅村预案" not in body and "泗城镇总体预案" not in body


def test_the_rollup_counts_per_township_and_links_down(world, plans, client_for):
    client = client_for(world.county_dispatcher)
    body = client.get(reverse("plans:calendar")).content.decode()
    assert reverse("plans:calendar_unit", args=[world.township.pk]) in body
    assert reverse("plans:calendar_unit", args=[world.other_township.pk]) in body
    unit_page = client.get(reverse("plans:calendar_unit", args=[world.township.pk])).content.decode()
    assert "泗城镇总体预案" in unit_page and "逻楼镇总体预案" not in unit_page
    from plans.selectors import calendar_rows, rollup

    groups = {g.unit.pk: g for g in rollup(world.county_dispatcher, calendar_rows(world.county_dispatcher))}
    sicheng = groups[world.township.pk]
    assert (sicheng.plans, sicheng.triggers) == (2, 1)
    assert sicheng.counts["evaluation"] == {"overdue": 1, "due_soon": 0}
    assert sicheng.counts["drill"] == {"overdue": 1, "due_soon": 1}
    assert groups[world.other_township.pk].counts["drill"] == {"overdue": 0, "due_soon": 0}


def test_another_townships_unit_calendar_is_not_found(world, plans, client_for):
    response = client_for(world.township_officer).get(reverse("plans:calendar_unit", args=[world.other_township.pk]))
    assert response.status_code == 404


def _grow(world, count):
    for n in range(count):
        unit = make_unit(
            world.park, Kind.ENTERPRISE, f"451027-GY01-3{n:02d}", f"园区企业{n}", credit_code=credit_code(60 + n)
        )
        plan = live_plan(world, unit=unit, code="enterprise-onsite", title=f"企业{n}现场处置方案", since=days_ago(170))
        services.trigger_raise_by_hand(plan=plan, by=leader(unit), case="units", note="更名")


def test_the_calendar_costs_the_same_queries_for_more_plans_and_units(world, plans, client_for):
    client = client_for(world.county_dispatcher)
    client.get(reverse("plans:calendar"))  # warm the session and the scope
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("plans:calendar")).status_code == 200
    _grow(world, 5)
    with CaptureQueriesContext(connection) as large:
        body = client.get(reverse("plans:calendar")).content.decode()
    assert "企业4现场处置方案" in body
    assert len(large) == len(small)


def test_the_plan_page_shows_the_clocks_and_open_triggers(world, plans, client_for):
    _town, village, _other = plans
    body = client_for(leader(world.village_a)).get(reverse("plans:detail", args=[village.pk])).content.decode()
    assert "评估、演练与修订情形" in body and "面临的风险发生重大变化" in body and "新增地灾隐患点" in body
    assert "登记演练" in body  # the owner's forms


def test_the_clock_forms_record_and_refuse(world, plans, client_for):
    town, _village, _other = plans
    client = client_for(world.township_officer)
    url = reverse("plans:clock_record", args=[town.pk, "drill"])
    response = client.post(url, {"held_on": days_ago(1).isoformat(), "note": "<script>alert(1)</script>"})
    assert response.status_code == 302
    drill = PlanDrill.objects.get(plan=town)
    body = client.get(reverse("plans:detail", args=[town.pk])).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    response = client.post(url, {"held_on": days_ago(-3).isoformat()}, follow=True)
    assert "日期不能晚于今天" in response.content.decode()
    assert PlanDrill.objects.filter(plan=town).count() == 1 and drill.plan_problem is False
    client.post(reverse("plans:clock_record", args=[town.pk, "trigger"]), {"case": "laws", "note": "新法施行"})
    assert RevisionTrigger.objects.filter(plan=town, case="laws").exists()
    client.post(
        reverse("plans:clock_record", args=[town.pk, "evaluation"]),
        {"held_on": days_ago(2).isoformat(), "evaluated_by": "县应急局", "conclusion": "基本适用"},
    )
    assert town.evaluations.count() == 1
    assert client_for(world.department_officer).post(url, {"held_on": days_ago(1).isoformat()}).status_code == 403


def test_a_minor_revision_is_issued_into_force_from_the_page(world, client_for):
    from plans.models import PlanDocument
    from plans.tests.factories import pdf

    plan = live_plan(world)
    version = services.version_open_revision(plan=plan, by=world.township_officer, summary="更新通讯录")
    services.document_add(
        version=version, by=world.township_officer, kind=PlanDocument.Kind.OFFICIAL_TEXT, upload=pdf()
    )
    client = client_for(world.township_leader)
    assert "印发并直接生效" in client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    client.post(reverse("plans:version_into_force", args=[version.pk]))
    version.refresh_from_db()
    assert version.state == "in_force"


def test_the_revision_form_records_what_it_touches(world, client_for):
    plan = live_plan(world)
    client = client_for(world.township_officer)
    client.post(
        reverse("plans:act", args=[plan.current_version_id, "open_revision"]),
        {"summary": "机构调整", "touches_command": "on"},
    )
    version = plan.versions.get(number=2)
    assert (version.touches_command, version.touches_procedure, version.touches_grading) == (True, False, False)


# --- the API -------------------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_calendar_and_triggers_keep_to_scope(world, plans):
    town, village, other = plans
    rows = api(world.township_officer).get("/api/v1/plan-calendar/").json()
    assert {row["plan"] for row in rows} == {town.pk, village.pk}
    town_row = next(row for row in rows if row["plan"] == town.pk)
    assert (town_row["evaluation_status"], town_row["drill_status"]) == ("overdue", "overdue")
    assert api(world.township_officer).get(f"/api/v1/plan-calendar/?unit={world.other_township.pk}").status_code == 404
    triggers = api(world.township_officer).get("/api/v1/revision-triggers/?open=1").json()
    items = triggers["results"] if isinstance(triggers, dict) else triggers
    assert [t["plan"] for t in items] == [village.pk]
    assert api(world.village_officer_b).get(f"/api/v1/revision-triggers/{items[0]['id']}/").status_code == 404


def test_the_api_raises_a_trigger_and_records_a_drill_and_an_evaluation(world, plans):
    town, _village, other = plans
    client = api(world.township_officer)
    response = client.post("/api/v1/revision-triggers/", {"plan": town.pk, "case": "resources", "note": "物资库搬迁"})
    assert response.status_code == 201, response.content
    response = client.post("/api/v1/plan-drills/", {"plan": town.pk, "held_on": days_ago(1).isoformat(),
                                                    "plan_problem": True, "note": "通讯中断"}, format="json")  # fmt: skip
    assert response.status_code == 201, response.content
    assert RevisionTrigger.objects.filter(plan=town, source="drill").exists()
    response = client.post("/api/v1/plan-evaluations/", {"plan": town.pk, "held_on": days_ago(1).isoformat(),
                                                         "evaluated_by": "第三方", "conclusion": "适用"})  # fmt: skip
    assert response.status_code == 201, response.content
    assert (
        client.post("/api/v1/plan-drills/", {"plan": other.pk, "held_on": days_ago(1).isoformat()}).status_code == 400
    )
    refused = api(world.department_officer).post(
        "/api/v1/revision-triggers/", {"plan": town.pk, "case": "risks", "note": "x"}
    )
    assert refused.status_code == 403
    future = client.post("/api/v1/plan-drills/", {"plan": town.pk, "held_on": days_ago(-2).isoformat()})
    assert future.status_code == 400 and "日期" in future.content.decode()
