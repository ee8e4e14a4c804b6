"""A warning on phones: the county dispatcher issues it, a village officer opens it from the inbox
and taps Acknowledge (签收), and the dispatcher's board shows the village acknowledged."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from delivery.models import Delivery
from dispatch.models import Warning, WarningType
from dispatch.services import warnings as services
from emergency.testbrowser import wait_for_service_worker
from grids.tests.factories import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_WIDTH = 360


def seeded_world():
    """The personas on top of the rule tables (seeded again in case serialized_rollback could not
    restore them after Playwright started; see hazards/tests/browser/test_hazard_loop.py)."""
    for module in ("grids.migrations.0002_seed_sectors", "dispatch.migrations.0002_seed_rules"):
        importlib.import_module(module).seed(apps, None)
    return build_world()


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


def tier_row(page, tier: int):
    return page.locator(f".wn-tiers tr[data-tier='{tier}']")


def test_village_officer_acknowledges_and_the_board_updates(page, live_server, screenshot):
    world = seeded_world()
    now = timezone.now()
    draft = services.warning_draft(
        by=world.county_dispatcher,
        type=WarningType.objects.get(code="rainstorm"),
        level=2,
        title="",
        content="预计今天夜间到明天白天，我县泗城镇将出现大暴雨，累计雨量可达100毫米以上，山洪、地质灾害风险高。",
        instructions="1. 停止户外作业；2. 转移低洼地带和地质灾害隐患点群众；3. 远离河道、山边。",
        valid_from=now,
        valid_to=now + datetime.timedelta(hours=12),
        areas=[world.township],
    )

    # 1. the county dispatcher issues the draft and lands on the board
    log_in_as(page, live_server, world, world.county_dispatcher)
    page.goto(f"{live_server.url}{reverse('dispatch:warning_detail', args=[draft.pk])}")
    screenshot("warning-1-draft")
    page.click("#warning-issue")
    expect(page).to_have_url(f"{live_server.url}{reverse('dispatch:warning_board', args=[draft.pk])}")
    expect(page.locator("#board-total")).to_have_attribute("data-acknowledged", "0")
    expect(page.locator("#board-total")).to_have_attribute("data-total", "3")
    expect(page.locator(f".wn-pending li[data-unit='{world.village_a.pk}']")).to_be_visible()
    expect(page.locator(f".wn-pending li[data-unit='{world.village_a.pk}'] a.tel")).to_have_attribute(
        "href", f"tel:{world.village_officer_a.mobile}"
    )
    screenshot("warning-2-board-before")
    fits_the_phone(page)
    warning = Warning.objects.get(pk=draft.pk)
    assert warning.state == Warning.State.ACTIVE

    # 2. the village officer opens it from the inbox and taps the one big button
    log_in_as(page, live_server, world, world.village_officer_a)
    page.goto(f"{live_server.url}{reverse('delivery:inbox')}")
    entry = page.locator(".rp-entry").filter(has_text=warning.title)
    expect(entry).to_be_visible()
    entry.locator("a.rp-entry-link").click()
    expect(page).to_have_url(f"{live_server.url}{reverse('dispatch:warning_detail', args=[warning.pk])}")
    expect(page.locator("#warning-title")).to_have_text(warning.title)
    expect(page.locator(".wn-banner")).to_have_class("wn-banner wn-bg-orange")
    button = page.locator(f"[data-ack='{world.village_a.pk}']")
    expect(button).to_be_visible()
    assert button.bounding_box()["width"] >= PHONE_WIDTH - 60 and button.bounding_box()["height"] >= 56
    assert button.bounding_box()["y"] < 740  # on the first screen, no scrolling needed
    screenshot("warning-3-village-before-ack")
    fits_the_phone(page)
    button.click()
    acked = page.locator(f"[data-acked='{world.village_a.pk}']")
    expect(acked).to_be_visible()
    local = timezone.localtime(
        Delivery.objects.get(document_id=warning.document_id, recipient_unit=world.village_a).receipted_at
    )
    expect(acked).to_contain_text(local.strftime("%H:%M"))
    expect(page.locator(f"[data-ack='{world.village_a.pk}']")).to_have_count(0)
    screenshot("warning-4-village-acknowledged")
    fits_the_phone(page)

    # 3. the dispatcher's board shows the village acknowledged and the counts updated
    log_in_as(page, live_server, world, world.county_dispatcher)
    page.goto(f"{live_server.url}{reverse('dispatch:warning_board', args=[warning.pk])}")
    expect(page.locator("#board-total")).to_have_attribute("data-acknowledged", "1")
    expect(tier_row(page, 3)).to_have_attribute("data-acknowledged", "1")
    expect(tier_row(page, 3)).to_have_attribute("data-total", "2")
    expect(tier_row(page, 2)).to_have_attribute("data-acknowledged", "0")
    expect(page.locator(f".wn-pending li[data-unit='{world.village_a.pk}']")).to_have_count(0)
    expect(page.locator(f".wn-pending li[data-unit='{world.village_b.pk}']")).to_be_visible()
    expect(page.locator(f".wn-recent li[data-unit='{world.village_a.pk}']")).to_contain_text(world.village_a.name)
    screenshot("warning-5-board-after")
    fits_the_phone(page)
