"""The supplies API: scoped lists, the stock steps through the services, refusals in Chinese."""

from rest_framework.test import APIClient

from supplies.models import Lot
from supplies.tests.factories import depot, item, lot


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_lists_keep_to_the_scope_and_issue_goes_through_the_service(world):
    point = depot(world.village_a)
    other = depot(world.village_b)
    jackets = lot(point, "救生衣", 10, by=world.village_officer_a)
    lot(other, "救生衣", 10, by=world.village_officer_b)
    client = api(world.village_officer_a)
    assert [d["id"] for d in client.get("/api/v1/supply-depots/").json()["results"]] == [point.pk]
    assert [row["id"] for row in client.get("/api/v1/supply-lots/").json()["results"]] == [jackets.pk]
    assert client.get(f"/api/v1/supply-depots/{other.pk}/").status_code == 404
    response = client.post(f"/api/v1/supply-lots/{jackets.pk}/issue/", {"quantity": 11, "recipient": "某户"})
    assert response.status_code == 400 and "只剩" in str(response.json())
    response = client.post(f"/api/v1/supply-lots/{jackets.pk}/issue/", {"quantity": 4, "recipient": "某户"})
    assert response.status_code == 201 and response.json()["balance"] == 6
    assert Lot.objects.get(pk=jackets.pk).quantity == 6
    assert len(client.get("/api/v1/supply-ledger/").json()["results"]) == 2
    assert (
        api(world.township_officer)
        .post(f"/api/v1/supply-lots/{jackets.pk}/issue/", {"quantity": 1, "recipient": "x"})
        .status_code
        == 403
    )


def test_receive_through_the_api(world):
    point = depot(world.village_a)
    response = api(world.village_officer_a).post(
        f"/api/v1/supply-depots/{point.pk}/receive/", {"item": item("手电").pk, "quantity": 5}
    )
    assert response.status_code == 201 and response.json()["quantity"] == 5


def test_the_agreements_and_nearest_api_are_scoped(client_for, world):
    from supplies.tests.factories import agreement, depot, lot

    mine = agreement(world.township, by=world.township_leader, supplier="泗城供应商")
    place = depot(world.township, name="泗城镇储备点", lat=24.3, lng=106.4)
    lot(place, "救生衣", 30, by=world.township_officer)
    client = client_for(world.township_officer)
    rows = client.get("/api/v1/supply-agreements/").json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    assert [r["supplier"] for r in rows] == ["泗城供应商"] and rows[0]["state"] == "in_force"
    assert client.get(f"/api/v1/supply-agreements/{mine.pk}/").status_code == 200
    near = client.get("/api/v1/supply-nearest/", {"lat": 24.3, "lng": 106.4}).json()
    assert [(r["depot_name"], r["item_name"], r["quantity"], r["distance_km"]) for r in near] == [
        ("泗城镇储备点", "救生衣", 30, 0.0)
    ]
    assert client.get("/api/v1/supply-nearest/", {"lat": 95}).status_code == 400
    other = client_for(world.village_officer_b)
    assert other.get(f"/api/v1/supply-agreements/{mine.pk}/").status_code == 404
    assert other.get("/api/v1/supply-nearest/").json() == []


def test_the_schema_has_the_new_supply_routes(db, tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    assert "/api/v1/supply-agreements/{id}/" in schema and "/api/v1/supply-nearest/" in schema
