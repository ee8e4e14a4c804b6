"""The supplies pages: scoped, in Chinese, forms that call the services, constant query counts."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supplies.models import Lot, Movement, ReserveNorm
from supplies.tests.factories import depot, item, lot


@pytest.fixture
def stocked(world):
    county = depot(world.county, name="凌云县应急物资储备库", kind="depot")
    town = depot(world.township, name="泗城镇储备点")
    village = depot(world.village_a, name="陇雅村储备点")
    other = depot(world.other_township, name="逻楼镇储备点")
    lot(county, "救生衣", 500, by=world.county_dispatcher)
    lot(town, "救生衣", 30, by=world.township_officer)
    lot(village, "救生衣", 15, by=world.village_officer_a)
    lot(village, "救生衣", 99, by=world.village_officer_a, expires_in=-2)  # expired: not usable
    lot(other, "救生衣", 80, by=_keeper(world))
    return {"county": county, "town": town, "village": village, "other": other}


def _keeper(world):
    from grids.models import Role
    from grids.tests.factories import grant, make_person

    person = make_person("other_keeper", real_name="逻保管")
    grant(person, world.other_township, Role.GRID_OFFICER)
    return person


def test_the_depot_list_shows_only_depots_in_scope(client_for, world, stocked):
    page = client_for(world.village_officer_a).get(reverse("supplies:depot_list")).content.decode()
    assert "陇雅村储备点" in page and "泗城镇储备点" not in page and "逻楼镇储备点" not in page
    page = client_for(world.township_officer).get(reverse("supplies:depot_list")).content.decode()
    assert "陇雅村储备点" in page and "泗城镇储备点" in page and "逻楼镇储备点" not in page
    assert "应急物资" in page


def test_a_depot_outside_the_scope_is_not_found(client_for, world, stocked):
    client = client_for(world.village_officer_b)
    assert client.get(reverse("supplies:depot_detail", args=[stocked["village"].pk])).status_code == 404
    lot_pk = stocked["village"].lots.first().pk
    assert client.post(reverse("supplies:issue", args=[lot_pk]), {"quantity": 1}).status_code == 404


def test_the_tier_above_sees_but_does_not_move_the_village_stock(client_for, world, stocked):
    client = client_for(world.township_officer)
    village = stocked["village"]
    page = client.get(reverse("supplies:depot_detail", args=[village.pk])).content.decode()
    assert "已过期，请报废" in page and "物资入库" not in page
    lot_pk = village.lots.order_by("pk").first().pk
    assert client.post(reverse("supplies:issue", args=[lot_pk]), {"quantity": 1, "recipient": "x"}).status_code == 403


def test_the_village_officer_issues_from_their_point(client_for, world, stocked):
    client = client_for(world.village_officer_a)
    usable = stocked["village"].lots.get(quantity=15)
    response = client.post(
        reverse("supplies:issue", args=[usable.pk]),
        {"quantity": 4, "to_unit": world.village_a.pk, "reason": "转移群众"},
    )
    assert response.status_code == 302
    assert Lot.objects.get(pk=usable.pk).quantity == 11
    row = Movement.objects.get(lot=usable, kind="out")
    assert (row.quantity, row.to_unit, row.by) == (-4, world.village_a, world.village_officer_a)
    slip = client.get(reverse("supplies:movement_print", args=[row.pk])).content.decode()
    assert "物资出库单" in slip and "救生衣" in slip


def test_issuing_an_expired_lot_shows_the_reason_and_saves_nothing(client_for, world, stocked):
    client = client_for(world.village_officer_a)
    expired = stocked["village"].lots.get(quantity=99)
    response = client.post(reverse("supplies:issue", args=[expired.pk]), {"quantity": 1, "recipient": "某户"})
    assert response.status_code == 400
    assert "过期" in response.content.decode()
    assert Lot.objects.get(pk=expired.pk).quantity == 99


def test_receive_through_the_form(client_for, world, stocked):
    client = client_for(world.village_officer_a)
    url = reverse("supplies:receive", args=[stocked["village"].pk])
    bad = client.post(url, {"item": item("手电").pk, "quantity": 0, "source": "procured"})
    assert bad.status_code == 400
    ok = client.post(url, {"item": item("手电").pk, "quantity": 12, "source": "donated", "document_no": "捐-1"})
    assert ok.status_code == 302
    assert stocked["village"].lots.get(item=item("手电")).quantity == 12


def test_readiness_shows_the_shortfall_in_red_with_text(client_for, world, stocked):
    ReserveNorm.objects.filter(tier=2, item=item("救生衣")).update(quantity=50, per_thousand=0)
    page = client_for(world.township_officer).get(reverse("supplies:readiness")).content.decode()
    # 泗城镇: 30 at the township + 15 usable at 陇雅村 (the 99 expired do not count) = 45 of 50
    assert "45 / 50" in page and "缺口 5" in page and "sp-short" in page
    assert "逻楼镇" not in page


def test_readiness_chart_counts_usable_stock_only_up_to_each_norm(client_for, world, stocked):
    ReserveNorm.objects.filter(tier=2, item=item("救生衣")).update(quantity=50, per_thousand=0)
    response = client_for(world.township_officer).get(reverse("supplies:readiness"))
    data = response.context["chart"]
    index = data["categories"].index("救生衣")
    norm, usable, _agreement = (s["data"][index] for s in data["series"])
    assert (norm, usable) == (50, 45)
    assert 'data-chart="readiness-chart"' in response.content.decode()


def test_norm_per_thousand_residents(world):
    norm = ReserveNorm.objects.get(tier=2, item=item("救生衣"))
    norm.quantity, norm.per_thousand = 50, 5
    assert norm.required_for(12_345) == 50 + 62 and norm.required_for(None) == 50


def _more(world, stocked, n):
    for i in range(n):
        lot(stocked["village"], "手电", 1 + i, by=world.village_officer_a)
        lot(stocked["town"], "编织袋", 10 + i, by=world.township_officer, expires_in=None)


@pytest.mark.parametrize(
    "name",
    ["supplies:depot_list", "supplies:readiness", "supplies:export", "supplies:readiness_export", "detail"],
)
def test_queries_do_not_grow_with_rows(client_for, world, stocked, name):
    client = client_for(world.township_officer)
    url = reverse("supplies:depot_detail", args=[stocked["village"].pk]) if name == "detail" else reverse(name)
    client.get(url)
    counts = []
    for n in (2, 12):
        _more(world, stocked, n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_export_has_the_stock_and_the_ledger(client_for, world, stocked):
    from openpyxl import load_workbook

    response = client_for(world.township_officer).get(reverse("supplies:export"))
    book = load_workbook(io.BytesIO(response.content))
    stock, ledger = book.worksheets
    names = {row[0] for row in stock.iter_rows(min_row=2, values_only=True)}
    assert names == {"泗城镇储备点", "陇雅村储备点"}
    assert ledger.max_row == 1 + 3
