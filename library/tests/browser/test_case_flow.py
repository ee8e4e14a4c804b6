"""Done when: a closed incident becomes a case that the next consultation's briefing lists.

The township officer opens the closed incident on a phone, presses 转为案例, writes the lessons and
publishes the case; the next month's consultation is opened (the job of the 1st) and the township
leader sees the case in its briefing."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.periods import add_months, month_start
from hazards.tests.browser.test_hazard_loop import fits_the_phone, log_in_as
from library.models import Case
from library.tests import factories
from reports import services as report_services
from reports.models import Consultation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def seeded_world():
    for module in (
        "grids.migrations.0002_seed_sectors", "hazards.migrations.0002_seed_rules",
        "dispatch.migrations.0002_seed_rules", "reports.migrations.0002_seed_rules",
    ):  # fmt: skip
        importlib.import_module(module).seed(apps, None)
    from grids.tests.factories import build_world

    return build_world()


def test_a_closed_incident_becomes_a_case_the_next_briefing_lists(page, live_server, screenshot):
    world = seeded_world()
    incident = factories.closed_incident(world, title="泗城镇国道客车侧滑事故")
    log_in_as(page, live_server, world, world.township_officer)
    page.goto(f"{live_server.url}{reverse('dispatch:incident_detail', args=[incident.pk])}")
    page.get_by_role("button", name="转为案例").click()
    expect(page.locator("#case-state")).to_have_text("草稿")
    expect(page.locator("h1")).to_have_text("泗城镇国道客车侧滑事故")
    fits_the_phone(page)
    page.get_by_role("link", name="编辑").click()
    page.get_by_label("主要经验").fill("急弯路段雨天限速，警示标志前移200米")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="发布").click()
    expect(page.locator("#case-state")).to_have_text("已发布")
    expect(page.locator("#case-lessons")).to_contain_text("警示标志前移")
    fits_the_phone(page)
    screenshot("library-case-phone")
    case = Case.objects.get(incident=incident)
    assert case.state == Case.State.PUBLISHED

    next_month = add_months(month_start(timezone.localdate(incident.occurred_at)), 1)
    report_services.consultations_open(today=next_month)  # the job of the 1st
    consultation = Consultation.objects.get(unit=world.township, period_start=next_month)
    log_in_as(page, live_server, world, world.township_leader)
    page.goto(f"{live_server.url}{reverse('reports:consultation_detail', args=[consultation.pk])}")
    section = page.locator("#library-cases")
    expect(section).to_contain_text("泗城镇国道客车侧滑事故")
    expect(section).to_contain_text("警示标志前移")
    fits_the_phone(page)
    section.scroll_into_view_if_needed()
    screenshot("library-briefing-phone")
    section.get_by_role("link", name="泗城镇国道客车侧滑事故").click()
    expect(page.locator("h1")).to_have_text("泗城镇国道客车侧滑事故")


def test_the_village_officer_looks_up_regulations_and_cases_on_a_phone(page, live_server, screenshot):
    world = seeded_world()
    old = factories.regulation(world, title="突发事件应急预案管理办法")
    new = factories.regulation(world, title="突发事件应急预案管理办法", number="国办发〔2024〕5号")
    from library import services

    services.regulation_replace(regulation=old, by=world.county_dispatcher, replaced_by=new)
    factories.regulation(
        world, title="中华人民共和国安全生产法", kind="law", number="主席令第88号", issuer="全国人大常委会"
    )
    factories.case(world, by=world.county_dispatcher, unit=world.county, title="县城暴雨内涝案例", publish=True)
    log_in_as(page, live_server, world, world.village_officer_a)
    page.goto(f"{live_server.url}{reverse('library:regulation_list')}")
    expect(page.locator("h1")).to_have_text("法规库")
    expect(page.locator("table")).to_contain_text("已修订（被替代）")
    fits_the_phone(page)
    screenshot("library-regulations-phone")
    page.get_by_label("类型").select_option("law")
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("table")).to_contain_text("安全生产法")
    expect(page.locator("table")).not_to_contain_text("预案管理办法")
    page.get_by_role("link", name="案例库").first.click()
    expect(page.locator("table")).to_contain_text("县城暴雨内涝案例")
    fits_the_phone(page)
    screenshot("library-cases-phone")
