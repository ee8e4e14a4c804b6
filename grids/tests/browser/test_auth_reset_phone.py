"""On a phone: a township leader resets a village officer's password from the unit page, the
officer logs in with the one-time password and must choose their own; a locked login shows the
Chinese lockout page."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from grids.tests.factories import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def login(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_leader_resets_and_officer_must_choose_a_new_password(page, live_server, screenshot):
    world = build_world()
    officer = world.village_officer_a
    login(page, live_server, world.township_leader.username, world.password(world.township_leader))
    page.goto(f"{live_server.url}/grid/units/{world.village_a.pk}/")
    page.locator(".people a", has_text=officer.real_name).click()
    page.locator("a", has_text="重置密码").click()
    page.locator("button", has_text="重置密码").click()
    password = page.locator("#one-time-password").inner_text()
    assert len(password) >= 12
    screenshot("auth-one-time-password")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto(f"{live_server.url}/offline/me/")  # on a phone, log out sits in 我的, out of the way
    page.locator(".me-logout button").click()
    expect(page.locator("#id_username")).to_be_visible()  # logged out: the login page, before the next goto

    login(page, live_server, officer.username, password)
    expect(page).to_have_url(re.compile(r"/accounts/password/"))
    expect(page.locator("main")).to_contain_text("请先设置自己的新密码")
    screenshot("auth-forced-password-change")
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", "Lingyun-2026-flood")
    page.fill("#id_new_password2", "Lingyun-2026-flood")
    page.locator("button[type=submit]", has_text="确认修改").click()
    page.goto(f"{live_server.url}/")
    expect(page.locator("h1")).to_contain_text(officer.real_name)


def test_locked_login_shows_the_chinese_lockout_page(page, live_server, screenshot):
    world = build_world()
    officer = world.village_officer_a
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(page, live_server, officer.username, "wrong-password")
    login(page, live_server, officer.username, world.password(officer))
    expect(page.locator("h1")).to_contain_text("登录已锁定")
    expect(page.locator("main")).to_contain_text("30 分钟")
    screenshot("auth-lockout")
