"""The unit chooser in Chromium at a desk (1280 px) and a phone (360 px): the register's filter
offers a search box, not a drop-down of every unit; typing finds units in scope, 下级 lists a
unit's children, the choice filters the list and is kept in the box after the page reloads.
Screenshots go to test-artifacts/unit-chooser-*.png."""

import pytest
from playwright.sync_api import expect

from grids.tests.factories import build_world
from hazards.tests import factories as hf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def login(page, live_server, user, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_the_unit_chooser_at_desk_and_phone_widths(page, live_server, screenshot):
    world = build_world()
    hf.report(world, title="村后山体裂缝")  # village A
    hf.report(world, by=world.village_officer_b, unit=world.village_b, code="flood", title="河堤渗水")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    login(page, live_server, world.county_dispatcher, world.password(world.county_dispatcher))
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800 if width > 360 else 740})
        page.goto(f"{live_server.url}/hazards/")
        page.locator(".rg-filters > summary").click()
        box = page.locator(".unit-chooser .ts-control")
        expect(box).to_be_visible()
        assert page.locator("select[name=unit] option, .unit-chooser option").count() <= 1
        box.click()
        options = page.locator(".unit-chooser .ts-dropdown .option")
        expect(options.first).to_contain_text("凌云县")
        screenshot(f"unit-chooser-top-{width}")
        # the township's children
        page.locator(".ts-dropdown .option", has_text="泗城镇").locator(".unit-chooser__below").click()
        expect(options.filter(has_text="平兰村")).to_be_visible()
        expect(options.filter(has_text="逻楼镇")).to_have_count(0)
        screenshot(f"unit-chooser-children-{width}")
        # a search
        page.keyboard.type("陇雅")
        expect(options).to_have_count(1)
        expect(options.first).to_contain_text("泗城镇 › 陇雅村")
        options.first.click()
        page.locator(".rg-filter-form button[type=submit]").click()
        page.wait_for_load_state()
        assert f"unit={world.village_a.pk}" in page.url
        expect(page.locator(".rg-table tbody tr")).to_have_count(1)
        page.locator(".rg-filters > summary").click() if not page.locator(".rg-filters[open]").count() else None
        expect(page.locator(".unit-chooser .ts-control .item")).to_have_text("泗城镇 › 陇雅村")
        expect(page.locator(".unit-chooser__chosen")).to_be_hidden()  # the no-script label
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(f"unit-chooser-chosen-{width}")
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
