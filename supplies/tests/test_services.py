"""Stock changes: every movement kind writes its ledger row; expired and maintenance lots are
blocked; the balance never goes negative; the lot's quantity is the sum of its ledger."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from dispatch.models import IncidentType
from dispatch.services import incidents
from supplies import services
from supplies.models import Lot, Movement
from supplies.tests.factories import depot, item, lot


@pytest.fixture
def county_depot(world):
    return depot(world.county, name="凌云县应急物资储备库", kind="depot")


def _ledger_sum(lot_obj) -> int:
    return Movement.objects.filter(lot=lot_obj).aggregate(total=Sum("quantity"))["total"] or 0


def test_receive_writes_the_lot_and_its_ledger_row(world, county_depot):
    received = lot(county_depot, "救生衣", 200, by=world.county_dispatcher, document_no="入库2026-001", reason="采购")
    row = Movement.objects.get(lot=received)
    assert (received.quantity, row.kind, row.quantity, row.balance) == (200, "in", 200, 200)
    assert (row.by, row.document_no, row.depot, row.item) == (
        world.county_dispatcher, "入库2026-001", county_depot, item("救生衣")
    )  # fmt: skip


def test_shelf_life_gives_the_expiry_date(world, county_depot):
    import datetime

    made = datetime.date(2026, 1, 10)
    received = services.stock_receive(
        depot=county_depot, item=item("饮用水"), quantity=5, by=world.county_dispatcher, production_date=made
    )
    assert received.expiry_date == made + datetime.timedelta(days=365)


def test_every_movement_kind_and_the_ledger_reconciles(world, county_depot):
    by = world.county_dispatcher
    jackets = lot(county_depot, "救生衣", 100, by=by)
    services.stock_issue(lot=jackets, quantity=30, by=by, to_unit=world.township, reason="防汛")
    services.stock_issue(lot=jackets, quantity=5, by=by, recipient="泗城镇抢险队")
    services.stock_dispose(lot=jackets, quantity=2, by=by, reason="破损")
    services.stock_adjust(lot=jackets, counted=60, by=by, reason="盘点")
    assert services.stock_adjust(lot=jackets, counted=60, by=by, reason="复盘") is None
    jackets.refresh_from_db()
    kinds = list(Movement.objects.filter(lot=jackets).order_by("id").values_list("kind", "quantity", "balance"))
    assert kinds == [("in", 100, 100), ("out", -30, 70), ("out", -5, 65), ("dispose", -2, 63), ("adjust", -3, 60)]
    assert jackets.quantity == _ledger_sum(jackets) == 60


def test_an_issue_names_the_incident(world, county_depot):
    from django.utils import timezone

    incident, _ = incidents.incident_first_report(
        by=world.county_dispatcher,
        unit=world.county,
        type=IncidentType.objects.get(code="traffic"),
        title="国道山体滑坡",
        occurred_at=timezone.now(),
        place="国道",
        description="…",
        reporter_phone="13800000000",
        level=4,
    )
    bags = lot(county_depot, "编织袋", 1000, by=world.county_dispatcher, expires_in=None)
    row = services.stock_issue(lot=bags, quantity=400, by=world.county_dispatcher, incident=incident)
    assert list(incident.supply_movements.all()) == [row]


def test_more_than_the_lot_holds_is_refused_and_nothing_changes(world, county_depot):
    jackets = lot(county_depot, "救生衣", 10, by=world.county_dispatcher)
    with pytest.raises(ValidationError) as refused:
        services.stock_issue(lot=jackets, quantity=11, by=world.county_dispatcher, recipient="某村")
    assert "只剩" in " ".join(refused.value.messages)
    jackets.refresh_from_db()
    assert jackets.quantity == 10 and Movement.objects.filter(lot=jackets).count() == 1


def test_expired_and_maintenance_lots_cannot_be_issued(world, county_depot):
    by = world.county_dispatcher
    old = lot(county_depot, "饮用水", 50, by=by, expires_in=-1)
    with pytest.raises(ValidationError) as refused:
        services.stock_issue(lot=old, quantity=1, by=by, recipient="某村")
    assert "已于" in " ".join(refused.value.messages) and "过期" in " ".join(refused.value.messages)
    pump = lot(county_depot, "抽水泵", 3, by=by, expires_in=None)
    services.lot_set_maintenance(lot=pump, under_maintenance=True, by=by)
    with pytest.raises(ValidationError) as refused:
        services.stock_issue(lot=pump, quantity=1, by=by, recipient="某村")
    assert "检修保养" in " ".join(refused.value.messages)
    services.stock_dispose(lot=old, quantity=50, by=by, reason="过期报废")  # an expired lot is disposed of
    assert Lot.objects.get(pk=old.pk).quantity == 0


def test_fefo_takes_the_earliest_usable_expiry_first(world, county_depot):
    by = world.county_dispatcher
    lot(county_depot, "方便食品", 40, by=by, expires_in=-3)  # expired: skipped
    late = lot(county_depot, "方便食品", 40, by=by, expires_in=200)
    soon = lot(county_depot, "方便食品", 30, by=by, expires_in=20)
    held = lot(county_depot, "方便食品", 99, by=by, expires_in=5)
    services.lot_set_maintenance(lot=held, under_maintenance=True, by=by)
    plan = services.fefo(county_depot, item("方便食品"), 50)
    assert [(p.pk, n) for p, n in plan] == [(soon.pk, 30), (late.pk, 20)]


def test_only_the_owner_s_own_people_move_stock(world):
    point = depot(world.village_a)
    bags = lot(point, "编织袋", 100, by=world.village_officer_a, expires_in=None)
    for outsider in (world.township_officer, world.village_officer_b, world.department_officer):
        with pytest.raises(PermissionDenied):
            services.stock_issue(lot=bags, quantity=1, by=outsider, recipient="某户")
    services.stock_issue(lot=bags, quantity=1, by=world.village_officer_a, recipient="某户")


def test_bad_numbers_are_refused_in_chinese(world, county_depot):
    jackets = lot(county_depot, "救生衣", 10, by=world.county_dispatcher)
    for bad in (0, -1, "3", 2**40):
        with pytest.raises(ValidationError):
            services.stock_issue(lot=jackets, quantity=bad, by=world.county_dispatcher, recipient="某村")
    with pytest.raises(ValidationError):
        services.stock_issue(lot=jackets, quantity=1, by=world.county_dispatcher)  # no recipient
    assert Movement.objects.filter(lot=jackets).count() == 1


def test_the_incident_page_shows_what_was_issued_to_it(client_for, world, county_depot):
    from django.urls import reverse
    from django.utils import timezone

    incident, _ = incidents.incident_first_report(
        by=world.county_dispatcher,
        unit=world.county,
        type=IncidentType.objects.get(code="traffic"),
        title="国道塌方",
        occurred_at=timezone.now(),
        place="国道",
        description="…",
        reporter_phone="13800000000",
        level=4,
    )
    url = reverse("dispatch:incident_detail", args=[incident.pk])
    assert "发往本事件的物资" not in client_for(world.county_dispatcher).get(url).content.decode()
    bags = lot(county_depot, "编织袋", 1000, by=world.county_dispatcher, expires_in=None)
    services.stock_issue(lot=bags, quantity=400, by=world.county_dispatcher, incident=incident)
    page = client_for(world.county_dispatcher).get(url).content.decode()
    assert "发往本事件的物资" in page and "编织袋 400 条" in page
