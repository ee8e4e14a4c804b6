"""叫应 on every page: a red banner for each warning in force that the person's own unit has not
acknowledged, with its one-tap 签收, and a badge on 预警; gone once acknowledged or lifted."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dispatch.selectors.warnings import BANNER_LIMIT, awaiting_acknowledgement
from dispatch.services import warnings as services
from dispatch.tests.test_warnings import issued

pytestmark = pytest.mark.django_db


def banner(client) -> str:
    page = client.get(reverse("grids:home")).content.decode()
    start = page.find('class="alarm-banner"')
    return page[start : page.find("</aside>", start)] if start >= 0 else ""


def test_the_village_sees_the_banner_on_every_page_and_one_tap_acknowledges(world, client):
    warning = issued(world, title="凌云县气象台发布暴雨橙色预警")
    client.force_login(world.village_officer_a)
    shown = banner(client)
    assert "凌云县气象台发布暴雨橙色预警" in shown and "尚未签收" in shown
    assert reverse("dispatch:warning_acknowledge", args=[warning.pk]) in shown
    assert 'class="badge alarm"' in client.get(reverse("hazards:list")).content.decode()
    response = client.post(reverse("dispatch:warning_acknowledge", args=[warning.pk]), {"unit": world.village_a.pk})
    assert response.status_code == 302
    assert banner(client) == ""
    assert 'class="badge alarm"' not in client.get(reverse("grids:home")).content.decode()


def test_a_lifted_warning_leaves_no_banner(world, client):
    warning = issued(world)
    services.warning_lift(warning=warning, by=world.county_dispatcher)
    client.force_login(world.village_officer_a)
    assert banner(client) == ""


def test_nobody_outside_the_recipients_sees_it(world, client):
    issued(world, areas=[world.other_township])
    for person in (world.village_officer_a, world.department_officer, world.admin):
        client.force_login(person)
        assert banner(client) == "", person


def test_user_text_in_the_title_is_not_html(world, client):
    issued(world, title="<b>暴雨</b>预警<script>x()</script>")
    client.force_login(world.village_officer_a)
    shown = banner(client)
    assert "<script>" not in shown and "&lt;b&gt;暴雨&lt;/b&gt;" in shown


def test_one_query_whatever_the_number_of_warnings(world):
    issued(world)
    awaiting_acknowledgement(world.village_officer_a)  # the person's scope is read once, then cached
    with CaptureQueriesContext(connection) as one:
        rows = awaiting_acknowledgement(world.village_officer_a)
    assert len(rows) == 1
    for _i in range(BANNER_LIMIT + 3):
        issued(world)
    with CaptureQueriesContext(connection) as many:
        rows = awaiting_acknowledgement(world.village_officer_a)
    assert len(rows) == BANNER_LIMIT + 1  # the banner names five and says there are more
    assert len(many) == len(one) == 1
