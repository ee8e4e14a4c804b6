"""Transfers: a township asks, the county approves, dispatches first expiry first (skipping an
expired lot), the township signs with a difference; every step a delivery; both ledgers show it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from delivery.models import Delivery, Document
from supplies import selectors, services
from supplies.models import Lot, Movement, ReserveNorm, Transfer
from supplies.tests.factories import depot, item, lot


@pytest.fixture
def depots(world):
    county = depot(world.county, name="凌云县应急物资储备库", kind="depot")
    town = depot(world.township, name="泗城镇储备点")
    by = world.county_dispatcher
    expired = lot(county, "救生衣", 100, by=by, expires_in=-5)
    soon = lot(county, "救生衣", 30, by=by, expires_in=40)
    late = lot(county, "救生衣", 200, by=by, expires_in=400)
    bags = lot(county, "编织袋", 5000, by=by, expires_in=None)
    return {"county": county, "town": town, "expired": expired, "soon": soon, "late": late, "bags": bags}


def _request(world):
    return services.transfer_request(
        by=world.township_officer,
        to_unit=world.township,
        source_unit=world.county,
        lines=[(item("编织袋"), 2000), (item("救生衣"), 50)],
        urgency="urgent",
        reason="防汛：暴雨预警",
    )


def _documents(transfer):
    return list(
        Document.objects.filter(kind=Document.Kind.SUPPLY_TRANSFER, url__endswith=f"/transfers/{transfer.pk}/")
        .order_by("pk")
        .values_list("sender_unit__name", "deliveries__recipient_unit__name")
    )


def test_the_whole_transfer_with_fefo_and_a_difference(world, depots):
    transfer = _request(world)
    assert transfer.state == "requested" and transfer.number.startswith(f"451027调〔{timezone.localdate().year}〕")
    services.transfer_approve(transfer=transfer, by=world.county_dispatcher, source_depot=depots["county"])
    services.transfer_dispatch(transfer=transfer, by=world.county_dispatcher)
    for name, left in (("expired", 100), ("soon", 0), ("late", 180), ("bags", 3000)):
        assert Lot.objects.get(pk=depots[name].pk).quantity == left, name
    transfer.refresh_from_db()
    assert transfer.state == "dispatched"
    jackets = transfer.lines.get(item=item("救生衣"))
    with pytest.raises(ValidationError):
        services.transfer_receive(
            transfer=transfer, by=world.township_officer, to_depot=depots["town"], received={jackets.pk: 48}
        )  # a difference needs a note
    services.transfer_receive(
        transfer=transfer,
        by=world.township_officer,
        to_depot=depots["town"],
        received={jackets.pk: 48},
        differences="救生衣破损 2 件",
    )
    transfer.refresh_from_db()
    assert transfer.state == "received"
    town_lots = {(lot.item.name, lot.quantity, lot.expiry_date) for lot in depots["town"].lots.all()}
    assert town_lots == {
        ("救生衣", 30, depots["soon"].expiry_date),
        ("救生衣", 18, depots["late"].expiry_date),
        ("编织袋", 2000, None),
    }
    kinds = sorted(transfer.movements.values_list("kind", "depot__name", "quantity"))
    assert ("transfer_out", "凌云县应急物资储备库", -30) in kinds and ("transfer_in", "泗城镇储备点", 30) in kinds
    assert _documents(transfer) == [
        ("泗城镇", "凌云县"), ("凌云县", "泗城镇"), ("凌云县", "泗城镇"), ("泗城镇", "凌云县"),
    ]  # fmt: skip
    for lot_obj in Lot.objects.all():
        total = Movement.objects.filter(lot=lot_obj).aggregate(t=Sum("quantity"))["t"]
        assert lot_obj.quantity == total


def test_dispatch_refuses_when_usable_stock_is_short_and_moves_nothing(world, depots):
    transfer = services.transfer_order(
        by=world.county_dispatcher,
        source_depot=depots["county"],
        to_unit=world.township,
        lines=[(item("救生衣"), 300)],  # 230 usable, 100 expired
    )
    with pytest.raises(ValidationError) as refused:
        services.transfer_dispatch(transfer=transfer, by=world.county_dispatcher)
    assert "救生衣" in " ".join(refused.value.messages)
    assert Lot.objects.get(pk=depots["soon"].pk).quantity == 30
    assert not Movement.objects.filter(transfer=transfer).exists()


def test_only_the_right_people_take_each_step(world, depots):
    with pytest.raises(PermissionDenied):
        services.transfer_request(
            by=world.village_officer_a, to_unit=world.township, source_unit=world.county, lines=[(item("手电"), 1)]
        )
    transfer = _request(world)
    with pytest.raises(PermissionDenied):
        services.transfer_approve(transfer=transfer, by=world.township_leader, source_depot=depots["county"])
    with pytest.raises(ValidationError):
        services.transfer_approve(transfer=transfer, by=world.county_dispatcher, source_depot=depots["town"])
    with pytest.raises(ValidationError):  # not approved yet
        services.transfer_dispatch(transfer=transfer, by=world.county_dispatcher)
    services.transfer_reject(transfer=transfer, by=world.county_dispatcher, note="库存不足")
    with pytest.raises(ValidationError):
        services.transfer_approve(transfer=transfer, by=world.county_dispatcher, source_depot=depots["county"])


def test_committed_stock_is_not_usable_in_the_readiness_table(world, depots):
    ReserveNorm.objects.create(tier=1, item=item("编织袋"), quantity=4000)
    _items, rows = selectors.readiness(world.county_dispatcher, tier=1)
    assert [c.usable for c in rows[0].cells if c.item.name == "编织袋"] == [5000]
    services.transfer_order(
        by=world.county_dispatcher, source_depot=depots["county"], to_unit=world.township,
        lines=[(item("编织袋"), 1500)],
    )  # fmt: skip
    _items, rows = selectors.readiness(world.county_dispatcher, tier=1)
    cell = next(c for c in rows[0].cells if c.item.name == "编织袋")
    assert (cell.usable, cell.shortfall) == (3500, 500)


def test_both_sides_see_the_transfer_and_the_other_township_does_not(client_for, world, depots):
    transfer = _request(world)
    for user in (world.township_officer, world.county_dispatcher):
        page = client_for(user).get(reverse("supplies:transfer_detail", args=[transfer.pk]))
        assert page.status_code == 200 and transfer.number in page.content.decode()
    assert (
        client_for(world.village_officer_b).get(reverse("supplies:transfer_detail", args=[transfer.pk])).status_code
        == 404
    )
    assert Delivery.objects.filter(document__kind="supply_transfer", recipient_unit=world.county).count() == 1
    printed = client_for(world.township_officer).get(reverse("supplies:transfer_print", args=[transfer.pk]))
    assert "应急物资调拨单" in printed.content.decode()


def test_a_transfer_through_the_pages(client_for, world, depots):
    town = client_for(world.township_officer)
    response = town.post(
        reverse("supplies:transfer_create"),
        {"source_unit": world.county.pk, "urgency": "urgent", "reason": "防汛",
         "item_0": item("编织袋").pk, "quantity_0": 100},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    transfer = Transfer.objects.get()
    county = client_for(world.county_dispatcher)
    url = lambda action: reverse("supplies:transfer_act", args=[transfer.pk, action])  # noqa: E731
    assert county.post(url("approve"), {"source_depot": depots["county"].pk}).status_code == 302
    assert county.post(url("dispatch")).status_code == 302
    line = transfer.lines.get()
    town = client_for(world.township_officer)  # the one test client, logged in again
    assert town.post(url("receive"), {"to_depot": depots["town"].pk, f"line_{line.pk}": 100}).status_code == 302
    transfer.refresh_from_db()
    assert transfer.state == "received"
