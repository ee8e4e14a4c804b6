"""The evacuation list on a phone (360 px): the village officer imports the village's workbook,
opens the list with its map and the 明白卡; the township officer sees the shelter shortfall."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import expect

from hazards.tests.browser.test_hazard_loop import fits_the_phone, log_in_as
from plans.tests.evacuation_data import workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def seeded_world():
    for module in ("grids.migrations.0002_seed_sectors", "hazards.migrations.0002_seed_rules"):
        importlib.import_module(module).seed(apps, None)
    from grids.tests.factories import build_world

    return build_world()


def test_the_village_officer_reads_the_list_and_its_cards_on_a_phone(page, live_server, screenshot):
    world = seeded_world()
    log_in_as(page, live_server, world, world.village_officer_a)
    page.goto(f"{live_server.url}{reverse('plans:evacuation_import', args=[world.village_a.pk])}")
    page.set_input_files("input[type=file]", files=[{"name": "名单.xlsx", "mimeType": "application/octet-stream",
                                                     "buffer": workbook()}])  # fmt: skip
    page.get_by_role("button", name="导入").click()
    expect(page.locator("h1")).to_have_text("陇雅村转移避险名单")
    expect(page.locator(".messages")).to_contain_text("名单已导入")
    expect(page.locator(".ev-notes").first).to_have_text("85岁老人卧床")
    expect(page.locator("#unit-map .leaflet-interactive").first).to_be_visible()  # drawn without tiles
    fits_the_phone(page)
    screenshot("evacuation-village-phone")
    page.locator("#ev-cards-link").click()
    expect(page.locator(".ev-card")).to_have_count(3)
    expect(page.locator(".ev-card").first).to_contain_text("岑干部")
    fits_the_phone(page)
    screenshot("evacuation-cards-phone")
    log_in_as(page, live_server, world, world.township_officer)
    page.goto(f"{live_server.url}{reverse('plans:evacuation')}")
    expect(page.locator("#ev-capacity .ev-short-row")).to_contain_text("安置缺口 2 人")
    fits_the_phone(page)
    screenshot("evacuation-capacity-phone")

    # The township's risk map draws the village's danger zone and its open shelter, switchable.
    from plans import services
    from plans.models import DangerZone

    zone = DangerZone.objects.filter(unit=world.village_a).first()
    services.zone_set_boundary(zone=zone, by=world.village_officer_a, boundary={
        "type": "Polygon", "coordinates": [[[106.41, 24.21], [106.42, 24.21], [106.42, 24.22], [106.41, 24.21]]]})  # fmt: skip
    page.goto(f"{live_server.url}{reverse('hazards:map')}")
    expect(page.locator("#risk-map path.rg-overlay-danger-zones")).to_have_count(1)
    expect(page.locator("#risk-map .rg-overlay-point.rg-overlay-shelters").first).to_be_visible()
    control = page.locator(".leaflet-control-layers")
    expect(control).to_contain_text("危险区（转移避险名单）")
    control.get_by_text("危险区（转移避险名单）").click()  # switched off
    expect(page.locator("#risk-map path.rg-overlay-danger-zones")).to_have_count(0)
    screenshot("risk-map-evacuation-layers")
