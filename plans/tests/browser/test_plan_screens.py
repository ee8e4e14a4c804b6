"""The plan pages on a phone: the township officer's register and plan page, the county's filing
page with its receipt form, all within 360 px."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import expect

from hazards.tests.browser.test_hazard_loop import PHONE_WIDTH, fits_the_phone, log_in_as
from plans import services
from plans.tests.factories import draft, issued

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def seeded_world():
    for module in ("grids.migrations.0002_seed_sectors", "hazards.migrations.0002_seed_rules"):
        importlib.import_module(module).seed(apps, None)
    importlib.import_module("plans.migrations.0002_seed_rules").seed(apps, None)
    from grids.tests.factories import build_world

    return build_world()


def test_the_plan_pages_fit_a_phone(page, live_server, settings, tmp_path, screenshot):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    world = seeded_world()
    plan = draft(world, title="泗城镇突发事件总体应急预案")
    version = issued(world, plan)
    filing = services.version_file(version=version, by=world.township_officer)
    log_in_as(page, live_server, world, world.township_officer)
    page.goto(f"{live_server.url}{reverse('plans:list')}")
    expect(page.locator("h1")).to_have_text("预案台账")
    fits_the_phone(page)
    page.get_by_role("link", name="泗城镇突发事件总体应急预案").first.click()
    expect(page.locator(".version .badge.state").first).to_have_text("已报备案，待受理")
    fits_the_phone(page)
    screenshot("plans-detail-phone")
    log_in_as(page, live_server, world, world.county_dispatcher)
    page.goto(f"{live_server.url}{reverse('plans:filing_detail', args=[filing.pk])}")
    page.get_by_role("button", name="出具备案回执").click()
    expect(page.locator(".badge.state")).to_have_text("已出具回执")
    fits_the_phone(page)
    page.get_by_role("link", name="打印备案回执").click()
    expect(page.locator(".paper-title")).to_have_text("应急预案备案回执")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH + 400  # A4 paper scrolls


def test_a_village_officer_reads_the_village_plan_in_force_on_a_phone(
    page, live_server, settings, tmp_path, screenshot
):
    """The village's own plan on a 360 px phone: found from the menu, its version in force, the
    official text and the response card (应急处置卡) open from the page; a neighbour village cannot."""
    from plans.models import PlanDocument
    from plans.tests.factories import leader_of, pdf, reviewed

    settings.MEDIA_ROOT = str(tmp_path / "media")
    world = seeded_world()
    title = f"{world.village_a.name}防汛抗旱和地质灾害应急预案"
    plan = draft(world, by=world.village_officer_a, unit=world.village_a, code="village", title=title)
    version = reviewed(world, plan, by=world.village_officer_a)
    card = PlanDocument.Kind.MANUAL
    services.document_add(version=version, by=world.village_officer_a, kind=card, upload=pdf("应急处置卡.pdf"))
    version = services.version_issue(version=version, by=leader_of(world.village_a))
    filing = services.version_file(version=version, by=world.village_officer_a)
    services.filing_receipt(filing=filing, by=world.township_officer)

    log_in_as(page, live_server, world, world.village_officer_a)
    page.goto(f"{live_server.url}{reverse('plans:list')}")
    expect(page.locator("h1")).to_have_text("预案台账")
    page.get_by_role("link", name=title).first.click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".version .badge.state").first).to_have_text("在用")
    documents = page.locator(".version").first.locator("a[href*='/plans/documents/']")
    expect(documents).to_have_count(2)  # the official text and the response card
    expect(page.get_by_role("link", name="操作手册或应急处置卡：应急处置卡.pdf")).to_be_visible()
    fits_the_phone(page)
    screenshot("plans-village-plan-phone")
    for href in documents.evaluate_all("links => links.map(a => a.href)"):
        response = page.request.get(href)
        assert response.status == 200 and response.body().startswith(b"%PDF"), href
    card_href = page.get_by_role("link", name="操作手册或应急处置卡：应急处置卡.pdf").get_attribute("href")

    # The neighbouring village's officer finds neither the plan nor its response card.
    log_in_as(page, live_server, world, world.village_officer_b)
    assert page.request.get(f"{live_server.url}{reverse('plans:detail', args=[plan.pk])}").status == 404
    assert page.request.get(f"{live_server.url}{card_href}").status == 404
    page.goto(f"{live_server.url}{reverse('plans:list')}")
    expect(page.get_by_role("link", name=title)).to_have_count(0)
