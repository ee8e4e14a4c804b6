"""The register's pages in Chromium at a phone (360 px) and a desk (1280 px): list, risk map,
statistics table and dashboard draw, fit the screen, and the map shows its hazards without a
tile server. Screenshots go to test-artifacts/register-*.png to be looked at."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grids.tests.factories import build_world
from hazards import services
from hazards.tests import factories as hf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def fill_register(world):
    now = timezone.now()
    for i in range(12):
        unit = world.village_a if i % 2 else world.village_b
        by = world.village_officer_a if i % 2 else world.village_officer_b
        hazard = hf.report(
            world,
            by=by,
            unit=unit,
            code=("geological", "flood", "fire", "road_traffic")[i % 4],
            title=f"隐患样例{i + 1}：{'山体裂缝' if i % 2 else '河堤渗水'}",
            address=f"{unit.name}{i + 1}组",
            lng=(106.42 if i % 2 else 106.52) + (i % 5) * 0.015,
            lat=24.22 + (i % 4) * 0.02,
            found_at=now - datetime.timedelta(days=25 * i),
        )
        if i % 3 == 0:
            hazard = services.hazard_confirm(
                hazard=hazard,
                by=world.township_officer,
                grade="major" if i == 0 else "general",
                risk_method="direct",
                risk_level=1 + i % 4,
                risk_reason="现场研判",
            )
        if i in (3, 6):
            hazard = services.hazard_plan(
                hazard=hazard,
                by=world.township_officer,
                measures="设置警示牌",
                responsible_unit="镇安监站",
                responsible_person="黄网格",
                deadline=timezone.localdate(),
                contingency="雨天转移",
            )
    services.mark_overdue(today=timezone.localdate() + datetime.timedelta(days=1))


def login(page, live_server, user, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_register_screens_at_phone_and_desk_widths(page, live_server, screenshot):
    # One test for both widths: a second transactional test in this module would start from a
    # flushed database (serialized rollback is not restored once Playwright runs; see the report).
    world = build_world()
    fill_register(world)
    login(page, live_server, world.township_officer, world.password(world.township_officer))
    for width in (360, 1280):
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": width, "height": 800 if width > 360 else 740})
        look_at_pages(page, live_server, screenshot, world, width)


def look_at_pages(page, live_server, screenshot, world, width):
    page.goto(f"{live_server.url}/hazards/")
    expect(page.locator("h1")).to_be_visible()
    assert page.locator(".rg-table tbody tr").count() == 12
    expect(page.locator("tr.rg-overdue").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"register-list-{width}")

    page.goto(f"{live_server.url}/hazards/map/")
    expect(page.locator("#risk-map[data-ready='1']")).to_be_attached(timeout=10000)
    expect(page.locator("#risk-map path.leaflet-interactive").first).to_be_attached()
    expect(page.locator("#risk-map .rg-pin, #risk-map .rg-bucket").first).to_be_attached()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"register-map-{width}")

    page.goto(f"{live_server.url}/hazards/statistics/")
    expect(page.locator("table.rg-stats")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"register-statistics-{width}")

    page.goto(f"{live_server.url}/hazards/dashboard/")
    expect(page.locator(".rg-echart svg")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"register-dashboard-{width}")

    hazard_id = world.village_a.hazards.order_by("pk").values_list("pk", flat=True).first()
    page.goto(f"{live_server.url}/hazards/{hazard_id}/print/report-form/")
    expect(page.locator(".paper")).to_be_visible()
    screenshot(f"register-print-report-form-{width}")
    page.emulate_media(media="print")  # on paper: only the sheet, no bars or buttons
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator("[data-print]")).to_be_hidden()
    screenshot(f"register-print-report-form-{width}-paper")
