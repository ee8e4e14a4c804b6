"""Agreement reserves counted apart from the stock, maintenance records and their due dates, and
the daily job that flags what falls due to the depot owner once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from delivery.models import Delivery, Document
from supplies import selectors, services
from supplies.models import Lot, ReserveNorm, SupplyNotice
from supplies.tasks import flag_supplies_due
from supplies.tests.factories import agreement, depot, item, lot


@pytest.fixture
def town_depot(world):
    return depot(world.township, name="泗城镇储备点")


def _cell(user, unit, name, tier=2):
    items, rows = selectors.readiness(user, tier=tier)
    row = next(r for r in rows if r.unit == unit)
    return next(c for c in row.cells if c.item.name == name)


def test_an_agreement_reserve_is_counted_apart_from_the_stock(world, town_depot):
    ReserveNorm.objects.filter(tier=2, item=item("救生衣")).update(quantity=100, per_thousand=0)
    lot(town_depot, "救生衣", 30, by=world.township_officer)
    agreement(world.township, by=world.township_leader, lines=[("救生衣", 200)])
    cell = _cell(world.county_dispatcher, world.township, "救生衣")
    assert (cell.usable, cell.agreement, cell.required, cell.shortfall) == (30, 200, 100, 70)


def test_a_lapsed_or_ended_agreement_no_longer_counts(world, town_depot):
    today = timezone.localdate()
    agreement(world.township, by=world.township_leader, supplier="甲公司", lines=[("救生衣", 50)],
              valid_from=today - datetime.timedelta(days=400), valid_until=today - datetime.timedelta(days=1))  # fmt: skip
    ended = agreement(world.township, by=world.township_leader, supplier="乙公司", lines=[("救生衣", 70)])
    assert _cell(world.county_dispatcher, world.township, "救生衣").agreement == 70
    services.agreement_end(agreement=ended, by=world.township_leader)
    assert _cell(world.county_dispatcher, world.township, "救生衣").agreement == 0


def test_only_the_units_leaders_record_its_agreements(world):
    with pytest.raises(PermissionDenied):
        agreement(world.township, by=world.village_officer_a)
    with pytest.raises(PermissionDenied):
        agreement(world.other_township, by=world.township_leader)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        agreement(
            world.township, by=world.township_leader, valid_from=today, valid_until=today - datetime.timedelta(days=1)
        )
    assert "结束" in str(refused.value) or "早于" in str(refused.value) or refused.value.message_dict["valid_until"]


def test_the_agreement_pages_are_scoped(client_for, world):
    mine = agreement(world.township, by=world.township_leader, supplier="泗城供应商")
    client = client_for(world.township_leader)
    page = client.get(reverse("supplies:agreement_list")).content.decode()
    assert "泗城供应商" in page and "协议储备" in page
    assert client.get(reverse("supplies:agreement_detail", args=[mine.pk])).status_code == 200
    for person in (world.village_officer_b, world.outsider):  # the village below sees no agreement of the township
        assert client_for(person).get(reverse("supplies:agreement_detail", args=[mine.pk])).status_code == 404
    response = client_for(world.township_leader).post(
        reverse("supplies:agreement_create"),
        {"unit": world.township.pk, "supplier": "新供应商", "contact_name": "李", "phone": "1380", "contract_no": "X-1",
         "method": "agreement", "reserve_mode": "commercial", "valid_from": "2026-11-01", "valid_until": "2027-10-31",
         "response_hours": 6, "item_0": item("帐篷").pk, "quantity_0": 40},
    )  # fmt: skip
    assert response.status_code == 302
    assert client_for(world.village_officer_a).get(reverse("supplies:agreement_create")).status_code == 403


def test_maintenance_sets_the_next_due_date_and_a_fault_blocks_the_lot(world, town_depot):
    pump = lot(town_depot, "抽水泵", 2, by=world.township_officer, expires_in=None)
    interval = item("抽水泵").maintenance_interval_days
    today = timezone.localdate()
    assert pump.next_maintenance_due == today + datetime.timedelta(days=interval)
    done = today - datetime.timedelta(days=3)
    record = services.maintenance_record(lot=pump, by=world.township_officer, done_on=done, kind="maintenance")
    assert record.next_due == done + datetime.timedelta(days=interval)
    with pytest.raises(ValidationError):
        services.maintenance_record(lot=pump, by=world.township_officer, done_on=today, result="faulty")  # no note
    services.maintenance_record(lot=pump, by=world.township_officer, done_on=today, result="faulty", note="叶轮损坏")
    pump.refresh_from_db()
    assert pump.under_maintenance
    with pytest.raises(ValidationError) as refused:
        services.stock_issue(lot=pump, quantity=1, by=world.township_officer, recipient="抢险队")
    assert "检修" in str(refused.value) or "维护" in str(refused.value) or "保养" in str(refused.value)
    services.maintenance_record(lot=pump, by=world.township_officer, done_on=today, kind="repair")
    pump.refresh_from_db()
    assert not pump.under_maintenance
    with pytest.raises(PermissionDenied):
        services.maintenance_record(lot=pump, by=world.county_dispatcher, done_on=today)


def test_maintenance_of_an_item_that_needs_none_is_refused(world, town_depot):
    bags = lot(town_depot, "编织袋", 100, by=world.township_officer, expires_in=None)
    with pytest.raises(ValidationError):
        services.maintenance_record(lot=bags, by=world.township_officer, done_on=timezone.localdate())


def test_the_maintenance_page_marks_what_is_overdue(client_for, world, town_depot):
    pump = lot(town_depot, "抽水泵", 1, by=world.township_officer, expires_in=None)
    Lot.objects.filter(pk=pump.pk).update(next_maintenance_due=timezone.localdate() - datetime.timedelta(days=2))
    client = client_for(world.township_officer)
    page = client.get(reverse("supplies:maintenance")).content.decode()
    assert "抽水泵" in page and "已逾期" in page
    form = client.get(reverse("supplies:maintenance_record", args=[pump.pk]))
    assert form.status_code == 200
    done = client.post(
        reverse("supplies:maintenance_record", args=[pump.pk]),
        {"kind": "inspection", "done_on": timezone.localdate().isoformat(), "result": "good", "note": ""},
    )
    assert done.status_code == 302
    assert (
        client_for(world.village_officer_b).get(reverse("supplies:maintenance_record", args=[pump.pk])).status_code
        == 404
    )


# --- the daily job ---------------------------------------------------------------------------------


@pytest.fixture
def due(world, town_depot):
    today = timezone.localdate()
    village = depot(world.village_a, name="陇雅村储备点")
    pump = lot(town_depot, "抽水泵", 1, by=world.township_officer, expires_in=None)
    Lot.objects.filter(pk=pump.pk).update(next_maintenance_due=today - datetime.timedelta(days=1))
    lot(village, "救生衣", 10, by=world.village_officer_a, expires_in=10)  # expiring within 30 days
    lot(village, "救生衣", 10, by=world.village_officer_a, expires_in=90)  # not yet
    agreement(world.township, by=world.township_leader, supplier="将到期公司", days=20)
    agreement(world.township, by=world.township_leader, supplier="长期公司", days=300)
    return {"pump": pump, "village": village}


def _notices():
    return sorted(
        Delivery.objects.filter(document__kind=Document.Kind.NOTICE).values_list(
            "recipient_unit__name", "document__title"
        )
    )


def test_the_daily_job_flags_each_thing_once_to_the_owner(world, due, django_capture_on_commit_callbacks):
    assert flag_supplies_due.run() == 3
    notices = _notices()
    assert [unit for unit, _title in notices] == ["泗城镇", "泗城镇", "陇雅村"]
    titles = " ".join(title for _unit, title in notices)
    assert "抽水泵" in titles and "将到期公司" in titles and "救生衣" in titles and "长期公司" not in titles
    assert flag_supplies_due.run() == 0  # once: a second run sends nothing
    assert len(_notices()) == 3
    assert SupplyNotice.objects.filter(sent_at__isnull=True).count() == 0


def test_the_daily_job_runs_in_constant_queries(world, due):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.flag_due()
    counts = []
    for n in (1, 6):
        for k in range(n):
            lot(due["village"], "救生衣", 1 + k, by=world.village_officer_a, expires_in=5 + k)
        with CaptureQueriesContext(connection) as queries:
            assert services.flag_due() == n
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_expiry_warning_days_is_a_setting(world, due, settings):
    settings.SUPPLIES_EXPIRY_WARN_DAYS = 5
    services.flag_due()
    titles = " ".join(title for _unit, title in _notices())
    assert "救生衣" not in titles and "将到期公司" not in titles and "抽水泵" in titles


def test_the_job_is_declared_daily():
    from emergency.schedules import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["supplies.flag_supplies_due"]["task"] == "supplies.tasks.flag_supplies_due"
