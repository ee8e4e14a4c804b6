"""With the default settings (no tile server) no map page logs a console error, Leaflet's zoom
buttons are titled in Chinese, and the site has an icon (issue 17, item 10)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from grids.tests.factories import build_world
from hazards.tests import factories as hf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_map_pages_log_no_console_error_with_the_default_settings(page, live_server, screenshot, settings):
    assert settings.MAP_TILE_URL == ""  # the default: no base map
    world = build_world()
    hazard = hf.report(world, title="山体裂缝", lng=106.42, lat=24.22, address="后山")
    errors = []
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"{page.url}: failed {r.url}"))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", world.county_dispatcher.username)
    page.fill("#id_password", world.password(world.county_dispatcher))
    page.click("form[method=post] button[type=submit]")
    page.wait_for_load_state()
    pages = {
        "risk-map": reverse("hazards:map"),
        "unit": reverse("grids:unit_detail", args=[world.township.pk]),
        "hazard": reverse("hazards:detail", args=[hazard.pk]),
    }
    for width, height in ((360, 740), (1366, 900)):
        page.set_viewport_size({"width": width, "height": height})
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            expect(page.locator(".leaflet-control-zoom-in").first).to_have_attribute("title", "放大")
            screenshot(f"desk-map-{name}-{width}")
    assert errors == []
    icon = page.goto(f"{live_server.url}/favicon.ico")
    assert icon.status == 200 and "svg" in icon.headers["content-type"]
