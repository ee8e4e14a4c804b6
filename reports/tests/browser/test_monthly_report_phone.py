"""The monthly report on a phone: the village officer reads, annotates and signs it; the township
officer finds it in the inbox and receipts it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.periods import month_start, previous_month
from delivery.models import Delivery
from emergency.testbrowser import wait_for_service_worker
from grids.tests.factories import build_world
from hazards.models import Hazard, State
from hazards.tests.factories import report as report_hazard
from reports import services
from reports.models import MonthlyReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_WIDTH = 360


def log_in_as(page, live_server, world, user):
    wait_for_service_worker(page)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", world.password(user))
    page.click("button[type=submit]")
    expect(page.locator(".account .who")).to_have_text(user.display_name)


# On failure: which elements stick out of the phone's width (outside the scrolling tables).
WIDE = """width => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > width && !e.closest('.rp-scroll'))
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)"""


def fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, page.evaluate(WIDE, PHONE_WIDTH)


def test_village_officer_signs_the_monthly_report_and_the_township_receipts_it(page, live_server, screenshot):
    world = build_world()
    today = timezone.localdate()
    period = previous_month(today)
    tz = timezone.get_current_timezone()
    report_hazard(world, found_at=datetime.datetime(period.year, period.month, 3, 9, tzinfo=tz), title="后山裂缝")
    flood = report_hazard(
        world, code="flood", found_at=datetime.datetime(period.year, period.month, 12, 9, tzinfo=tz), title="河堤渗水"
    )
    Hazard.objects.filter(pk=flood.pk).update(
        state=State.CLOSED, closed_at=datetime.datetime(period.year, period.month, 20, tzinfo=tz)
    )
    services.monthly_job(today=month_start(today))
    report = MonthlyReport.objects.get(unit=world.village_a, period=period)
    assert report.state == MonthlyReport.State.DRAFT

    # 1. the village officer opens the report on the phone
    log_in_as(page, live_server, world, world.village_officer_a)
    page.goto(f"{live_server.url}{reverse('reports:monthly_detail', args=[report.pk])}")
    expect(page.locator("#report")).to_have_attribute("data-state", "draft")
    expect(page.locator("#totals [data-metric=new] b")).to_have_text("2")
    screenshot("monthly-1-draft-top")
    fits_the_phone(page)

    # 2. notes, then the name, then submit
    page.fill("#id_annotation", "本月新增隐患2处，河堤渗水已处置销号；后山裂缝已设警示牌，安排专人监测。")
    page.click("#report-save")
    expect(page.locator(".messages .msg-success")).to_be_visible()
    report.refresh_from_db()
    assert report.state == MonthlyReport.State.DRAFT and report.annotation.startswith("本月新增隐患2处")
    page.fill("#id_signer_name", "")
    page.click("#report-submit")
    expect(page.locator("#id_signer_name")).to_be_visible()
    expect(page.locator("#sign .errorlist")).to_be_visible()  # the name is required to sign
    screenshot("monthly-2-name-missing")
    fits_the_phone(page)
    page.fill("#id_signer_name", "陆信息")
    submit = page.locator("#report-submit")
    assert submit.bounding_box()["height"] >= 44  # a thumb's target
    submit.click()
    expect(page.locator("#report")).to_have_attribute("data-state", "submitted")
    expect(page.locator("#report-signer")).to_have_text("陆信息")
    screenshot("monthly-3-submitted")
    fits_the_phone(page)
    report.refresh_from_db()
    assert report.state == MonthlyReport.State.SUBMITTED and report.signer_name == "陆信息"
    assert report.submitted_by == world.village_officer_a

    # 3. the township officer finds it in the inbox, opens it and receipts it
    log_in_as(page, live_server, world, world.township_officer)
    page.goto(f"{live_server.url}{reverse('delivery:inbox')}")
    entry = page.locator(".rp-entry").first
    expect(entry).to_have_attribute("data-state", "delivered")
    expect(entry.locator(".rp-entry-title strong")).to_contain_text(world.village_a.name)
    screenshot("monthly-4-township-inbox")
    fits_the_phone(page)
    entry.locator(".rp-entry-link").click()
    expect(page.locator("#report")).to_have_attribute("data-report", str(report.pk))
    delivery = Delivery.objects.get(recipient_unit=world.township)
    assert delivery.state == Delivery.State.READ
    screenshot("monthly-5-township-reads")
    fits_the_phone(page)
    page.set_viewport_size({"width": 794, "height": 1123})  # an A4 sheet
    page.emulate_media(media="print")
    screenshot("monthly-5b-printed")
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1366, "height": 900})  # the desk: the ‹ back / 打印 bar spans the report
    bar, article = page.locator(".rg-print-bar").bounding_box(), page.locator("#report").bounding_box()
    assert abs(bar["x"] - article["x"]) < 2 and abs(bar["width"] - article["width"]) < 2, (bar, article)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 740})
    page.click("#receipt .rp-receipt")
    expect(page.locator("#receipt .rp-receipted")).to_be_visible()
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.RECEIPTED and delivery.receipted_by == world.township_officer
    page.goto(f"{live_server.url}{reverse('delivery:inbox')}")
    expect(page.locator(".rp-entry").first).to_have_attribute("data-state", "receipted")
    screenshot("monthly-6-inbox-receipted")

    # 4. the matrix of the township at phone size
    page.goto(f"{live_server.url}{reverse('reports:matrix', args=[world.township.pk])}")
    expect(page.locator(f"tr[data-unit='{world.village_a.pk}'] td[data-month='{period:%Y-%m}']")).to_have_attribute(
        "data-status", "late"
    )
    screenshot("monthly-7-matrix")
    fits_the_phone(page)


def test_township_holds_its_consultation_on_a_phone(page, live_server, screenshot):
    from reports.models import Consultation

    world = build_world()
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    period = previous_month(today)
    report_hazard(world, found_at=datetime.datetime(period.year, period.month, 3, 9, tzinfo=tz), title="后山裂缝")
    services.consultations_open(today=month_start(today))
    consultation = Consultation.objects.get(unit=world.township)

    log_in_as(page, live_server, world, world.township_leader)
    page.goto(f"{live_server.url}{reverse('reports:consultation_detail', args=[consultation.pk])}")
    screenshot("consultation-1-briefing")
    fits_the_phone(page)
    page.fill("#id_held_on", f"{today.year}年{today.month}月{today.day}日")
    page.fill("#id_participants", "镇应急办、自然资源所、水利站、各村支书")
    page.fill("#id_summary", "汛末地质灾害风险仍高，森林防火期开始。")
    page.click("#record-form button[type=submit]")
    expect(page.locator("#held-on")).to_be_visible()
    page.locator("#add-countermeasure summary").click()
    page.fill("#id_risk", "后山滑坡")
    page.select_option("#id_level", "2")
    page.select_option("#id_trend", "rising")
    page.fill("#id_measure", "雨后巡查，设置警示牌，必要时转移群众")
    page.select_option("#id_responsible_unit", str(world.village_a.pk))
    page.fill("#id_deadline", (today - datetime.timedelta(days=1)).isoformat())
    screenshot("consultation-2-add-form")
    fits_the_phone(page)
    page.click("#add-countermeasure button[type=submit]")
    expect(page.locator("[data-countermeasure]")).to_have_count(1)
    expect(page.locator("[data-countermeasure] .rp-overdue")).to_be_visible()
    page.click("#consultation-complete")
    expect(page.locator("#consultation-state")).to_have_attribute("data-state", "completed")
    screenshot("consultation-3-completed")
    fits_the_phone(page)
    assert Delivery.objects.filter(recipient_unit=world.county, document__kind="consultation").count() == 1
