"""On a 360 px phone: a warning's red banner appears on the village officer's pages and its one-tap
签收 clears it; the officer sends the village's daily 平安 in one tap from the home page, and the
township sees the village that has not in its missing list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dispatch.models import SafeReport, WarningType
from dispatch.services import warnings as services
from dispatch.tests.browser.test_warning_ack import PHONE_WIDTH, fits_the_phone, log_in_as, seeded_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_banner_then_safe_check_in_then_missing_list(page, live_server, screenshot, settings):
    settings.SAFE_REPORT_SEASONS = {"*": []}  # out of season: the warning in force makes the villages due
    world = seeded_world()
    now = timezone.now()
    services.warning_issue(
        warning=services.warning_draft(
            by=world.county_dispatcher, type=WarningType.objects.get(code="rainstorm"), level=2, title="",
            content="预计今天夜间我县将出现大暴雨。", instructions="转移低洼地带群众。",
            valid_from=now - datetime.timedelta(minutes=1), valid_to=now + datetime.timedelta(hours=12),
            areas=[world.township],
        ),
        by=world.county_dispatcher,
    )  # fmt: skip

    # 1. the banner is on the officer's home page; one tap acknowledges and it is gone
    log_in_as(page, live_server, world, world.village_officer_a)
    page.goto(f"{live_server.url}{reverse('grids:home')}")
    banner = page.locator(".alarm-banner")
    expect(banner).to_be_visible()
    screenshot("safe-1-banner")
    banner.locator("button.alarm-ack").first.click()
    expect(page.locator(".alarm-banner")).to_have_count(0)
    page.goto(f"{live_server.url}{reverse('grids:home')}")
    expect(page.locator(".alarm-banner")).to_have_count(0)

    # 2. the 平安 box: one tap
    box = page.locator(f".safe-box[data-unit='{world.village_a.pk}']")
    expect(box).to_be_visible()
    button = box.locator("button.safe-ok")
    assert button.bounding_box()["width"] >= PHONE_WIDTH - 80
    fits_the_phone(page)
    screenshot("safe-2-box")
    button.click()
    expect(page.locator(f".safe-box[data-unit='{world.village_a.pk}'] .safe-sent")).to_be_visible()
    screenshot("safe-3-sent")
    assert SafeReport.objects.filter(unit=world.village_a, day=timezone.localdate()).count() == 1

    # 3. the township's list of villages that have not reported
    log_in_as(page, live_server, world, world.township_officer)
    page.goto(f"{live_server.url}{reverse('dispatch:safe_missing')}")
    missing = page.locator(".safe-missing li")
    expect(missing.filter(has_text=world.village_b.name)).to_be_visible()
    expect(missing.filter(has_text=world.village_a.name)).to_have_count(0)
    fits_the_phone(page)
    screenshot("safe-4-missing")
