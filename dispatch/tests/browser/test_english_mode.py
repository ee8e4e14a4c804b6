"""English mode in the browser (issue 17 item 13): the dispatcher issues a warning with the
headline left blank; after the language switch at the foot of the page, the village officer's
inbox, the warning page and the county's duty log read in English, dates included."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dispatch.models import WarningType
from dispatch.services import warnings as services
from dispatch.tests.browser.test_warning_ack import PHONE_WIDTH, fits_the_phone, log_in_as
from grids.tests.factories import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADLINE_EN = "凌云县: Rainstorm warning (orange)"


def seeded_world():
    """The personas on top of the rule tables, their English names included (seeded again in case
    serialized_rollback could not restore them after Playwright started)."""
    for module in ("grids.migrations.0002_seed_sectors", "dispatch.migrations.0002_seed_rules"):
        importlib.import_module(module).seed(apps, None)
    for step in importlib.import_module("dispatch.migrations.0011_name_en").Migration.operations[-2:]:
        step.code(apps, None)
    return build_world()


def switch_to_english(page):
    page.locator("footer form.lang button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_warning_reads_in_english_on_the_phone_and_at_the_desk(page, live_server, screenshot):
    world = seeded_world()
    now = timezone.now()
    warning = services.warning_draft(
        by=world.county_dispatcher,
        type=WarningType.objects.get(code="rainstorm"),
        level=2,
        title="",
        content="预计今天夜间到明天白天，我县泗城镇将出现大暴雨。",
        valid_from=now,
        valid_to=now + datetime.timedelta(hours=12),
        areas=[world.township],
    )
    services.warning_issue(warning=warning, by=world.county_dispatcher)

    page.set_viewport_size({"width": PHONE_WIDTH, "height": 780})
    log_in_as(page, live_server, world, world.village_officer_a)
    page.goto(f"{live_server.url}{reverse('delivery:inbox')}")
    switch_to_english(page)
    expect(page.locator(".rp-entry-title").first).to_have_text(HEADLINE_EN)
    fits_the_phone(page)
    screenshot("english-1-village-inbox")
    page.goto(f"{live_server.url}{reverse('dispatch:warning_detail', args=[warning.pk])}")
    expect(page.locator("#warning-title")).to_have_text(HEADLINE_EN)
    assert not re.search(r"\d+月\d+日", page.locator("main").inner_text())
    screenshot("english-2-village-warning")

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in_as(page, live_server, world, world.county_dispatcher)
    page.goto(f"{live_server.url}{reverse('dispatch:duty_log')}")
    if page.locator("html").get_attribute("lang") != "en":
        switch_to_english(page)
    expect(page.locator(".dt-summary", has_text="Issued:")).to_have_text(f"Issued: {HEADLINE_EN}")
    expect(page.locator(".dt-summary", has_text="Passed on").first).to_contain_text(HEADLINE_EN)
    assert not re.search(r"\d+月\d+日", page.locator("main").inner_text())
    screenshot("english-3-county-duty-log")
