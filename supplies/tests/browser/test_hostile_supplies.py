"""Text from users is never HTML in the browser, for the free text of supplies' new records:
markup planted through the services in an agreement reserve (supplier, contact, contract number,
note), a maintenance record's note, a stock-take's decision note and a depot's name shows
literally on every page where it appears (lists, details, the nearest look-up, the readiness map
and its tooltips), and no script ever runs."""

import pytest
from django.urls import reverse
from django.utils import timezone

from emergency.tests.hostile import IMG, SCRIPT, log_in_as, open_tooltips, record_dialogs, seeded_world, shows_literally
from supplies import services
from supplies.tests.factories import agreement, counted_sheet, depot, item, lot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_planted_markup_in_supplies_shows_literally(page, live_server):
    importlib_seed()
    world = seeded_world()
    dialogs = record_dialogs(page)
    point = depot(world.township, name=f"泗城点{IMG}", lat=24.3, lng=106.4, manager_name=f"管{SCRIPT}")
    pump = lot(point, "抽水泵", 1, by=world.township_officer, expires_in=None)
    lot(point, "救生衣", 10, by=world.township_officer)
    services.maintenance_record(
        lot=pump, by=world.township_officer, done_on=timezone.localdate(), result="faulty", note=f"坏{IMG}"
    )
    deal = agreement(world.township, by=world.township_leader, supplier=f"供{SCRIPT}", contact_name=f"联{IMG}",
                     contract_no=f"号{IMG}", note=f"注{SCRIPT}")  # fmt: skip
    jackets = point.lots.get(item=item("救生衣"))
    take = services.stocktake_import(
        depot=point, by=world.township_officer, data=counted_sheet(point, {jackets.pk: 9})
    ).stock_take
    services.stocktake_reject(stock_take=take, by=world.township_leader, note=f"复盘{SCRIPT}")
    log_in_as(page, live_server, world, world.township_leader)
    base = live_server.url
    shows_literally(page, f"{base}{reverse('supplies:agreement_list')}", f"供{SCRIPT}", f"号{IMG}")
    shows_literally(page, f"{base}{reverse('supplies:agreement_detail', args=[deal.pk])}", f"联{IMG}", f"注{SCRIPT}")
    shows_literally(page, f"{base}{reverse('supplies:maintenance')}", f"泗城点{IMG}")
    shows_literally(page, f"{base}{reverse('supplies:maintenance_record', args=[pump.pk])}", f"坏{IMG}")
    shows_literally(page, f"{base}{reverse('supplies:stocktake_detail', args=[take.pk])}", f"复盘{SCRIPT}")
    shows_literally(page, f"{base}{reverse('supplies:nearest')}?lat=24.3&lng=106.4", f"泗城点{IMG}", f"管{SCRIPT}")
    shows_literally(page, f"{base}{reverse('supplies:map')}", f"泗城点{IMG}")
    open_tooltips(page, "#supplies-map")
    assert page.locator(".leaflet-tooltip").first.text_content().startswith(f"泗城点{IMG}")
    assert dialogs == []


def importlib_seed():
    import importlib

    from django.apps import apps

    importlib.import_module("supplies.migrations.0002_seed_catalogue").seed(apps, None)
