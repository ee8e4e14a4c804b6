"""The site's pages and the Django admin run under the Content-Security-Policy without a single
violation in Chromium: no inline script, no inline <style>, nothing from another origin. The maps
(Leaflet, Leaflet.draw, Leaflet.markercluster) and the admin's tree and map widget are included."""

import pytest
from playwright.sync_api import expect

from emergency.tests.hostile import requests_of, settle
from grids.models import User
from grids.tests.factories import build_world
from hazards.tests import factories as hf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def login(page, live_server, username, password):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form[method=post] button[type=submit]")
    page.wait_for_load_state()


def test_pages_and_admin_pass_the_content_security_policy(page, live_server):
    world = build_world()
    hazards = [
        hf.report(world, title=f"山体裂缝{i}", lng=106.42 + i * 0.01, lat=24.22 + i * 0.01, address=f"后山{i}组")
        for i in range(3)
    ]
    User.objects.create_superuser("csp-admin", password="csp-admin-pass-1", real_name="管理员")
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    requests = requests_of(page)

    def visit(path, ready=None):
        violations.clear()
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        if ready:
            expect(page.locator(ready).first).to_be_attached(timeout=10000)
        settle(requests)  # every script, style sheet, image and fetch of the page has been answered
        assert violations == [], f"{path}: {violations}"

    login(page, live_server, world.township_officer.username, world.password(world.township_officer))
    # The collector sees what Chromium blocks (its wording changed over versions: no "Refused to").
    with page.expect_console_message(lambda m: "script-src" in m.text):
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }"
        )
    assert any("script-src" in text for text in violations), violations

    visit("/")
    visit("/hazards/")
    visit("/hazards/map/", "#risk-map[data-ready='1']")
    visit(f"/hazards/{hazards[0].pk}/", ".leaflet-container")
    visit(f"/grid/units/{world.village_a.pk}/")
    visit("/hazards/report/")
    visit("/hazards/dashboard/", ".rg-echart svg")

    login(page, live_server, "csp-admin", "csp-admin-pass-1")
    visit("/admin/")
    visit("/admin/grids/gridunit/")  # django-mptt's tree: style="" attributes, allowed by style-src-attr
    visit(f"/admin/grids/gridunit/{world.village_a.pk}/change/", ".leaflet-container")
    # each map outlines its context (the village around its marker, the township around its boundary)
    expect(page.locator(".geojson-map path[stroke-dasharray]")).to_have_count(2)
    page.locator(".geojson-map").nth(1).scroll_into_view_if_needed()
    page.screenshot(path="test-artifacts/admin-unit-location-context.png")
    visit(f"/admin/hazards/hazard/{hazards[0].pk}/change/")
    visit("/admin/grids/user/add/")
    visit("/api/docs/", "#swagger-ui .swagger-ui")
