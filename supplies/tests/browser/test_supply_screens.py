"""The village officer on a phone (360 px): checks their point's stock and records an issue."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import expect

from hazards.tests.browser.test_hazard_loop import fits_the_phone, log_in_as
from supplies.models import Movement
from supplies.tests.factories import depot, lot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def seeded_world():
    for module in ("grids.migrations.0002_seed_sectors", "hazards.migrations.0002_seed_rules"):
        importlib.import_module(module).seed(apps, None)
    importlib.import_module("supplies.migrations.0002_seed_catalogue").seed(apps, None)
    from grids.tests.factories import build_world

    return build_world()


def test_the_village_officer_checks_stock_and_issues_on_a_phone(page, live_server, screenshot):
    world = seeded_world()
    point = depot(world.village_a, name="陇雅村应急物资储备点")
    lot(point, "救生衣", 12, by=world.village_officer_a, expires_in=200)
    lot(point, "救生衣", 5, by=world.village_officer_a, expires_in=-3)
    lot(point, "编织袋", 300, by=world.village_officer_a, expires_in=None)
    log_in_as(page, live_server, world, world.village_officer_a)
    page.goto(f"{live_server.url}{reverse('supplies:depot_list')}")
    expect(page.locator("h1")).to_have_text("应急物资")
    fits_the_phone(page)
    page.get_by_role("link", name="陇雅村应急物资储备点").click()
    expect(page.locator(".sp-lots")).to_contain_text("已过期，请报废")
    expect(page.locator(".sp-lots")).to_contain_text("建议先出")
    fits_the_phone(page)
    screenshot("supplies-point-phone")
    page.locator("tr", has_text="编织袋").get_by_role("link", name="出库").click()
    page.get_by_label("数量").fill("120")
    page.get_by_label("接收方").fill("陇雅村抢险队")
    page.get_by_label("理由").fill("加固河堤")
    fits_the_phone(page)
    screenshot("supplies-issue-phone")
    page.get_by_role("button", name="出库").click()
    expect(page.locator(".messages, .message, [role=status]").first).to_contain_text("已出库")
    expect(page.locator(".sp-ledger")).to_contain_text("-120")
    row = Movement.objects.get(kind="out")
    assert (row.quantity, row.recipient, row.by) == (-120, "陇雅村抢险队", world.village_officer_a)


def test_the_village_officer_records_a_check_of_the_loudspeaker_on_a_phone(page, live_server, screenshot):
    from django.utils import timezone

    from supplies.models import Lot, MaintenanceRecord

    world = seeded_world()
    point = depot(world.village_a, name="陇雅村应急物资储备点")
    speaker = lot(point, "应急广播", 1, by=world.village_officer_a, expires_in=None)
    Lot.objects.filter(pk=speaker.pk).update(next_maintenance_due=timezone.localdate())
    log_in_as(page, live_server, world, world.village_officer_a)
    page.goto(f"{live_server.url}{reverse('supplies:maintenance')}")
    expect(page.locator(".sp-maintenance")).to_contain_text("即将到期")
    fits_the_phone(page)
    page.locator(".sp-maintenance tr", has_text="应急广播").get_by_role("link", name="记录").click()
    page.get_by_label("结果").select_option(value="faulty")
    page.get_by_label("备注").fill("喇叭无声，已送修")
    fits_the_phone(page)
    screenshot("supplies-maintenance-phone")
    page.get_by_role("main").get_by_role("button", name="保存").click()
    expect(page.locator(".sp-maintenance")).to_contain_text("检修保养中")
    record = MaintenanceRecord.objects.get()
    assert (record.result, record.by) == ("faulty", world.village_officer_a)
    assert Lot.objects.get(pk=speaker.pk).under_maintenance
