"""Helpers of the hostile-text browser tests (``*/tests/browser/test_hostile_text*.py``): the planted
markup, the world they plant it in, and the check that a page shows it as text and runs nothing."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.urls import reverse
from playwright.sync_api import expect

from emergency.testbrowser import wait_for_service_worker
from grids.models import GridUnit
from grids.tests.factories import build_world

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
# A page that ran either would hold an element these find.
PLANTED = "img[onerror], img[src='x'], script:not([src]):not([type='application/json'])"


def seeded_world():
    """The personas on top of the rule tables (seeded again in case serialized_rollback could not
    restore them after Playwright started; see hazards/tests/browser/test_hazard_loop.py)."""
    for module in (
        "grids.migrations.0002_seed_sectors",
        "hazards.migrations.0002_seed_rules",
        "dispatch.migrations.0002_seed_rules",
        "reports.migrations.0002_seed_rules",
    ):
        importlib.import_module(module).seed(apps, None)
    return build_world()


def plant_unit_names(world) -> None:
    """Village A's name carries an ``<img onerror>``, village B's a ``<script>``."""
    GridUnit.objects.filter(pk=world.village_a.pk).update(name=f"陇雅村{IMG}")
    GridUnit.objects.filter(pk=world.village_b.pk).update(name=f"平兰村{SCRIPT}")
    world.village_a.refresh_from_db()
    world.village_b.refresh_from_db()


def record_dialogs(page) -> list[str]:
    """The messages of every dialog the page opens (each dismissed); the test asserts it stays empty."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def log_in_as(page, live_server, world, user):
    wait_for_service_worker(page)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", world.password(user))
    page.click("button[type=submit]")
    page.wait_for_load_state()


def shows_literally(page, url: str, *texts: str) -> None:
    """``url`` answers 200, holds no element the planted markup would have made, and shows each of
    ``texts`` as text."""
    requests = requests_of(page)
    response = page.goto(url)  # waits for "load": the page's images, an <img onerror> too, have loaded or failed
    assert response is not None and response.status == 200, url
    settle(requests)  # and what its scripts fetched since (the risk map's points) has arrived
    assert page.locator(PLANTED).count() == 0, url
    body = page.locator("body")
    for text in texts:
        expect(body).to_contain_text(text)


def open_tooltips(page, selector: str) -> None:
    """Hover every interactive vector of a map, as a person's mouse would, one by one."""
    paths = page.locator(f"{selector} path.leaflet-interactive")
    for index in range(paths.count()):
        paths.nth(index).dispatch_event("mouseover")


def requests_of(page) -> set:
    """The requests of ``page`` still in flight, kept up to date from its events (from the first call)."""
    pending = getattr(page, "_requests_in_flight", None)
    if pending is None:
        pending = page._requests_in_flight = set()
        page.on("request", lambda request: pending.add(request))
        page.on("requestfinished", lambda request: pending.discard(request))
        page.on("requestfailed", lambda request: pending.discard(request))
    return pending


def settle(requests: set) -> None:
    """Wait until every request in ``requests`` (``requests_of(page)``) has its answer, or failed:
    what ``wait_for_load_state("networkidle")`` waits for, without its half second of quiet after
    every page."""
    while requests:
        request = next(iter(requests))
        response = request.response()  # None once it failed
        if response is not None:
            response.finished()
        requests.discard(request)
