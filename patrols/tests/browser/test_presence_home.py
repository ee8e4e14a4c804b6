"""At 360 px: a presence check waiting for the village officer is on their home page and in their
inbox, and one tap on the home page answers it with the phone's location."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from hazards.tests.browser.test_hazard_loop import fits_the_phone, log_in_as
from patrols import services
from patrols.models import PresenceRequest
from patrols.tests import factories
from patrols.tests.browser.test_patrol_flow import seeded_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_presence_check_is_answered_in_one_tap_from_the_home_page(page, context, live_server, screenshot):
    world = seeded_world()
    check = services.presence_check_start(
        warning=factories.warning(world), unit=world.township, by=world.township_leader,
        officers=[world.village_officer_a],
    )  # fmt: skip
    req = check.requests.get()
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.clock.install(time=timezone.now())
    context.set_geolocation({"longitude": 106.45, "latitude": 24.25})
    log_in_as(page, live_server, world, world.village_officer_a)

    page.goto(f"{live_server.url}{reverse('delivery:inbox')}")
    expect(page.locator(f"#presence-waiting li[data-presence='{req.pk}']")).to_be_visible()
    fits_the_phone(page)
    screenshot("presence-inbox")

    page.goto(f"{live_server.url}{reverse('grids:home')}")
    section = page.locator("#presence-waiting")
    expect(section).to_contain_text("待应答的到岗抽查")
    expect(section).to_contain_text(req.check_run.warning.title)
    expect(page.locator("#pt-location")).to_contain_text("106.45")
    fits_the_phone(page)
    screenshot("presence-home-waiting")
    section.locator("button[type=submit]").click()
    # offline.js follows the redirect in its request (the success message is read there), then
    # loads the page again: the answer shows as the section gone
    expect(page.locator("#presence-waiting")).to_have_count(0)
    expect(page.locator("h1")).to_contain_text("您好")
    screenshot("presence-home-answered")
    req.refresh_from_db()
    assert req.answered_at is not None and req.answer_at(timezone.now()) == PresenceRequest.Answer.ANSWERED
    assert (round(req.lng, 4), round(req.lat, 4)) == (106.45, 24.25)
