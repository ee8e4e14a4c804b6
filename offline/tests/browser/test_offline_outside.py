"""A report filled with no signal at a point outside the officer's village: the question cannot be
asked on the phone then, so the server asks it when the queue sends the report: the entry is shown
as refused with the question, and nothing is filed silently; answering it on the queue page sends
the same entry (its photo kept) again, confirmed, and it is filed once."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from hazards.models import Hazard
from hazards.tests.browser.test_hazard_loop import jpeg, log_in_as, seeded_world
from offline.tests.browser.test_offline_report import wait_for_service_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_queued_report_outside_the_village_is_refused_with_the_question(page, context, live_server, screenshot):
    world = seeded_world()
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.set_geolocation({"longitude": 107.5, "latitude": 25.5})
    log_in_as(page, live_server, world, world.village_officer_a)
    report_url = f"{live_server.url}{reverse('hazards:report')}"
    page.goto(report_url)
    page.reload()
    wait_for_service_worker(page)

    context.set_offline(True)
    page.goto(report_url)
    page.locator("label.cat[data-code='geological']").click()
    page.fill("#id_title", "后山裂缝")
    page.set_input_files("#id_photos", files=[{"name": "crack.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}])
    page.click("#use-location")
    page.click("#report-submit")
    expect(page.locator(".offline-notice")).to_contain_text("已保存在手机上")

    page.goto(f"{live_server.url}{reverse('offline:queue')}")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    entry = page.locator("#offline-queue li").first
    expect(entry).to_have_attribute("data-status", "refused", timeout=20000)
    expect(entry).to_contain_text("该位置不在您的网格（陇雅村）范围内")
    screenshot("offline-outside-refused")
    assert not Hazard.objects.exists()

    # the officer answers the question on the queue page: the kept entry goes again, with its photo
    entry.locator(".queue-confirm-outside").click()
    expect(entry).to_have_attribute("data-status", "sent", timeout=20000)
    screenshot("offline-outside-confirmed")
    hazard = Hazard.objects.get()
    assert hazard.unit == world.village_a and hazard.title == "后山裂缝" and hazard.photos.count() == 1
