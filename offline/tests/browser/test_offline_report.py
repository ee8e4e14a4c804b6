"""The village officer's phone with no signal (360 px, Debian's Chromium): the report form opens from
the service worker's cache after one online visit, a report with a photo and a location is saved in
the phone's queue, and when the signal returns it arrives once, and once only after a forced resend."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from hazards.models import Hazard
from hazards.tests.browser.test_hazard_loop import fits_the_phone, jpeg, log_in_as, seeded_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def wait_for_service_worker(page):
    """Until the page is controlled and the officer's pages are in the cache (no eval: the CSP)."""
    for _ in range(100):
        ready = page.evaluate(
            """async () => navigator.serviceWorker.controller !== null
                 && (await (await caches.open('pages-v1')).keys()).length > 3"""
        )
        if ready:
            return
        page.wait_for_timeout(200)
    raise AssertionError("the service worker did not take over")


def test_a_report_filled_offline_is_queued_and_arrives_once(page, context, live_server, screenshot):
    world = seeded_world()
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.set_geolocation({"longitude": 106.45, "latitude": 24.25})
    log_in_as(page, live_server, world, world.village_officer_a)
    report_url = f"{live_server.url}{reverse('hazards:report')}"
    page.goto(report_url)
    page.reload()  # the second load is controlled by the service worker
    wait_for_service_worker(page)
    expect(page.locator(".tabbar")).to_be_visible()
    fits_the_phone(page)

    context.set_offline(True)
    page.goto(report_url)
    expect(page.locator("h1")).to_have_text("上报隐患")
    page.locator("label.cat[data-code='geological']").click()
    page.fill("#id_title", "后山裂缝")
    page.set_input_files("#id_photos", files=[{"name": "crack.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}])
    page.click("#use-location")
    page.fill("#id_address", "陇雅村小学后山")
    page.click("#report-submit")
    expect(page.locator(".offline-notice")).to_contain_text("已保存在手机上，有信号后自动发送")
    fits_the_phone(page)
    screenshot("offline-1-queued")
    assert Hazard.objects.count() == 0

    page.goto(f"{live_server.url}{reverse('offline:queue')}")
    expect(page.locator("#offline-queue li")).to_have_count(1)
    expect(page.locator("#offline-queue li").first).to_have_attribute("data-status", "waiting")

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#offline-queue li").first).to_have_attribute("data-status", "sent", timeout=20000)
    screenshot("offline-2-sent")
    hazard = Hazard.objects.get()
    assert hazard.title == "后山裂缝" and hazard.photos.count() == 1
    assert (round(hazard.lng, 4), round(hazard.lat, 4)) == (106.45, 24.25)

    # a forced resend of the same entry, with the same key: nothing new is written
    page.evaluate(
        """async () => {
          const all = await OfflineQueue.all();
          const entry = all[0];
          const outcome = await OfflineQueue.send(entry);
          return outcome.status;
        }"""
    )
    assert Hazard.objects.count() == 1
