"""Risk consultations: opened once per unit and period, briefing figures against hand counts,
the meeting record and judgement list, completion sent one tier up, countermeasures overdue."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from delivery import services as delivery
from delivery.models import Delivery
from hazards.models import Grade, Hazard, State
from hazards.tests.factories import report
from reports import selectors, services
from reports.models import Consultation, Countermeasure
from reports.services import ReportRefused

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def at(year, month, day):
    return datetime.datetime(year, month, day, 10, tzinfo=TZ)


def test_townships_monthly_and_county_quarterly(world):
    services.consultations_open(today=datetime.date(2026, 11, 1))  # not a quarter start: townships only
    assert set(Consultation.objects.values_list("unit__level", flat=True)) == {1}
    services.consultations_open(today=datetime.date(2026, 10, 1))  # quarter start: county too
    county = Consultation.objects.get(unit=world.county)
    assert (county.period_start, county.period_end) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    before = Consultation.objects.count()
    services.consultations_open(today=datetime.date(2026, 10, 1))
    assert Consultation.objects.count() == before


def test_township_briefing_against_hand_counts(world):
    # previous month (October 2026): 2 geological in village A, 1 flood in village B; same month a year before: 1 geological
    report(world, found_at=at(2026, 10, 3))
    report(world, found_at=at(2026, 10, 20), title="二")
    report(world, by=world.village_officer_b, unit=world.village_b, code="flood", found_at=at(2026, 10, 5))
    report(world, found_at=at(2025, 10, 7), title="去年")
    report(world, by=world.county_dispatcher, unit=world.village_c, found_at=at(2026, 10, 9), title="别镇")
    major = report(world, found_at=at(2026, 9, 1), title="重大")
    Hazard.objects.filter(pk=major.pk).update(
        grade=Grade.MAJOR, state=State.RECTIFYING, overdue_since=datetime.date(2026, 10, 1)
    )
    services.consultations_open(today=datetime.date(2026, 11, 1))
    briefing = Consultation.objects.get(unit=world.township).briefing
    trend = {row["category"]: row for row in briefing["trend"]}
    assert trend["地质灾害（崩塌、滑坡、泥石流）"]["previous"] == 2
    assert trend["地质灾害（崩塌、滑坡、泥石流）"]["year_ago"] == 1
    assert trend["地质灾害（崩塌、滑坡、泥石流）"]["change"] == 1
    assert trend["洪涝"]["previous"] == 1
    assert [m["title"] for m in briefing["majors"]] == ["重大"]
    assert briefing["overdue"] == 1
    assert {s["name"] for s in briefing["seasonal"]} >= {"森林防火期", "寒潮冰冻期"}
    assert "主汛期" not in {s["name"] for s in briefing["seasonal"]}
    assert briefing["incidents"]["count"] == 0 and briefing["warnings"]["count"] == 0
    other = Consultation.objects.get(unit=world.other_township).briefing
    assert [row["previous"] for row in other["trend"]] == [1]


def test_county_briefing_counts_the_whole_county(world):
    report(world, found_at=at(2026, 8, 3))
    report(world, by=world.county_dispatcher, unit=world.village_c, found_at=at(2026, 9, 9), title="别镇")
    services.consultations_open(today=datetime.date(2026, 10, 1))
    briefing = Consultation.objects.get(unit=world.county).briefing
    assert sum(row["previous"] for row in briefing["trend"]) == 2  # the previous quarter, July–September


def open_township_consultation(world):
    services.consultations_open(today=datetime.date(2026, 11, 1))
    return Consultation.objects.get(unit=world.township)


def test_meeting_record_judgement_list_and_completion_goes_to_the_county(world):
    consultation = open_township_consultation(world)
    with pytest.raises(ValidationError):
        services.consultation_complete(consultation=consultation, by=world.township_officer)
    services.consultation_record(
        consultation=consultation,
        by=world.township_officer,
        held_on=datetime.date(2026, 11, 3),
        participants="镇应急办、水利站、自然资源所、各村网格长",
        summary="雨季结束，火险上升",
    )
    with pytest.raises(ValidationError):
        services.countermeasure_add(
            consultation=consultation,
            by=world.township_officer,
            risk="森林火灾",
            level=2,
            trend="rising",
            measure="护林员上岗",
            responsible_unit=world.village_c,
            deadline=datetime.date(2026, 11, 30),
        )
    services.countermeasure_add(
        consultation=consultation,
        by=world.township_officer,
        risk="森林火灾",
        level=2,
        trend="rising",
        measure="护林员上岗巡护",
        responsible_unit=world.village_a,
        deadline=datetime.date(2026, 11, 30),
    )
    services.consultation_complete(consultation=consultation, by=world.township_officer)
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.COMPLETED
    received = Delivery.objects.get(recipient_unit=world.county)
    assert received.document.kind == "consultation"
    with pytest.raises(ReportRefused):
        services.consultation_complete(consultation=consultation, by=world.township_officer)
    overview = selectors.consultation_overview(
        user=world.county_dispatcher, parent=world.county, period=datetime.date(2026, 11, 15)
    )
    held = {row["unit"].name: row["consultation"] and row["consultation"].state for row in overview}
    assert held[world.township.name] == "completed" and held[world.other_township.name] == "open"


def test_only_the_units_people_record_the_consultation(world):
    consultation = open_township_consultation(world)
    for person in (world.village_officer_a, world.outsider):
        with pytest.raises(PermissionDenied):
            services.consultation_record(
                consultation=consultation, by=person, held_on=datetime.date(2026, 11, 3), participants="x", summary=""
            )


def test_countermeasures_are_marked_overdue_once_and_done_clears_nothing_twice(world):
    consultation = open_township_consultation(world)
    item = services.countermeasure_add(
        consultation=consultation,
        by=world.township_officer,
        risk="山洪",
        level=3,
        trend="steady",
        measure="清理河道",
        responsible_unit=world.village_a,
        deadline=datetime.date(2026, 11, 10),
    )
    assert services.countermeasures_mark_overdue(today=datetime.date(2026, 11, 10)) == 0
    assert services.countermeasures_mark_overdue(today=datetime.date(2026, 11, 11)) == 1
    assert services.countermeasures_mark_overdue(today=datetime.date(2026, 11, 12)) == 0
    item.refresh_from_db()
    assert item.overdue_since == datetime.date(2026, 11, 11)
    with pytest.raises(PermissionDenied):
        services.countermeasure_done(item=item, by=world.village_officer_b, note="x")
    services.countermeasure_done(item=item, by=world.village_officer_a, note="已清理")
    assert Countermeasure.objects.get(pk=item.pk).state == "done"


def test_inbox_read_and_receipt_once_by_the_recipients_people_only(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    world.township_officer.email = "t@example.gov.cn"
    world.township_officer.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        document = delivery.send_document(
            sender_unit=world.village_a, kind="notice", title="测试", url="/", to_units=[world.township]
        )
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["t@example.gov.cn"]
    assert delivery.email_deliveries(document_ids=[document.pk]) == 0  # never twice
    item = document.deliveries.get()
    assert list(delivery.inbox_for(world.township_officer)) == [item]
    assert not delivery.inbox_for(world.county_dispatcher).exists()  # the county's inbox is its own
    with pytest.raises(PermissionDenied):
        delivery.delivery_receipt(delivery=item, by=world.village_officer_a)
    delivery.delivery_read(delivery=item, by=world.township_leader)
    item = delivery.delivery_receipt(delivery=item, by=world.township_officer)
    first = item.receipted_at
    item = delivery.delivery_receipt(delivery=item, by=world.township_leader)
    assert item.state == "receipted" and item.receipted_at == first and item.receipted_by == world.township_officer


def test_the_briefing_is_live_until_the_meeting_is_recorded_then_frozen(world, client_for):
    """The briefing written when the consultation opened knew nothing of what came after; until
    the meeting is recorded the page recomputes it up to today, and the record freezes it."""
    from core.periods import add_months, month_start
    from dispatch.tests.test_incidents import warning_to

    today = timezone.localdate()
    services.consultations_open(today=month_start(today))
    first = add_months(month_start(today), -1)
    consultation = Consultation.objects.get(unit=world.township)
    assert consultation.briefing["warnings"]["count"] == 0
    warning_to(world, [world.township, world.village_a])  # today: inside the consultation's period
    client = client_for(world.township_officer)
    url = f"/reports/consultations/{consultation.pk}/"
    body = client.get(url).content.decode()
    span = f"{first.year}.{first.month}.{first.day}至{today.year}.{today.month}.{today.day}"
    assert f"{span}共收到预警 1 次" in body and "实时更新" in body
    services.consultation_record(
        consultation=consultation,
        by=world.township_officer,
        held_on=timezone.localdate(),
        participants="各村",
        summary="",
    )
    consultation.refresh_from_db()
    assert consultation.briefing["warnings"]["count"] == 1
    assert consultation.briefing["window"] == [first.isoformat(), today.isoformat()]
    warning_to(world, [world.township])  # after the meeting: not in what it read
    body = client.get(url).content.decode()
    assert "共收到预警 1 次" in body and "会商所见" in body
