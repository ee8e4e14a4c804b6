"""Issue 12's whole flow in the browser: the county plans a double-blind drill of a township; the
township sees nothing of it until the start; the county starts it, the township acknowledges on a
phone and the mobilisation times are recorded; the county records the drill, scores the evaluation,
and registers two findings: a plan problem that raises a revision trigger on the township's plan,
and a danger that becomes a hazard in the register; the compliance table counts the drill."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from drills.models import Drill, DrillState, Finding
from drills.tests.browser.test_drill_screens import seeded_world
from hazards.models import Hazard
from hazards.tests.browser.test_hazard_loop import fits_the_phone, log_in_as
from plans.models import RevisionTrigger
from plans.tests.factories import draft, in_force

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "泗城镇防汛双盲综合演练"
PLAN_PROBLEM = "预案未明确夜间转移的通信方式"
DANGER = "演练中发现河堤东段有渗水"


def button(page, name):
    page.get_by_role("button", name=name, exact=True).click()


def test_a_double_blind_drill_from_plan_to_findings_and_compliance(page, live_server, settings, tmp_path, screenshot):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    world = seeded_world()
    plan = draft(world, title="泗城镇突发事件总体应急预案")
    in_force(world, plan)
    url = live_server.url
    today = timezone.localdate()

    # The county plans the double-blind drill of the township, linked to the township's plan.
    log_in_as(page, live_server, world, world.county_dispatcher)
    page.goto(f"{url}{reverse('drills:create')}")
    page.fill("#id_title", TITLE)
    page.select_option("#id_organiser", label=world.county.name)
    page.select_option("#id_unit", label=world.township.name)
    page.select_option("#id_form", value="live")
    page.select_option("#id_scope", value="comprehensive")
    page.check("#id_double_blind")
    page.fill("#id_planned_date", (today + datetime.timedelta(days=3)).isoformat())
    page.fill("#id_scenario", "夜间暴雨引发山洪，转移沿河群众")
    page.get_by_label(plan.title).check()
    button(page, "保存")
    expect(page.locator("h1")).to_contain_text(TITLE)
    drill = Drill.objects.get(title=TITLE)
    assert drill.double_blind and drill.unit == world.township

    # The township sees nothing of it: not in the list, the calendar, the page or the API.
    log_in_as(page, live_server, world, world.township_officer)
    for name in ("drills:list", "drills:calendar"):
        page.goto(f"{url}{reverse(name)}")
        expect(page.get_by_text(TITLE)).to_have_count(0)
    assert page.request.get(f"{url}{reverse('drills:detail', args=[drill.pk])}").status == 404
    assert TITLE not in page.request.get(f"{url}/api/v1/drills/").text()

    # The county starts it: the alarm reaches the township, which acknowledges on its phone.
    log_in_as(page, live_server, world, world.county_dispatcher)
    page.goto(f"{url}{reverse('drills:detail', args=[drill.pk])}")
    button(page, "启动演练（发出警报）")
    times = page.locator("[data-mobilisation] td")  # alarm, acknowledged, first on scene, assembled
    expect(times.nth(0)).not_to_have_text("—")  # each click's answer has come before the next click
    log_in_as(page, live_server, world, world.township_officer)
    page.goto(f"{url}{reverse('drills:list')}")
    page.get_by_role("link", name=TITLE).click()
    for index, name in enumerate(("确认警报", "首批人员到场", "全员集结"), start=1):
        button(page, name)
        expect(times.nth(index)).not_to_have_text("—")
    fits_the_phone(page)
    screenshot("drill-flow-mobilisation-phone")
    drill.refresh_from_db()
    assert drill.alarm_sent_at <= drill.acknowledged_at <= drill.first_on_scene_at <= drill.assembled_at

    # The county records the drill held and scores the evaluation.
    log_in_as(page, live_server, world, world.county_dispatcher)
    page.goto(f"{url}{reverse('drills:detail', args=[drill.pk])}")
    page.get_by_role("link", name="填写实施记录").click()
    page.fill("#id_held_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "泗城镇河堤")
    page.fill("#id_headcount", "45")
    page.fill("#id_participants", "镇应急中队、沿河村民")
    page.fill("#id_narrative", "21:00 发出警报；21:25 转移完成")
    button(page, "保存")
    expect(page.get_by_role("link", name="评估演练")).to_be_visible()
    page.get_by_role("link", name="评估演练").click()
    scores = page.locator("input[name^=score_]")
    expect(scores.first).to_be_visible()  # the evaluation form has loaded (a click does not wait for it)
    assert scores.count() >= 3
    for index in range(scores.count()):
        scores.nth(index).fill("85")
    page.fill("#id_report", "响应迅速，夜间通信存在短板。")
    button(page, "保存")
    expect(page.locator(".messages .msg-success")).to_contain_text("评估完成")
    drill.refresh_from_db()
    assert drill.state == DrillState.EVALUATED and drill.evaluation.conclusion

    # Two findings: a plan problem raises a revision trigger on the linked plan; a danger becomes a hazard.
    page.get_by_role("link", name="登记问题").click()
    page.select_option("#id_kind", value=Finding.Kind.PLAN_PROBLEM)
    page.fill("#id_description", PLAN_PROBLEM)
    page.select_option("#id_owner_unit", label=world.township.name)
    page.fill("#id_deadline", (today + datetime.timedelta(days=30)).isoformat())
    page.select_option("#id_plan", label=plan.title)
    button(page, "保存")
    expect(page.get_by_text(PLAN_PROBLEM)).to_be_visible()
    page.get_by_role("link", name="登记问题").click()
    page.select_option("#id_kind", value=Finding.Kind.DANGER)
    page.fill("#id_description", DANGER)
    page.select_option("#id_owner_unit", label=world.village_a.name)
    page.fill("#id_deadline", (today + datetime.timedelta(days=15)).isoformat())
    page.select_option("#id_hazard_category", label="山洪")
    button(page, "保存")
    expect(page.get_by_text(DANGER)).to_be_visible()
    screenshot("drill-flow-findings")

    trigger = RevisionTrigger.objects.get(plan=plan)
    assert PLAN_PROBLEM in trigger.note
    page.goto(f"{url}{reverse('plans:detail', args=[plan.pk])}")
    expect(page.get_by_text(PLAN_PROBLEM).first).to_be_visible()  # the open trigger shows on the plan
    hazard = Hazard.objects.get(unit=world.village_a)
    assert hazard.title == DANGER and TITLE in hazard.description
    page.goto(f"{url}{reverse('hazards:detail', args=[hazard.pk])}")
    expect(page.get_by_text(DANGER).first).to_be_visible()

    # The compliance table of the township counts the drill done.
    page.goto(f"{url}{reverse('drills:compliance')}?unit={world.township.pk}&year={today.year}")
    row = page.locator("tr", has_text=world.township.name).first
    expect(row.locator("td[data-label='已完成']")).to_have_text("1")
