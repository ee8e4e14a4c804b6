"""The drill pages on a phone (360 px): the village officer sees and signs in to their village's
drill; the county's double-blind drill of the township stays hidden from the township until the
county starts it, then the township acknowledges the alarm on a phone and the times are recorded."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import expect

from drills import services
from drills.tests.factories import blind, drill
from hazards.tests.browser.test_hazard_loop import fits_the_phone, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def seeded_world():
    for module in (
        "grids.migrations.0002_seed_sectors",
        "hazards.migrations.0002_seed_rules",
        "plans.migrations.0002_seed_rules",
        "drills.migrations.0002_seed_rules",
    ):
        importlib.import_module(module).seed(apps, None)
    from grids.tests.factories import build_world

    return build_world()


def test_the_village_officer_signs_in_to_the_villages_drill_on_a_phone(page, live_server, screenshot):
    world = seeded_world()
    d = drill(world, organiser=world.township, unit=world.village_a, title="陇雅村地质灾害避险演练")
    log_in_as(page, live_server, world, world.village_officer_a)
    page.goto(f"{live_server.url}{reverse('drills:list')}")
    expect(page.locator("h1")).to_have_text("演练")
    fits_the_phone(page)
    page.get_by_role("link", name="陇雅村地质灾害避险演练").click()
    page.get_by_role("button", name="签到").click()
    expect(page.locator("[data-signed-in]")).to_have_text("您已签到。")
    fits_the_phone(page)
    screenshot("drills-sign-in-phone")
    assert d.attendances.filter(person=world.village_officer_a).exists()


def test_a_double_blind_drill_reaches_the_township_only_at_its_start(page, live_server, screenshot):
    world = seeded_world()
    d = blind(world, title="泗城镇双盲综合演练")
    log_in_as(page, live_server, world, world.township_officer)
    page.goto(f"{live_server.url}{reverse('drills:list')}")
    expect(page.get_by_text("泗城镇双盲综合演练")).to_have_count(0)
    services.drill_start(drill=d, by=world.county_dispatcher)
    page.reload()
    page.get_by_role("link", name="泗城镇双盲综合演练").click()
    page.get_by_role("button", name="确认警报").click()
    page.get_by_role("button", name="首批人员到场").click()
    page.get_by_role("button", name="全员集结").click()
    expect(page.locator("[data-mobilisation] td").nth(3)).not_to_have_text("—")
    fits_the_phone(page)
    screenshot("drills-blind-mobilisation-phone")
    d.refresh_from_db()
    assert d.acknowledged_by == world.township_officer and d.first_on_scene_at <= d.assembled_at
