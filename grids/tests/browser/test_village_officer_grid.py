"""A village officer on a phone: log in, open the tree and their village, and nothing else."""

import re

import pytest
from playwright.sync_api import expect

from grids.tests.factories import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def login(page, live_server, user, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_village_officer_opens_tree_and_own_village_but_not_another(page, live_server, screenshot):
    world = build_world()
    officer = world.village_officer_a
    login(page, live_server, officer, world.password(officer))
    expect(page.locator("h1")).to_contain_text(officer.real_name)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    screenshot("grid-home-village-officer")

    page.locator("nav.nav details.nav-more summary").click()  # a phone: the grid is under "More"
    page.locator("nav.nav .nav-more-links a[href='/grid/']").click()
    expect(page).to_have_url(re.compile(r"/grid/$"))
    expect(page.locator(".tree")).to_contain_text(world.village_a.name)
    expect(page.locator(".tree")).not_to_contain_text(world.village_b.name)
    screenshot("grid-tree-village-officer")

    page.locator(".tree a", has_text=world.village_a.name).click()
    expect(page.locator("h1")).to_contain_text(world.village_a.name)
    expect(page.locator(f'a[href="tel:{officer.mobile}"]')).to_be_visible()
    # the boundary draws even though no tile server answers
    expect(page.locator("#unit-map[data-ready='1']")).to_be_visible()
    expect(page.locator("#unit-map path.leaflet-interactive").first).to_be_attached()
    assert page.locator("#unit-map").bounding_box()["height"] > 200
    screenshot("grid-unit-village-officer")
    # nothing overflows the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    response = page.goto(f"{live_server.url}/grid/units/{world.village_b.pk}/")
    assert response.status == 404
    expect(page.locator("h1")).to_contain_text(re.compile("不存在|Not found|找不到"))
    response = page.goto(f"{live_server.url}/grid/units/{world.township.pk}/")
    assert response.status == 404
