"""Where is the nearest usable X: usable stock (unexpired, not under maintenance, not committed to
an approved transfer) by depot, in scope, nearest first, in constant queries; the page and the
readiness map."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supplies import services
from supplies.models import ReserveNorm
from supplies.selectors.nearest import distance_km, nearest_usable
from supplies.tests.factories import depot, item, lot

COUNTY_SITE = (24.35, 106.56)


@pytest.fixture
def sites(world):
    county = depot(world.county, name="县储备库", kind="depot", lat=24.36, lng=106.56)  # ~1 km
    town = depot(world.township, name="泗城镇储备点", lat=24.30, lng=106.40)  # ~17 km
    village = depot(world.village_a, name="陇雅村储备点", lat=24.10, lng=106.30)  # ~38 km
    other = depot(world.other_township, name="逻楼镇储备点", lat=24.35, lng=106.57)
    unplaced = depot(world.township, name="无坐标储备点")
    by = world.county_dispatcher
    lot(county, "救生衣", 100, by=by)
    lot(county, "救生衣", 50, by=by, expires_in=-1)  # expired: not usable
    lot(town, "救生衣", 30, by=world.township_officer)
    lot(village, "救生衣", 12, by=world.village_officer_a)
    pump = lot(village, "抽水泵", 2, by=world.village_officer_a, expires_in=None)
    services.lot_set_maintenance(lot=pump, under_maintenance=True, by=world.village_officer_a)
    lot(unplaced, "救生衣", 999, by=world.township_officer)
    return {"county": county, "town": town, "village": village, "other": other}


def test_nearest_first_with_usable_quantities_in_scope(world, sites):
    rows = nearest_usable(world.county_dispatcher, item_ids=[item("救生衣").pk], lat=COUNTY_SITE[0], lng=COUNTY_SITE[1])
    assert [(r["depot"].name, r["quantity"]) for r in rows] == [
        ("县储备库", 100),
        ("泗城镇储备点", 30),
        ("陇雅村储备点", 12),
    ]
    assert rows[0]["distance_km"] < rows[1]["distance_km"] < rows[2]["distance_km"]
    assert set(rows[0]) == {"depot", "item", "quantity", "distance_km"}
    town_view = nearest_usable(world.township_officer, item_ids=[item("救生衣").pk], lat=24.35, lng=106.56)
    assert [r["depot"].name for r in town_view] == ["泗城镇储备点", "陇雅村储备点"]


def test_maintenance_and_committed_stock_are_not_usable(world, sites):
    assert nearest_usable(world.county_dispatcher, item_ids=[item("抽水泵").pk], lat=24.3, lng=106.5) == []
    transfer = services.transfer_order(
        by=world.county_dispatcher, source_depot=sites["county"], to_unit=world.township, lines=[(item("救生衣"), 60)]
    )
    rows = nearest_usable(world.county_dispatcher, item_ids=[item("救生衣").pk], lat=24.35, lng=106.56, limit=1)
    assert [(r["depot"].name, r["quantity"]) for r in rows] == [("县储备库", 40)]
    services.transfer_dispatch(transfer=transfer, by=world.county_dispatcher)
    rows = nearest_usable(world.county_dispatcher, item_ids=[item("救生衣").pk], lat=24.35, lng=106.56, limit=1)
    assert rows[0]["quantity"] == 40  # left the depot: no longer committed, no longer there


def test_every_item_when_none_is_named(world, sites):
    lot(sites["town"], "编织袋", 500, by=world.township_officer, expires_in=None)
    rows = nearest_usable(world.county_dispatcher, lat=24.30, lng=106.40)
    assert {(r["depot"].name, r["item"].name) for r in rows[:2]} == {
        ("泗城镇储备点", "救生衣"),
        ("泗城镇储备点", "编织袋"),
    }


def test_nearest_usable_runs_in_constant_queries(world, sites):
    counts = []
    for n in (1, 8):
        for k in range(n):
            place = depot(world.township, name=f"临时点{n}-{k}", lat=24.2 + k / 100, lng=106.4)
            lot(place, "救生衣", 5 + k, by=world.township_officer)
            lot(place, "编织袋", 50 + k, by=world.township_officer, expires_in=None)
        with CaptureQueriesContext(connection) as queries:
            rows = nearest_usable(world.county_dispatcher, lat=24.35, lng=106.56, limit=50)
        assert rows
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_haversine():
    assert round(distance_km(24.0, 106.0, 25.0, 106.0)) == 111


def test_the_nearest_page_from_a_point_or_a_unit(client_for, world, sites):
    client = client_for(world.county_dispatcher)
    url = reverse("supplies:nearest")
    assert "最近可用物资" in client.get(url).content.decode()
    page = client.get(url, {"item": item("救生衣").pk, "lat": 24.35, "lng": 106.56}).content.decode()
    assert page.index("县储备库") < page.index("泗城镇储备点") < page.index("陇雅村储备点")
    by_unit = client.get(url, {"item": item("救生衣").pk, "unit": world.township.pk})
    assert by_unit.status_code == 200 and "泗城镇储备点" in by_unit.content.decode()
    assert client.get(url, {"lat": 24.3}).status_code == 400
    village = client_for(world.village_officer_b).get(url, {"item": item("救生衣").pk, "lat": 24.3, "lng": 106.4})
    assert "县储备库" not in village.content.decode() and "陇雅村储备点" not in village.content.decode()


def test_the_nearest_page_runs_in_constant_queries(client_for, world, sites):
    client = client_for(world.county_dispatcher)
    url = reverse("supplies:nearest")
    client.get(url, {"lat": 24.35, "lng": 106.56})
    counts = []
    for n in (1, 6):
        for k in range(n):
            place = depot(world.township, name=f"点{n}-{k}", lat=24.2, lng=106.4 + k / 100)
            lot(place, "手电", 3, by=world.township_officer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"lat": 24.35, "lng": 106.56}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def _map_depots(response) -> dict:
    html = response.content.decode()
    start = html.index('id="supplies-map-depots"')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return {d["name"]: d["status"] for d in json.loads(body)}


def test_the_readiness_map_colours_depots_by_their_units_readiness(client_for, world, sites):
    ReserveNorm.objects.filter(tier=2, item=item("救生衣")).update(quantity=40, per_thousand=0)
    ReserveNorm.objects.filter(tier=2).exclude(item=item("救生衣")).delete()
    client = client_for(world.county_dispatcher)
    depots = _map_depots(client.get(reverse("supplies:map")))
    assert depots["泗城镇储备点"] == "ready"  # 30 + 12 of the village ≥ 40
    assert depots["逻楼镇储备点"] == "short"
    assert "无坐标储备点" not in depots
    town = _map_depots(client_for(world.township_officer).get(reverse("supplies:map")))
    assert "逻楼镇储备点" not in town and "县储备库" not in town


def test_the_map_runs_in_constant_queries(client_for, world, sites):
    client = client_for(world.county_dispatcher)
    client.get(reverse("supplies:map"))
    counts = []
    for n in (1, 6):
        for k in range(n):
            place = depot(world.village_a, name=f"村点{n}-{k}", lat=24.1, lng=106.3 + k / 100)
            lot(place, "救生衣", 3, by=world.village_officer_a)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("supplies:map")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_depots_are_a_layer_of_the_risk_map(world, sites):
    from core.registry import map_layers

    layers = {layer["name"]: layer for layer in map_layers(world.township_officer)}
    names = [f["properties"]["name"] for f in layers["supply-depots"]["features"]]
    assert any("泗城镇储备点" in n for n in names) and not any("逻楼镇" in n for n in names)
