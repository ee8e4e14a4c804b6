"""Done when: at 360 px an officer patrols three points — checks in at two (one far from its point),
reports a hazard from the third through the pre-filled report form — and finishes; the ledger shows
it all in order; the township's compliance table counts the patrol and shows a missed one."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from hazards.models import Hazard
from hazards.tests.browser.test_hazard_loop import fits_the_phone, log_in_as
from patrols.models import CheckIn, Patrol
from patrols.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def seeded_world():
    for module in (
        "grids.migrations.0002_seed_sectors", "hazards.migrations.0002_seed_rules",
        "dispatch.migrations.0002_seed_rules", "patrols.migrations.0002_seed_rules",
    ):  # fmt: skip
        importlib.import_module(module).seed(apps, None)
    from grids.tests.factories import build_world

    return build_world()


def test_an_officer_patrols_three_points_and_the_township_sees_it(page, context, live_server, screenshot):
    world = seeded_world()
    first, second, third = factories.points(world)
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.clock.install(time=timezone.now())  # the phone's clock agrees with the frozen server clock
    context.set_geolocation({"longitude": first.lng, "latitude": first.lat})

    log_in_as(page, live_server, world, world.village_officer_a)
    page.goto(f"{live_server.url}{reverse('patrols:home')}")
    screenshot("patrol-1-home")
    fits_the_phone(page)
    page.click("#patrol-start button[type=submit]")
    expect(page.locator("#patrol-points li.pt-point")).to_have_count(3)
    patrol = Patrol.objects.get()
    expect(page.locator("#pt-location")).to_contain_text("106.45")
    screenshot("patrol-2-points")
    fits_the_phone(page)

    page.locator(f"li[data-point='{first.pk}'] button[value=normal]").click()
    expect(page.locator(f"li[data-point='{first.pk}'].done")).to_be_visible()

    context.set_geolocation({"longitude": second.lng + 0.01, "latitude": second.lat})  # about 1 km away
    page.reload()
    expect(page.locator("#pt-location")).to_contain_text(f"{second.lng + 0.01:.5f}")
    page.locator(f"li[data-point='{second.pk}'] button[value=normal]").click()
    expect(page.locator(f"li[data-point='{second.pk}'] .pt-away")).to_be_visible()
    screenshot("patrol-3-two-checked-in")
    fits_the_phone(page)

    context.set_geolocation({"longitude": third.lng, "latitude": third.lat})
    page.reload()
    expect(page.locator("#pt-location")).to_contain_text(f"{third.lng:.5f}")
    page.locator(f"li[data-point='{third.pk}'] button[value=hazard]").click()
    expect(page.locator("#report-form")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value(third.name)
    screenshot("patrol-4-hazard-form")
    fits_the_phone(page)
    page.locator("label.cat[data-code='geological']").click()
    page.fill("#id_description", "边坡出现裂缝")
    page.click("#report-submit")
    expect(page.locator("#patrol-points")).to_be_visible()
    hazard = Hazard.objects.get()
    expect(page.locator(f"li[data-point='{third.pk}']")).to_contain_text(hazard.number)
    assert CheckIn.objects.get(point=third).hazard_key == hazard.client_key

    page.click("#patrol-finish button[type=submit]")
    expect(page.locator("#patrol-state")).to_have_text("已完成")
    screenshot("patrol-5-finished")
    fits_the_phone(page)

    page.goto(f"{live_server.url}{reverse('patrols:ledger', args=[world.village_a.pk])}")
    rows = page.locator("#ledger tbody tr")
    kinds = rows.evaluate_all("rows => rows.map(r => r.className)")
    texts = rows.all_inner_texts()
    assert kinds[0] == "pt-patrol" and kinds[-1] == "pt-patrol"
    assert [k for k in kinds if k == "pt-checkin"] == ["pt-checkin"] * 3
    assert any(hazard.number in t for t in texts)
    order = [i for i, t in enumerate(texts) if first.name in t or second.name in t or third.name in t]
    assert len(order) >= 3
    screenshot("patrol-6-ledger")
    fits_the_phone(page)

    log_in_as(page, live_server, world, world.township_officer)
    page.goto(f"{live_server.url}{reverse('patrols:compliance', args=[world.township.pk])}")
    ours = page.locator(f"#compliance tr[data-unit='{world.village_a.pk}']")
    expect(ours.locator(".pt-patrols")).to_have_text("1")
    theirs = page.locator(f"#compliance tr[data-unit='{world.village_b.pk}']")
    missed = int(theirs.locator(".pt-missed").inner_text().split()[0])
    assert missed >= 1
    screenshot("patrol-7-compliance")
    fits_the_phone(page)
    patrol.refresh_from_db()
    assert patrol.state == Patrol.State.FINISHED
