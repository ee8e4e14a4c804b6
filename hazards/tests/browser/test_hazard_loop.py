"""The closed loop on a phone: a village officer reports with a photo and a location, the township
confirms and sets the five-in-place, the village adds evidence, the township accepts; and a major
flood danger goes to county supervision and is copied to the water bureau."""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from emergency.testbrowser import wait_for_service_worker
from grids.tests.factories import build_world
from hazards.models import Hazard, HazardCopy
from hazards.tests.factories import photo, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_WIDTH = 360


def seeded_world():
    """The personas, on top of the rule tables the migrations seed.

    Seeding again is a no-op when serialized_rollback restored them. It is needed when it did
    not: once Playwright's sync API runs an asyncio loop in the main thread, Django's connection
    handler (an asgiref Local) hands out a new connection object that lacks the serialized
    database, so browser tests after the first find the tables flushed (see the report to the lead)."""
    for module in ("grids.migrations.0002_seed_sectors", "hazards.migrations.0002_seed_rules"):
        importlib.import_module(module).seed(apps, None)
    return build_world()


def jpeg(colour=(180, 60, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def log_in_as(page, live_server, world, user):
    wait_for_service_worker(page)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", world.password(user))
    page.click("button[type=submit]")
    expect(page.locator(".account .who")).to_have_text(user.display_name)


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def open_step(page, slug):
    step = page.locator(f"#step-{slug}")
    if step.get_attribute("open") is None:
        step.locator("summary").click()
    return step


def timeline(page) -> list[str]:
    return page.locator("#timeline li[data-action]").evaluate_all("nodes => nodes.map(n => n.dataset.action)")


def test_village_report_to_township_acceptance_on_a_phone(page, context, live_server, screenshot):
    world = seeded_world()
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.set_geolocation({"longitude": 106.45, "latitude": 24.25})  # inside 陇雅村 (village A)

    # 1. the village officer reports with a photo and the phone's location
    log_in_as(page, live_server, world, world.village_officer_a)
    page.goto(f"{live_server.url}{reverse('hazards:report')}")
    expect(page.locator(".rec-field .unit-fixed")).to_contain_text(world.village_a.name)
    screenshot("hazard-1-report-form")
    fits_the_phone(page)
    page.click("#report-submit")  # nothing chosen yet: the errors come back, nothing is saved
    expect(page.locator(".form-errors")).to_be_visible()
    assert Hazard.objects.count() == 0
    screenshot("hazard-1b-report-errors")
    fits_the_phone(page)
    button = page.locator("label.cat[data-code='geological']")
    assert button.bounding_box()["height"] >= 48  # a thumb's target
    button.click()
    expect(page.locator("label.cat[data-code='geological'] input")).to_be_checked()
    page.fill("#id_title", "后山裂缝")
    page.fill("#id_description", "村小学后山出现裂缝，雨后变宽")
    page.set_input_files("#id_photos", files=[{"name": "crack.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}])
    expect(page.locator(".previews img")).to_have_count(1)
    page.click("#use-location")
    expect(page.locator("#location-status .proposed")).to_have_attribute("data-unit", str(world.village_a.pk))
    page.fill("#id_address", "陇雅村小学后山")
    screenshot("hazard-2-report-filled")
    fits_the_phone(page)
    page.click("#report-submit")
    expect(page.locator("#hazard-state")).to_have_attribute("data-state", "reported")
    hazard = Hazard.objects.get()
    assert (round(hazard.lng, 4), round(hazard.lat, 4)) == (106.45, 24.25)
    assert hazard.photos.count() == 1
    expect(page.locator(".thumbs img")).to_have_count(1)
    expect(page.locator("#unit-map[data-ready='1']")).to_be_visible()
    screenshot("hazard-3-reported")
    fits_the_phone(page)
    detail = page.url

    # 2. the township officer confirms it with LEC and sets the five-in-place
    log_in_as(page, live_server, world, world.township_officer)
    page.goto(detail)
    step = open_step(page, "confirm")
    step.locator("label.pill:has(input[value='general'])").click()
    step.locator("label.pill:has(input[value='lec'])").click()
    expect(page.locator("#id_confirm-lec_l")).to_be_visible()
    expect(page.locator("#id_confirm-risk_level")).to_be_hidden()
    page.select_option("#id_confirm-lec_l", "3")
    page.select_option("#id_confirm-lec_e", "6")
    page.select_option("#id_confirm-lec_c", "7")
    screenshot("hazard-4-confirm-form")
    fits_the_phone(page)
    step.locator("button[type=submit]").click()
    expect(page.locator("#hazard-state")).to_have_attribute("data-state", "confirmed")
    expect(page.locator(".hazard-tags .risk")).to_have_attribute("data-level", "3")

    step = open_step(page, "plan")
    page.fill("#id_plan-measures", "设置警示牌，削坡减载")
    page.fill("#id_plan-responsible_unit", "泗城镇安监站")
    page.fill("#id_plan-responsible_person", "黄网格")
    page.fill("#id_plan-responsible_phone", "13800000001")
    page.fill("#id_plan-funds", "3000")
    page.fill("#id_plan-deadline", (timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    page.fill("#id_plan-contingency", "雨天组织群众临时转移")
    screenshot("hazard-5-plan-form")
    fits_the_phone(page)
    step.locator("button[type=submit]").click()
    expect(page.locator("#hazard-state")).to_have_attribute("data-state", "rectifying")
    expect(page.locator("section.five")).to_contain_text("黄网格")
    screenshot("hazard-6-rectifying")

    # 3. the village officer adds the evidence
    log_in_as(page, live_server, world, world.village_officer_a)
    page.goto(f"{live_server.url}{reverse('hazards:mine')}")
    expect(page.locator(".hazard-row[data-state='rectifying']")).to_have_count(1)
    screenshot("hazard-7-mine")
    fits_the_phone(page)
    page.locator(".hazard-row a").first.click()
    step = open_step(page, "evidence")
    page.fill("#id_evidence-note", "警示牌已设置，坡面已清理")
    page.set_input_files(
        "#id_evidence-photos", files=[{"name": "done.jpg", "mimeType": "image/jpeg", "buffer": jpeg((40, 160, 60))}]
    )
    step.locator("button[type=submit]").click()
    expect(page.locator("#hazard-state")).to_have_attribute("data-state", "awaiting")
    expect(page.locator(".thumb[data-kind='evidence']")).to_have_count(1)
    screenshot("hazard-8-evidence")

    # 4. the township accepts and closes it
    log_in_as(page, live_server, world, world.township_officer)
    page.goto(detail)
    step = open_step(page, "accept")
    page.fill("#id_accept-note", "现场验收合格")
    step.locator("button[type=submit]").click()
    expect(page.locator("#hazard-state")).to_have_attribute("data-state", "closed")
    assert timeline(page) == ["report", "confirm", "plan", "evidence", "accept"]
    expect(page.locator("#timeline")).to_contain_text(world.village_officer_a.real_name)
    expect(page.locator("#timeline")).to_contain_text(world.township_officer.real_name)
    expect(page.locator("#steps")).to_have_count(0)
    screenshot("hazard-9-closed")
    fits_the_phone(page)


def test_major_flood_goes_to_county_supervision_and_the_water_bureau_sees_the_copy(page, live_server, screenshot):
    world = seeded_world()
    hazard = report(world, code="flood", title="河堤管涌", photos=[photo()])

    # the township confirms it as major: it passes to the county and is copied to 水利局
    log_in_as(page, live_server, world, world.township_officer)
    page.goto(f"{live_server.url}{reverse('hazards:detail', args=[hazard.pk])}")
    step = open_step(page, "confirm")
    step.locator("label.pill:has(input[value='major'])").click()
    step.locator("label.pill:has(input[value='direct'])").click()
    page.select_option("#id_confirm-risk_level", "1")
    page.fill("#id_confirm-risk_reason", "堤身管涌，威胁下游三个村")
    screenshot("hazard-major-1-confirm")
    fits_the_phone(page)
    step.locator("button[type=submit]").click()
    expect(page.locator("#hazard-owner")).to_have_attribute("data-unit", str(world.county.pk))
    expect(page.locator("#step-supervise")).to_have_count(0)  # the county lists it, not the township
    assert timeline(page) == ["report", "confirm", "escalate", "copy"]
    screenshot("hazard-major-2-escalated")

    # the county dispatcher puts it under listed supervision
    log_in_as(page, live_server, world, world.county_dispatcher)
    page.goto(f"{live_server.url}{reverse('hazards:detail', args=[hazard.pk])}")
    step = open_step(page, "supervise")
    page.select_option("#id_supervise-department", str(world.department.pk))
    page.fill("#id_supervise-deadline", (timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    page.fill("#id_supervise-requirements", "30日内完成堤防加固，汛期落实24小时巡查")
    screenshot("hazard-major-3-supervise-form")
    fits_the_phone(page)
    step.locator("button[type=submit]").click()
    expect(page.locator("section.supervision")).to_contain_text(world.department.name)
    expect(page.locator(f"a[href='{reverse('hazards:print_supervision_order', args=[hazard.pk])}']")).to_be_visible()
    assert timeline(page)[-1] == "supervise"
    screenshot("hazard-major-4-supervised")
    fits_the_phone(page)

    # the water bureau's officer finds it among the department's copies and replies
    log_in_as(page, live_server, world, world.department_officer)
    response = page.goto(f"{live_server.url}{reverse('hazards:copies')}")
    assert response.status == 200
    expect(page.locator("main")).to_contain_text(hazard.title)
    screenshot("hazard-major-5-copies")
    fits_the_phone(page)
    page.goto(f"{live_server.url}{reverse('hazards:detail', args=[hazard.pk])}")
    copy = HazardCopy.objects.get(hazard=hazard, department=world.department)
    page.fill(f"#id_copy{copy.pk}-feedback", "已派技术人员驻守，制定加固方案")
    page.locator(f"#feedback-{copy.pk} button[type=submit]").click()
    expect(page.locator(f"li.copy[data-department='{world.department.pk}'] .feedback")).to_contain_text(
        "已派技术人员驻守"
    )
    assert timeline(page)[-1] == "feedback"
    screenshot("hazard-major-6-feedback")
    fits_the_phone(page)
