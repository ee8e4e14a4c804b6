"""A first report on a phone, up the tiers in order: a village officer sends it; the township sees it
at once in its inbox, confirms it and forwards it; only then does the county receive it (the county
could already see it in its incident list, marked "not yet reported to your tier" — see the
decision in dispatch/incidents.py's docstring)."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import expect

from delivery.models import Delivery, Document
from dispatch.models import Incident, IncidentTier
from emergency.testbrowser import wait_for_service_worker
from grids.tests.factories import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_WIDTH = 360


def seeded_world():
    """The personas on top of the rule tables (seeded again in case serialized_rollback did not
    restore them after Playwright started: see hazards/tests/browser/test_hazard_loop.py)."""
    for module in ("grids.migrations.0002_seed_sectors", "dispatch.migrations.0002_seed_rules"):
        importlib.import_module(module).seed(apps, None)
    return build_world()


def log_in_as(page, live_server, world, user):
    wait_for_service_worker(page)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", world.password(user))
    page.click("button[type=submit]")
    expect(page.locator(".account .who")).to_have_text(user.display_name)


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def incident_inbox(unit):
    return Delivery.objects.filter(recipient_unit=unit, document__kind=Document.Kind.INCIDENT)


def test_first_report_reaches_the_township_then_the_county(page, context, live_server, screenshot):
    world = seeded_world()
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.set_geolocation({"longitude": 106.45, "latitude": 24.25})

    # 1. the village officer sends a first report from the phone
    log_in_as(page, live_server, world, world.village_officer_a)
    page.goto(f"{live_server.url}{reverse('dispatch:incident_report')}")
    expect(page.locator(".unit-fixed")).to_contain_text(world.village_a.name)
    expect(page.locator("#id_reporter_phone")).to_have_value(world.village_officer_a.mobile)
    assert page.locator("#id_occurred_at").input_value()  # defaults to now
    screenshot("incident-1-report-form")
    fits_the_phone(page)
    page.click(".cat[data-code=fire]")
    expect(page.locator("#incident-level")).to_be_hidden()  # a fire's level is computed, not chosen
    page.fill("#id_title", "村委仓库起火")
    page.click("#use-location")
    expect(page.locator("#location-status")).to_contain_text("106.45")
    page.fill("#id_place", "陇雅村三组仓库")
    page.fill("#id_injured", "2")
    page.fill("#id_description", "仓库起火，2人轻伤，已送医。")
    page.fill("#id_measures", "疏散群众，已报119。")
    screenshot("incident-2-report-filled")
    page.click("#report-submit")
    expect(page.locator("#incident-level")).to_have_attribute("data-level", "4")
    incident = Incident.objects.get()
    assert incident.lng == pytest.approx(106.45) and incident.injured == 2
    expect(page.locator(f"#tier-{world.township.pk}")).to_have_attribute("data-received", "1")
    expect(page.locator(f"#tier-{world.county.pk}")).to_have_attribute("data-received", "0")
    screenshot("incident-3-detail-after-report")
    fits_the_phone(page)

    # 2. the county has not received it: nothing in its inbox, "not yet reported to your tier"
    log_in_as(page, live_server, world, world.county_dispatcher)
    page.goto(f"{live_server.url}{reverse('delivery:inbox')}")
    expect(page.locator(".rp-entry")).to_have_count(0)
    page.goto(f"{live_server.url}{reverse('dispatch:incident_list')}")
    row = page.locator(f"[data-incident='{incident.pk}']")
    expect(row).to_have_attribute("data-reached", "0")
    screenshot("incident-4-county-before-forward")
    assert not incident_inbox(world.county).exists()
    assert IncidentTier.objects.get(incident=incident, unit=world.county).received_at is None

    # 3. the township finds it in its inbox, confirms and forwards it
    log_in_as(page, live_server, world, world.township_officer)
    page.goto(f"{live_server.url}{reverse('delivery:inbox')}")
    entry = page.locator(".rp-entry", has_text="村委仓库起火")
    expect(entry).to_have_count(1)
    screenshot("incident-5-township-inbox")
    entry.locator(".rp-entry-link").click()
    township_tier = page.locator(f"#tier-{world.township.pk}")
    township_tier.locator("[data-action=confirm]").click()
    expect(page.locator(f"#tier-{world.township.pk}")).to_have_attribute("data-confirmed", "1")
    page.locator(f"#tier-{world.township.pk} [data-action=forward]").click()
    expect(page.locator(f"#tier-{world.township.pk}")).to_have_attribute("data-forwarded", "1")
    expect(page.locator(f"#tier-{world.county.pk}")).to_have_attribute("data-received", "1")
    screenshot("incident-6-township-forwarded")
    fits_the_phone(page)

    # 4. now the county receives it, in writing, in its inbox, and confirms it
    log_in_as(page, live_server, world, world.county_dispatcher)
    page.goto(f"{live_server.url}{reverse('delivery:inbox')}")
    entry = page.locator(".rp-entry", has_text="村委仓库起火")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(world.township.name)
    entry.locator(".rp-entry-link").click()
    page.locator(f"#tier-{world.county.pk} [data-action=confirm]").click()
    expect(page.locator(f"#tier-{world.county.pk}")).to_have_attribute("data-confirmed", "1")
    screenshot("incident-7-county-confirmed")
    fits_the_phone(page)
    page.goto(f"{live_server.url}{reverse('dispatch:incident_statistics')}")
    expect(page.locator("#totals .rg-figure b").first).to_have_text("1")
    screenshot("incident-8-statistics")
    fits_the_phone(page)

    tiers = {t.unit_id: t for t in IncidentTier.objects.filter(incident=incident)}
    village, township, county = tiers[world.village_a.pk], tiers[world.township.pk], tiers[world.county.pk]
    assert village.forwarded_at == township.received_at < township.confirmed_at <= township.forwarded_at
    assert township.forwarded_at == county.received_at == county.written_at < county.confirmed_at
    assert not any(t.phone_late or t.written_late for t in tiers.values())
    sent = list(
        Document.objects.filter(kind=Document.Kind.INCIDENT)
        .order_by("sent_at")
        .values_list("deliveries__recipient_unit_id", flat=True)
    )
    assert sent == [world.township.pk, world.county.pk]
