"""Issue 11's whole flow in the browser: a township drafts its plan, records the review, its leader
issues it, it is filed; the county bureau returns it once, then issues the receipt; the calendar
shows the next evaluation and drill; a village's evacuation list is imported from Excel, its 明白卡
printed, and the township sees the shelter shortfall."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from hazards.tests.browser.test_hazard_loop import fits_the_phone, log_in_as
from plans.models import Filing, Plan, VersionState
from plans.services.clocks import add_months
from plans.tests.evacuation_data import workbook
from plans.tests.factories import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "泗城镇突发事件总体应急预案（2026年版）"
RETURN_REASON = "应急响应分级与县总体预案不衔接，请修改后重新报备。"


def seeded_world():
    seeds = (
        "grids.migrations.0002_seed_sectors",
        "hazards.migrations.0002_seed_rules",
        "dispatch.migrations.0002_seed_rules",
        "plans.migrations.0002_seed_rules",
        "plans.migrations.0004_seed_required_plans",
        "plans.migrations.0006_seed_evacuation_triggers",
        "plans.migrations.0008_seed_clock_rules",
    )
    for module in seeds:
        importlib.import_module(module).seed(apps, None)
    from grids.tests.factories import build_world

    return build_world()


def button(page, name):
    page.get_by_role("button", name=name, exact=True).click()


def test_a_township_plan_from_draft_to_receipt_and_a_village_evacuation_list(
    page, live_server, settings, tmp_path, screenshot
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    world = seeded_world()
    url = live_server.url

    # The township officer drafts the plan and attaches its text.
    log_in_as(page, live_server, world, world.township_officer)
    page.goto(f"{url}{reverse('plans:create')}")
    page.fill("#id_title", TITLE)
    page.select_option("#id_kind", label="乡镇(街道)应急预案")
    page.select_option("#id_unit", label=world.township.name)
    page.get_by_label("山洪", exact=True).check()
    page.get_by_label("地质灾害（崩塌、滑坡、泥石流）", exact=True).check()
    page.fill("#id_leader_name", "罗镇长")
    button(page, "保存")
    expect(page.locator("h1")).to_have_text(TITLE)
    page.select_option("#id_kind", value="official")
    page.set_input_files("#id_file", files=[{"name": "预案送审稿.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    button(page, "上传")
    expect(page.locator(".version").first).to_contain_text("预案送审稿.pdf")

    # Review (评审论证): sent, then the experts' opinions and their handling recorded.
    button(page, "送评审论证")
    expect(page.locator(".version .badge.state").first).to_have_text("评审论证中")
    page.fill("#id_held_on", timezone.localdate().isoformat())
    page.fill("#id_experts", "县应急管理局 黄工；县水利局 韦工")
    page.fill("#id_opinions", "补充山洪危险区转移路线")
    page.fill("#id_handling", "已采纳，附转移路线图")
    button(page, "记录评审论证")
    expect(page.locator(".version").first).to_contain_text("补充山洪危险区转移路线")

    # The township's main leader signs and issues it.
    log_in_as(page, live_server, world, world.township_leader)
    plan = Plan.objects.get(title=TITLE)
    page.goto(f"{url}{reverse('plans:detail', args=[plan.pk])}")
    page.fill("#id_issue_number", "泗政发〔2026〕12号")
    button(page, "签发印发")
    expect(page.locator(".version .badge.state").first).to_have_text("已签发")

    # The officer files it with the county bureau.
    log_in_as(page, live_server, world, world.township_officer)
    page.goto(f"{url}{reverse('plans:detail', args=[plan.pk])}")
    button(page, "报上一级备案")
    expect(page.locator(".version .badge.state").first).to_have_text("已报备案，待受理")

    # The county bureau returns it once, with its reasons.
    log_in_as(page, live_server, world, world.county_dispatcher)
    page.goto(f"{url}{reverse('plans:filings')}")
    page.get_by_role("link", name=TITLE).first.click()
    page.fill("#id_reason", RETURN_REASON)
    button(page, "退回")
    expect(page.locator(".badge.state")).to_have_text("已退回")

    # The township sees why, and files again.
    log_in_as(page, live_server, world, world.township_officer)
    page.goto(f"{url}{reverse('plans:detail', args=[plan.pk])}")
    expect(page.locator(".version").first).to_contain_text(RETURN_REASON)
    expect(page.locator(".version .badge.state").first).to_have_text("已签发")
    button(page, "报上一级备案")
    expect(page.locator(".version .badge.state").first).to_have_text("已报备案，待受理")

    # The county bureau issues the 备案回执 with its number.
    log_in_as(page, live_server, world, world.county_dispatcher)
    pending = Filing.objects.get(version__plan=plan, state=Filing.State.PENDING)
    page.goto(f"{url}{reverse('plans:filing_detail', args=[pending.pk])}")
    button(page, "出具备案回执")
    expect(page.locator(".badge.state")).to_have_text("已出具回执")
    pending.refresh_from_db()
    assert pending.number and pending.number.startswith(world.county.code)
    page.get_by_role("link", name="打印备案回执").click()
    expect(page.locator(".paper-title")).to_have_text("应急预案备案回执")
    expect(page.locator("body")).to_contain_text(pending.number)
    plan.refresh_from_db()
    assert plan.current_version.state == VersionState.IN_FORCE
    assert list(plan.versions.get().filings.values_list("state", flat=True).order_by("filed_at")) == [
        Filing.State.RETURNED,
        Filing.State.RECEIPTED,
    ]

    # The calendar shows the next evaluation (3 years) and the next drill (yearly).
    log_in_as(page, live_server, world, world.township_officer)
    page.goto(f"{url}{reverse('plans:calendar_unit', args=[world.township.pk])}")
    row = page.locator(".clock-table tr", has_text=TITLE)
    since = plan.current_version.in_force_since
    expect(row.locator("td[data-label='下次评估']")).to_contain_text(add_months(since, 36).isoformat())
    expect(row.locator("td[data-label='下次演练']")).to_contain_text(add_months(since, 12).isoformat())
    screenshot("plans-flow-calendar")

    # The village's evacuation list comes from Excel; its 明白卡 print; the township sees the shortfall.
    log_in_as(page, live_server, world, world.village_officer_a)
    page.goto(f"{url}{reverse('plans:evacuation_import', args=[world.village_a.pk])}")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "转移名单.xlsx", "mimeType": "application/octet-stream", "buffer": workbook()}],
    )
    button(page, "导入")
    expect(page.locator(".messages")).to_contain_text("名单已导入")
    page.locator("#ev-cards-link").click()
    expect(page.locator(".ev-card")).to_have_count(3)
    fits_the_phone(page)
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi, as the printer lays it out
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    boxes = page.locator(".ev-card").evaluate_all("cards => cards.map(c => c.getBoundingClientRect().toJSON())")
    assert boxes[0]["top"] == boxes[1]["top"] and boxes[1]["left"] > boxes[0]["right"]  # two cards a row
    screenshot("plans-flow-cards-print")
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 360, "height": 780})
    log_in_as(page, live_server, world, world.township_officer)
    page.goto(f"{url}{reverse('plans:evacuation')}")
    expect(page.locator("#ev-capacity .ev-short-row")).to_contain_text("安置缺口 2 人")
    screenshot("plans-flow-shortfall")
