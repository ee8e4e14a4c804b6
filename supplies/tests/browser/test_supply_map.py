"""The readiness map with no tile server: the depots are drawn, coloured, with no console error."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from hazards.tests.browser.test_hazard_loop import log_in_as
from supplies.models import ReserveNorm
from supplies.tests.browser.test_supply_screens import seeded_world
from supplies.tests.factories import depot, item, lot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_readiness_map_draws_the_depots_without_a_tile_server(page, live_server, screenshot, settings):
    assert settings.MAP_TILE_URL == ""
    world = seeded_world()
    ReserveNorm.objects.filter(tier=2).exclude(item=item("救生衣")).delete()
    ReserveNorm.objects.filter(tier=2, item=item("救生衣")).update(quantity=20, per_thousand=0)
    town = depot(world.township, name="泗城镇储备点", lat=24.30, lng=106.40)
    lot(town, "救生衣", 30, by=world.township_officer)
    depot(world.other_township, name="逻楼镇储备点", lat=24.25, lng=106.60)
    depot(world.county, name="县储备库", kind="depot", lat=24.35, lng=106.56)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in_as(page, live_server, world, world.county_dispatcher)
    page.goto(f"{live_server.url}{reverse('supplies:map')}")
    expect(page.locator("#supplies-map")).to_have_attribute("data-ready", "3")
    expect(page.locator("#supplies-map path.leaflet-interactive")).to_have_count(3)
    colours = page.locator("#supplies-map path.leaflet-interactive").evaluate_all(
        "ps => ps.map(p => p.getAttribute('fill'))"
    )
    assert sorted(colours) == ["#067647", "#667085", "#b42318"]  # ready, no norm (the county), short
    expect(page.locator(".sp-map-list")).to_contain_text("泗城镇储备点")
    screenshot("supplies-readiness-map")
    assert errors == []
