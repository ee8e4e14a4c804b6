"""Done when: a dispatcher handling an incident opens "who can I send", picks a township squadron
and an expert, and both show on the incident; a roll call goes down to the villages and the
unreached are listed (the officer's flows at 360 px)."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import expect

from hazards.tests.browser.test_hazard_loop import fits_the_phone, log_in_as
from resources.models import Participant, RollCallEntry
from resources.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def seeded_world():
    for module in (
        "grids.migrations.0002_seed_sectors", "hazards.migrations.0002_seed_rules",
        "dispatch.migrations.0002_seed_rules", "resources.migrations.0002_seed_rules",
    ):  # fmt: skip
        importlib.import_module(module).seed(apps, None)
    from grids.tests.factories import build_world

    return build_world()


def test_the_dispatcher_sends_a_squadron_and_an_expert_to_the_incident(page, live_server, screenshot):
    world = seeded_world()
    squadron = factories.team(world, name="泗城镇民兵应急中队", members=12, on_duty=8)
    factories.team(world, unit=world.other_township, name="逻楼镇民兵应急中队", lat=24.3, lng=106.75, members=12)
    factories.expert(world, name="覃志明", categories=("flood",), types=("flood_drought",))
    incident = factories.incident(world, title="泗城镇河段山洪漫堤")
    log_in_as(page, live_server, world, world.county_dispatcher)
    page.goto(f"{live_server.url}{reverse('dispatch:incident_detail', args=[incident.pk])}")
    page.locator("#who-can-i-send").click()
    teams = page.locator("#dispatch-teams")
    expect(teams).to_contain_text("泗城镇民兵应急中队")
    expect(teams.locator("li").first).to_contain_text("泗城镇民兵应急中队")  # the nearest first
    expect(page.locator("#dispatch-map")).to_have_attribute("data-ready", "1")
    fits_the_phone(page)
    screenshot("resources-who-can-i-send-phone")
    teams.locator(f"li[data-team='{squadron.pk}'] .pick-team").click()
    expect(page.locator("#resources-participants")).to_contain_text("泗城镇民兵应急中队")
    page.locator("#who-can-i-send").click()
    page.locator("#dispatch-experts li", has_text="覃志明").locator(".pick-expert").click()
    section = page.locator("#resources-participants")
    expect(section).to_contain_text("泗城镇民兵应急中队")
    expect(section).to_contain_text("覃志明")
    fits_the_phone(page)
    section.scroll_into_view_if_needed()
    screenshot("resources-incident-participants-phone")
    assert Participant.objects.filter(incident=incident).count() == 2


def test_a_roll_call_goes_down_to_the_villages_and_the_unreached_are_listed(page, live_server, screenshot):
    world = seeded_world()
    log_in_as(page, live_server, world, world.township_leader)
    page.goto(f"{live_server.url}{reverse('resources:roll_call_list')}")
    form = page.locator("#roll-call-start")
    form.get_by_label("点名范围（自该单位向下）").select_option(str(world.township.pk))
    form.get_by_label("点名内容").fill("汛期联络网点名，收到请应答")
    form.get_by_role("button", name="发出点名").click()
    expect(page.locator(".township-answers")).to_contain_text("陆信息")

    log_in_as(page, live_server, world, world.village_officer_a)  # on the phone in 陇雅村
    page.goto(f"{live_server.url}{reverse('delivery:inbox')}")
    page.get_by_text("泗城镇点名").first.click()
    expect(page.locator("#roll-call-answer")).to_contain_text("汛期联络网点名")
    fits_the_phone(page)
    screenshot("resources-roll-call-answer-phone")
    page.locator("#answer-roll-call").click()
    expect(page.locator("#roll-call-answer")).to_contain_text("已应答")
    assert RollCallEntry.objects.get(person=world.village_officer_a).acknowledged_at is not None

    log_in_as(page, live_server, world, world.township_leader)
    roll_call = RollCallEntry.objects.get(person=world.village_officer_a).roll_call
    page.goto(f"{live_server.url}{reverse('resources:roll_call_detail', args=[roll_call.pk])}")
    unreached = page.locator(".unreached")
    expect(unreached).to_contain_text("农信息")  # 平兰村 has not answered
    expect(unreached).not_to_contain_text("陆信息")
    fits_the_phone(page)
    screenshot("resources-roll-call-unreached-phone")
