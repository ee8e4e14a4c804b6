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
