"""A whole patrol with no signal (360 px, Debian's Chromium): the patrol page opens from the service
worker's cache, the start, two check-ins and the finish are saved in the phone's queue, and when the
signal returns they arrive in order: one patrol, two check-ins, the phone's and the server's times."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from hazards.tests.browser.test_hazard_loop import fits_the_phone, log_in_as
from offline.tests.browser.test_offline_report import wait_for_service_worker
from patrols.models import CheckIn, Patrol
from patrols.tests import factories
from patrols.tests.browser.test_patrol_flow import seeded_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_patrol_run_with_no_signal_arrives_whole_when_the_signal_returns(page, context, live_server, screenshot):
    world = seeded_world()
    first, second, third = factories.points(world)
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.clock.install(time=timezone.now())  # the phone's clock agrees with the frozen server clock
    context.set_geolocation({"longitude": first.lng, "latitude": first.lat})
    log_in_as(page, live_server, world, world.village_officer_a)
    home = f"{live_server.url}{reverse('patrols:home')}"
    page.goto(home)
    page.reload()  # the second load is controlled by the service worker
    wait_for_service_worker(page)

    context.set_offline(True)
    page.goto(home)
    expect(page.locator("h1")).to_have_text("巡查")
    page.click("#patrol-start button[type=submit]")
    panel = page.locator("#patrol-offline")
    expect(panel).to_be_visible()
    expect(page.locator("#patrol-start")).to_be_hidden()
    expect(panel.locator("li.pt-point:visible")).to_have_count(3)
    expect(page.locator("#patrol-offline-unit")).to_have_text(world.village_a.name)
    fits_the_phone(page)
    screenshot("offline-patrol-1-started")

    panel.locator(f"li[data-point='{first.pk}'] button[value=normal]").click()
    expect(panel.locator(f"li[data-point='{first.pk}'].done .pt-result")).to_be_visible()
    context.set_geolocation({"longitude": second.lng, "latitude": second.lat})
    panel.locator(f"li[data-point='{second.pk}'] button[value=normal]").click()
    expect(panel.locator(f"li[data-point='{second.pk}'].done .pt-result")).to_be_visible()

    page.reload()  # still no signal: the page from the cache, the patrol still under way
    expect(panel.locator("li.pt-point.done")).to_have_count(2)
    expect(panel.locator(f"li[data-point='{third.pk}'] form")).to_be_visible()
    fits_the_phone(page)
    screenshot("offline-patrol-2-two-checked-in")
    page.click("#patrol-offline-finish button[type=submit]")
    expect(page.locator("#patrol-offline-done")).to_be_visible()
    screenshot("offline-patrol-3-finished")
    assert not Patrol.objects.exists()

    page.goto(f"{live_server.url}{reverse('offline:queue')}")
    expect(page.locator("#offline-queue li[data-status=waiting]")).to_have_count(4)
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#offline-queue li[data-status=sent]")).to_have_count(4, timeout=30000)
    screenshot("offline-patrol-4-sent")
    fits_the_phone(page)

    patrol = Patrol.objects.get()
    assert patrol.officer == world.village_officer_a and patrol.state == Patrol.State.FINISHED
    assert sorted(patrol.checkins.values_list("point_id", flat=True)) == sorted([first.pk, second.pk])
    assert all(c.client_time is not None for c in CheckIn.objects.all())
    assert patrol.client_started_at is not None and patrol.client_finished_at is not None
    assert patrol.started_at <= patrol.finished_at
    assert patrol.client_started_at <= patrol.client_finished_at

    # the queue sends every entry again (a lost answer): nothing new
    page.evaluate(
        """async () => {
          for (const entry of await OfflineQueue.all()) { await OfflineQueue.send(entry); }
        }"""
    )
    assert Patrol.objects.count() == 1 and CheckIn.objects.count() == 2

    # back on the patrol page with a signal: the patrol is the server's, no patrol left on the phone
    page.goto(home)
    expect(page.locator("#patrol-start")).to_be_visible()
    expect(page.locator("#patrol-offline")).to_be_hidden()


def test_a_check_in_before_its_start_waits_in_the_queue_and_lets_the_rest_go(page, context, live_server):
    """The queue (queue.js): a check-in answered 425 (its patrol's start has not arrived) stays
    waiting with the server's reason while the entries after it are sent; once the start is there,
    the next run sends it."""
    import uuid

    world = seeded_world()
    point = factories.points(world)[0]
    started = factories.patrol(world)  # a patrol the server has: its finish goes through
    missing = uuid.uuid4()  # a start that has not arrived
    log_in_as(page, live_server, world, world.village_officer_a)
    page.goto(f"{live_server.url}{reverse('patrols:home')}")
    early = reverse("patrols:check_in_by_key", args=[missing])
    later = reverse("patrols:finish_by_key", args=[started.client_key])
    page.evaluate(
        """async ([early, later, point]) => {
          const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
          const common = [["csrfmiddlewaretoken", token]];
          await OfflineQueue.add({url: early, label: "early", key: "", fields: common.concat([["point", point], ["outcome", "normal"]])});
          await OfflineQueue.add({url: later, label: "later", key: "", fields: common});
          await OfflineQueue.flush();
        }""",
        [early, later, str(point.pk)],
    )
    page.goto(f"{live_server.url}{reverse('offline:queue')}")
    entries = page.locator("#offline-queue li")
    expect(entries).to_have_count(2)
    expect(entries.nth(1)).to_have_attribute("data-status", "waiting")  # the list shows the newest first
    expect(entries.nth(1).locator(".queue-error")).to_contain_text("巡查的开始尚未送达")
    expect(entries.nth(0)).to_have_attribute("data-status", "sent")
    started.refresh_from_db()
    assert started.state == Patrol.State.FINISHED and not CheckIn.objects.exists()

    factories.patrol(world, key=missing)  # the start arrives
    page.evaluate("async () => { await OfflineQueue.flush(); }")
    page.reload()
    expect(entries.nth(1)).to_have_attribute("data-status", "sent")
    assert CheckIn.objects.get().patrol.client_key == missing
