"""首报 in under a minute on a 360 px phone: with GPS, the kind, one line and 'use my location' are all
it needs (地点 filled from the unit and the point, 事件经过 from the line); a point outside the
officer's village brings the question before anything is sent."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import expect

from dispatch.models import Incident
from emergency.testbrowser import wait_for_service_worker
from grids.tests.factories import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_WIDTH = 360


def seeded_world():
    for module in ("grids.migrations.0002_seed_sectors", "dispatch.migrations.0002_seed_rules"):
        importlib.import_module(module).seed(apps, None)
    return build_world()


def log_in(page, live_server, world, user):
    wait_for_service_worker(page)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", world.password(user))
    page.click("button[type=submit]")
    expect(page.locator(".account .who")).to_have_text(user.display_name)


def test_a_first_report_with_gps_needs_only_the_kind_and_one_line(page, context, live_server, screenshot):
    world = seeded_world()
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.set_geolocation({"longitude": 106.45, "latitude": 24.25})
    log_in(page, live_server, world, world.village_officer_a)
    page.goto(f"{live_server.url}{reverse('dispatch:incident_report')}")
    page.click(".cat[data-code=fire]")
    page.fill("#id_title", "村委仓库起火")
    page.click("#use-location")
    expect(page.locator("#location-status")).to_contain_text("106.45")
    expect(page.locator("#outside-question")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    screenshot("phone-first-report-gps-only")
    page.click("#report-submit")
    expect(page.locator("#incident-level")).to_have_attribute("data-level", "4")
    # the phone's script sent it and went to the record itself: the saved message is still there
    expect(page.locator(".messages .msg-success")).to_be_visible()
    incident = Incident.objects.get()
    assert incident.place.startswith(world.village_a.name) and "106.45" in incident.place
    assert incident.description == "村委仓库起火"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_a_point_outside_the_village_is_asked_about_before_sending(page, context, live_server, screenshot):
    world = seeded_world()
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.set_geolocation({"longitude": 107.5, "latitude": 25.5})
    log_in(page, live_server, world, world.village_officer_a)
    page.goto(f"{live_server.url}{reverse('dispatch:incident_report')}")
    page.click(".cat[data-code=fire]")
    page.fill("#id_title", "村委仓库起火")
    page.click("#use-location")
    question = page.locator("#outside-question")
    expect(question).to_be_visible()
    expect(question).to_contain_text("该位置不在您的网格（陇雅村）范围内，确认仍按本网格上报？")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    screenshot("phone-first-report-outside-question")
    page.check("#id_confirm_outside")
    page.click("#report-submit")
    expect(page.locator("#incident-level")).to_have_attribute("data-level", "4")
    assert Incident.objects.get().unit == world.village_a
