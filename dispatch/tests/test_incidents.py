"""Incident information reports: level computation, the first report up the tiers, each tier's
steps, late flags at the deadline boundaries, follow-up and final reports, scope, statistics, the
briefing sections, the pages and the API."""

from __future__ import annotations

import contextlib
import datetime
import io
import uuid
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from delivery.models import Delivery, Document
from delivery.services import inbox_for, send_document
from dispatch import access
from dispatch.briefing import briefing_sections
from dispatch.models import (
    AccidentThreshold,
    Incident,
    IncidentReport,
    IncidentTier,
    IncidentType,
    Level,
    ReportingDeadline,
    Warning,
    WarningType,
)
from dispatch.selectors import incidents as incident_selectors
from dispatch.services import incident_figures, incident_tiers
from dispatch.services import incidents as svc

pytestmark = pytest.mark.django_db

TZ = timezone.get_current_timezone()
MIN = datetime.timedelta(minutes=1)
SEC = datetime.timedelta(seconds=1)


@contextlib.contextmanager
def at(moment: datetime.datetime):
    """Run with the clock set to ``moment`` (services and auto_now fields read timezone.now)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def kind(code: str) -> IncidentType:
    return IncidentType.objects.get(code=code)


def report(world, *, by=None, unit=None, code="fire", occurred_at=None, level=None, **figures) -> Incident:
    """A first report through the service (a village-A fire by default, happened 5 minutes ago)."""
    incident, created = svc.incident_first_report(
        by=by or world.village_officer_a,
        unit=unit or world.village_a,
        type=kind(code),
        title="仓库起火",
        occurred_at=occurred_at or timezone.now() - 5 * MIN,
        place="三组仓库",
        description="仓库着火，已报119。",
        reporter_phone="13800000000",
        level=level,
        **figures,
    )
    assert created
    return incident


def tier(incident, unit) -> IncidentTier:
    return IncidentTier.objects.get(incident=incident, unit=unit)


def incident_documents(unit):
    return Delivery.objects.filter(recipient_unit=unit, document__kind=Document.Kind.INCIDENT)


# --- level computation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deaths", "serious", "loss", "expected"),
    [
        (30, 0, "0", Level.I),
        (29, 0, "0", Level.II),
        (10, 0, "0", Level.II),
        (9, 0, "0", Level.III),
        (3, 0, "0", Level.III),
        (2, 0, "0", Level.IV),
        (1, 0, "0", Level.IV),
        (0, 0, "0", Level.IV),
        (0, 100, "0", Level.I),
        (0, 99, "0", Level.II),
        (0, 50, "0", Level.II),
        (0, 49, "0", Level.III),
        (0, 10, "0", Level.III),
        (0, 9, "0", Level.IV),
        (0, 1, "0", Level.IV),
        (0, 0, "10000", Level.I),
        (0, 0, "9999.99", Level.II),
        (0, 0, "5000", Level.II),
        (0, 0, "4999", Level.III),
        (0, 0, "4999.99", Level.III),
        (0, 0, "1000", Level.III),
        (0, 0, "999", Level.IV),
        (0, 0, "999.99", Level.IV),
    ],
)
def test_level_at_each_threshold_boundary(deaths, serious, loss, expected):
    assert (
        incident_figures.incident_level(deaths=deaths, serious_injuries=serious, direct_loss=Decimal(loss)) == expected
    )


@pytest.mark.parametrize(
    ("deaths", "serious", "loss", "expected"),
    [
        (1, 50, "0", Level.II),
        (2, 0, "10000", Level.I),
        (29, 100, "0", Level.I),
        (3, 9, "999", Level.III),
        (0, 10, "5000", Level.II),
    ],
)
def test_the_highest_level_reached_by_any_criterion_wins(deaths, serious, loss, expected):
    assert (
        incident_figures.incident_level(deaths=deaths, serious_injuries=serious, direct_loss=Decimal(loss)) == expected
    )


def test_grading_follows_the_rule_table():
    AccidentThreshold.objects.filter(level=Level.III).update(min_deaths=5)
    assert incident_figures.incident_level(deaths=4, serious_injuries=0, direct_loss=0) == Level.IV
    assert incident_figures.incident_level(deaths=5, serious_injuries=0, direct_loss=0) == Level.III


# --- the first report ---------------------------------------------------------------------------------


def test_first_report_goes_to_the_parent_at_once_and_waits_for_the_county(world):
    incident = report(world, injured=2)
    assert incident.number.startswith(f"{world.village_a.code}-{timezone.localdate().year}-SJ")
    assert incident.level == Level.IV and incident.level_computed
    assert incident.category == "accident"
    origin, township, county = (
        tier(incident, world.village_a),
        tier(incident, world.township),
        tier(incident, world.county),
    )
    assert origin.received_at and origin.forwarded_at and not (origin.phone_late or origin.written_late)
    assert township.received_at == township.written_at == origin.forwarded_at
    assert county.received_at is None and county.written_at is None
    assert incident_documents(world.township).count() == 1
    assert not incident_documents(world.county).exists()
    first = incident.reports.get()
    assert first.kind == IncidentReport.Kind.FIRST and first.figures["injured"] == 2


def test_first_report_numbers_follow_each_other(world):
    first, second = report(world), report(world)
    assert first.number.endswith("SJ0001") and second.number.endswith("SJ0002")


def test_first_report_is_idempotent_with_the_client_key(world):
    key = uuid.uuid4()
    arguments = dict(
        by=world.village_officer_a,
        unit=world.village_a,
        type=kind("fire"),
        title="起火",
        occurred_at=timezone.now(),
        place="村口",
        description="起火",
        reporter_phone="13800000000",
        client_key=key,
    )
    first, created = svc.incident_first_report(**arguments)
    again, created_again = svc.incident_first_report(**arguments)
    assert created and not created_again and first.pk == again.pk
    assert Incident.objects.count() == 1 and IncidentTier.objects.count() == 3
    assert incident_documents(world.township).count() == 1


def test_production_safety_level_is_computed_and_the_estimate_ignored(world):
    incident = report(world, deaths=3, level=Level.IV)
    assert incident.level == Level.III and incident.level_computed


def test_other_incidents_carry_the_reporters_estimate(world):
    incident = report(world, code="geological", level=Level.II)
    assert incident.level == Level.II and not incident.level_computed


def test_other_incidents_need_an_estimated_level(world):
    with pytest.raises(ValidationError) as error:
        report(world, code="geological")
    assert "level" in error.value.error_dict


def test_first_report_refuses_a_future_time_and_more_seriously_injured_than_injured(world):
    with pytest.raises(ValidationError) as error:
        report(world, occurred_at=timezone.now() + datetime.timedelta(hours=1), injured=1, serious_injuries=2)
    assert {"occurred_at", "serious_injuries"} <= set(error.value.error_dict)


@pytest.mark.parametrize("persona", ["village_officer_b", "outsider", "department_officer"])
def test_only_people_of_the_grid_may_report_there(world, persona):
    with pytest.raises(PermissionDenied):
        report(world, by=getattr(world, persona))


def test_a_township_report_reaches_the_county_at_once(world):
    incident = report(world, by=world.township_officer, unit=world.township)
    assert tier(incident, world.county).written_at is not None
    assert incident_documents(world.county).count() == 1
    assert not IncidentTier.objects.filter(incident=incident, unit=world.village_a).exists()


# --- each tier: confirm, forward, phone ---------------------------------------------------------------


def test_township_confirms_and_its_delivery_is_receipted(world):
    incident = report(world)
    incident_tiers.incident_confirm(incident=incident, unit=world.township, by=world.township_officer)
    township = tier(incident, world.township)
    assert township.confirmed_by == world.township_officer
    assert incident_documents(world.township).get().state == Delivery.State.RECEIPTED
    incident_tiers.incident_confirm(incident=incident, unit=world.township, by=world.township_leader)  # no change
    assert tier(incident, world.township).confirmed_by == world.township_officer


@pytest.mark.parametrize(
    ("persona", "unit_name"),
    [
        ("village_officer_a", "township"),
        ("village_officer_a", "village_a"),
        ("county_dispatcher", "township"),
        ("department_officer", "county"),
        ("outsider", "township"),
        ("township_officer", "county"),
    ],
)
def test_tier_steps_belong_to_that_units_officers(world, persona, unit_name):
    incident = report(world)
    by, unit = getattr(world, persona), getattr(world, unit_name)
    for step in (incident_tiers.incident_confirm, incident_tiers.incident_forward):
        with pytest.raises(PermissionDenied):
            step(incident=incident, unit=unit, by=by)
    with pytest.raises(PermissionDenied):
        incident_tiers.incident_record_phone(incident=incident, unit=unit, by=by, at=timezone.now())


def test_the_county_cannot_confirm_before_it_arrives(world):
    incident = report(world)
    with pytest.raises(ValidationError):
        incident_tiers.incident_confirm(incident=incident, unit=world.county, by=world.county_dispatcher)


def test_township_forwards_to_the_county(world):
    incident = report(world)
    incident_tiers.incident_forward(incident=incident, unit=world.township, by=world.township_officer)
    township, county = tier(incident, world.township), tier(incident, world.county)
    assert township.forwarded_at and township.confirmed_by == world.township_officer
    assert county.received_at == county.written_at == township.forwarded_at
    assert incident_documents(world.county).count() == 1
    assert list(inbox_for(world.county_dispatcher).values_list("document__kind", flat=True)) == [Document.Kind.INCIDENT]
    with pytest.raises(ValidationError):
        incident_tiers.incident_forward(incident=incident, unit=world.township, by=world.township_officer)
    incident_tiers.incident_confirm(incident=incident, unit=world.county, by=world.county_dispatcher)
    with pytest.raises(ValidationError):  # the county is the top tier
        incident_tiers.incident_forward(incident=incident, unit=world.county, by=world.county_dispatcher)


def test_the_county_records_a_phone_call_before_the_written_report(world):
    incident = report(world)
    told = timezone.now() - MIN
    incident_tiers.incident_record_phone(incident=incident, unit=world.county, by=world.county_dispatcher, at=told)
    county = tier(incident, world.county)
    assert county.phone_at == told and county.received_at is None and not county.phone_late


def test_a_phone_time_before_the_incident_or_in_the_future_is_refused(world):
    incident = report(world)
    for moment in (incident.occurred_at - MIN, timezone.now() + datetime.timedelta(hours=1)):
        with pytest.raises(ValidationError):
            incident_tiers.incident_record_phone(
                incident=incident, unit=world.township, by=world.township_officer, at=moment
            )


# --- late flags at the deadline boundaries ------------------------------------------------------------


T0 = datetime.datetime(2025, 3, 10, 8, 0, tzinfo=TZ)  # level III and above: phone 20 min, written 40 min


def level_three(world, *, reported_after=datetime.timedelta(minutes=5), by=None, unit=None):
    with at(T0 + reported_after):
        return report(world, by=by, unit=unit, occurred_at=T0, deaths=3)


@pytest.mark.parametrize(
    ("after", "late"), [(20 * MIN, False), (20 * MIN + SEC, True), (19 * MIN, False), (21 * MIN, True)]
)
def test_phone_report_late_only_after_the_deadline(world, after, late):
    incident = level_three(world)
    with at(T0 + 50 * MIN):
        incident_tiers.incident_record_phone(
            incident=incident, unit=world.township, by=world.township_officer, at=T0 + after
        )
    assert tier(incident, world.township).phone_late is late


@pytest.mark.parametrize(("after", "late"), [(40 * MIN, False), (40 * MIN + SEC, True)])
def test_written_report_late_only_after_the_deadline(world, after, late):
    incident = level_three(world)
    with at(T0 + after):
        incident_tiers.incident_forward(incident=incident, unit=world.township, by=world.township_officer)
    county = tier(incident, world.county)
    assert county.written_at == T0 + after and county.written_late is late


@pytest.mark.parametrize(("after", "late"), [(40 * MIN, False), (41 * MIN, True)])
def test_a_first_report_itself_is_late_after_the_written_deadline(world, after, late):
    incident = level_three(world, reported_after=after)
    assert tier(incident, world.township).written_late is late
    assert tier(incident, world.village_a).written_late is False  # the source has no deadline


def test_deadlines_come_from_the_rule_table(world):
    ReportingDeadline.objects.filter(level=Level.III).update(phone_minutes=30)
    incident = level_three(world)
    with at(T0 + 50 * MIN):
        incident_tiers.incident_record_phone(
            incident=incident, unit=world.township, by=world.township_officer, at=T0 + 25 * MIN
        )
    assert tier(incident, world.township).phone_late is False


def test_editing_the_rule_does_not_change_a_past_incidents_lateness(world):
    incident = level_three(world)
    assert (incident.phone_due, incident.written_due) == (T0 + 20 * MIN, T0 + 40 * MIN)
    ReportingDeadline.objects.filter(level=Level.III).update(phone_minutes=5, written_minutes=10)
    with at(T0 + 30 * MIN):
        incident_tiers.incident_record_phone(
            incident=incident, unit=world.township, by=world.township_officer, at=T0 + 15 * MIN
        )
        svc.incidents_flag_late()
    assert tier(incident, world.township).phone_late is False
    county = tier(incident, world.county)
    assert county.received_at is None and county.written_late is False and county.phone_late is True
    incident.refresh_from_db()
    assert (incident.phone_due, incident.written_due) == (T0 + 20 * MIN, T0 + 40 * MIN)


def test_a_level_change_stores_the_deadlines_of_the_rule_then_in_force(world):
    incident = level_three(world)
    ReportingDeadline.objects.filter(level=Level.II).update(phone_minutes=15, written_minutes=30)
    with at(T0 + 10 * MIN):
        svc.incident_follow_up(incident=incident, by=world.village_officer_a, text="更多伤亡", figures={"deaths": 12})
    incident.refresh_from_db()
    assert incident.level == Level.II
    assert (incident.phone_due, incident.written_due) == (T0 + 15 * MIN, T0 + 30 * MIN)


def test_periodic_job_flags_missing_reports_at_the_boundaries_and_hands_the_incident_up(world):
    incident = level_three(world)
    assert svc.incidents_flag_late(now=T0 + 20 * MIN) == {"phone_late": 0, "written_late": 0, "delivered": 0}
    result = svc.incidents_flag_late(now=T0 + 20 * MIN + SEC)
    assert result["phone_late"] == 2  # township and county, not the reporting village
    assert not tier(incident, world.village_a).phone_late
    assert svc.incidents_flag_late(now=T0 + 40 * MIN)["delivered"] == 0
    assert tier(incident, world.county).received_at is None
    with at(T0 + 40 * MIN + SEC):
        result = svc.incidents_flag_late(now=T0 + 40 * MIN + SEC)
    assert result == {"phone_late": 0, "written_late": 1, "delivered": 1}
    county = tier(incident, world.county)
    assert county.received_at == T0 + 40 * MIN + SEC and county.written_at is None and county.written_late
    assert incident_documents(world.county).count() == 1
    assert svc.incidents_flag_late(now=T0 + 60 * MIN) == {"phone_late": 0, "written_late": 0, "delivered": 0}
    # the township forwards later still: written now, and late
    with at(T0 + 70 * MIN):
        incident_tiers.incident_forward(incident=incident, unit=world.township, by=world.township_officer)
    county = tier(incident, world.county)
    assert county.written_at == T0 + 70 * MIN and county.written_late
    assert county.received_at == T0 + 40 * MIN + SEC


def test_periodic_job_runs_in_constant_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(count: int, now: datetime.datetime) -> int:
        for _ in range(count):
            level_three(world)
        with CaptureQueriesContext(connection) as queries:
            result = svc.incidents_flag_late(now=now)
        assert result["delivered"] == count
        return len(queries)

    assert run(1, T0 + 2 * 60 * MIN) == run(5, T0 + 3 * 60 * MIN)


def test_a_late_phone_time_recorded_after_the_job_can_still_be_on_time(world):
    incident = level_three(world)
    svc.incidents_flag_late(now=T0 + 30 * MIN)
    assert tier(incident, world.township).phone_late
    with at(T0 + 31 * MIN):
        incident_tiers.incident_record_phone(
            incident=incident, unit=world.township, by=world.township_officer, at=T0 + 10 * MIN
        )
    assert not tier(incident, world.township).phone_late


def test_flags_are_recomputed_when_the_level_changes(world):
    with at(T0 + 5 * MIN):
        incident = report(world, occurred_at=T0)  # level IV: phone within 60 minutes
    with at(T0 + 50 * MIN):
        incident_tiers.incident_record_phone(
            incident=incident, unit=world.township, by=world.township_officer, at=T0 + 30 * MIN
        )
    assert not tier(incident, world.township).phone_late
    with at(T0 + 55 * MIN):
        svc.incident_follow_up(
            incident=incident, by=world.village_officer_a, text="又发现3人遇难", figures={"deaths": 3}
        )
    incident.refresh_from_db()
    assert incident.level == Level.III
    assert tier(incident, world.township).phone_late  # 30 minutes is late for level III (20)
    assert tier(incident, world.county).phone_late and tier(incident, world.county).written_late


# --- follow-up and final reports -------------------------------------------------------------------


def test_follow_ups_are_numbered_update_figures_and_go_up(world):
    incident = report(world, injured=1)
    first = svc.incident_follow_up(
        incident=incident, by=world.village_officer_a, text="伤员送医", figures={"injured": 4}
    )
    second = svc.incident_follow_up(
        incident=incident, by=world.township_officer, text="损失核定", figures={"direct_loss": "1200"}
    )
    incident.refresh_from_db()
    assert (first.sequence, second.sequence) == (1, 2)
    assert incident.injured == 4 and incident.direct_loss == Decimal("1200.00") and incident.level == Level.III
    assert first.unit == world.village_a and second.unit == world.township
    assert second.figures["level"] == Level.III
    assert incident_documents(world.township).count() == 2  # first report + follow-up 1
    assert not incident_documents(world.county).exists()  # not reached the county yet


def test_an_estimated_level_changes_only_when_given(world):
    incident = report(world, code="geological", level=Level.III)
    svc.incident_follow_up(incident=incident, by=world.township_officer, text="更新", figures={"missing": 2})
    incident.refresh_from_db()
    assert incident.level == Level.III and incident.missing == 2
    svc.incident_follow_up(incident=incident, by=world.township_officer, text="升级", figures={"level": Level.II})
    incident.refresh_from_db()
    assert incident.level == Level.II


def test_final_report_closes_the_chain(world):
    incident = report(world)
    with pytest.raises(PermissionDenied):
        svc.incident_final(incident=incident, by=world.village_officer_a, text="处置完毕")
    svc.incident_final(incident=incident, by=world.township_officer, text="处置完毕")
    incident.refresh_from_db()
    assert incident.is_final
    with pytest.raises(ValidationError) as error:
        svc.incident_follow_up(incident=incident, by=world.village_officer_a, text="还有")
    assert error.value.messages == [
        str(svc._("The final report has been made; no more follow-up reports can be added."))
    ]
    with pytest.raises(ValidationError):
        svc.incident_final(incident=incident, by=world.county_dispatcher, text="再报")
    kinds = list(incident.reports.values_list("kind", flat=True))
    assert kinds == [IncidentReport.Kind.FIRST, IncidentReport.Kind.FINAL]


@pytest.mark.parametrize("persona", ["department_officer", "outsider", "village_officer_b"])
def test_follow_ups_only_from_the_grid_and_the_tiers_above(world, persona):
    incident = report(world)
    with pytest.raises(PermissionDenied):
        svc.incident_follow_up(incident=incident, by=getattr(world, persona), text="x")


def test_a_follow_up_needs_text(world):
    incident = report(world)
    with pytest.raises(ValidationError):
        svc.incident_follow_up(incident=incident, by=world.village_officer_a, text=" ")


# --- scope ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("village_officer_a", True),
        ("village_officer_b", False),
        ("township_officer", True),
        ("township_leader", True),
        ("county_dispatcher", True),
        ("department_officer", True),
        ("outsider", False),
        ("admin", True),
    ],
)
def test_who_sees_an_incident(world, persona, sees):
    incident = report(world)
    user = getattr(world, persona)
    assert access.visible_incidents(user).filter(pk=incident.pk).exists() is sees
    if sees:
        assert access.get_incident_for_user(user, incident.pk) == incident
    else:
        with pytest.raises(Http404):
            access.get_incident_for_user(user, incident.pk)


def test_department_staff_see_but_may_not_add(world):
    incident = report(world)
    for action in ("follow_up", "final"):
        with pytest.raises(PermissionDenied):
            access.get_incident_for_user(world.department_officer, incident.pk, action=action)


def test_an_incident_that_reached_a_tier_stays_visible_there(world):
    """A tier that received an incident keeps seeing it even when its unit is outside the person's subtree."""
    incident = report(world, by=world.county_dispatcher, unit=world.village_c)
    IncidentTier.objects.create(incident=incident, unit=world.township, received_at=timezone.now())
    assert access.visible_incidents(world.township_officer).filter(pk=incident.pk).exists()
    assert not access.visible_incidents(world.village_officer_a).filter(pk=incident.pk).exists()


# --- statistics -------------------------------------------------------------------------------------


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TZ)


@pytest.fixture
def year_of_incidents(world):
    """2024: January fire (1 dead, 2 injured, loss 10), February flood in village B (level III, 3 missing),
    April traffic accident (3 dead, loss 1500), December quake in village C (other township, level II,
    4 injured); and a 2023 fire."""
    report(world, occurred_at=local(2024, 1, 15, 9), deaths=1, injured=2, direct_loss="10")
    report(
        world,
        by=world.village_officer_b,
        unit=world.village_b,
        code="flood_drought",
        level=Level.III,
        occurred_at=local(2024, 2, 1, 0, 30),
        missing=3,
    )
    report(world, code="traffic", occurred_at=local(2024, 4, 30, 23, 59), deaths=3, direct_loss="1500")
    report(
        world,
        by=world.county_dispatcher,
        unit=world.village_c,
        code="earthquake",
        level=Level.II,
        occurred_at=local(2024, 12, 31, 23, 0),
        injured=4,
    )
    report(world, occurred_at=local(2023, 6, 1, 12), deaths=2)


def test_statistics_by_month_match_a_hand_count(world, year_of_incidents, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        stats = incident_selectors.incident_statistics(world.county_dispatcher, year=2024, period="month")
    assert [line.count for line in stats.rows] == [1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]
    assert (stats.total.count, stats.total.deaths, stats.total.injured, stats.total.missing) == (4, 4, 6, 3)
    assert stats.total.loss == Decimal("1510.00")
    assert stats.rows[3].by_level == {Level.III: 1} and stats.rows[0].by_category == {"accident": 1}
    by_category = {line.key: (line.count, line.deaths, line.missing) for line in stats.categories}
    assert by_category == {"natural": (2, 0, 3), "accident": (2, 4, 0), "health": (0, 0, 0), "social": (0, 0, 0)}
    assert {line.key: line.count for line in stats.levels} == {1: 0, 2: 1, 3: 2, 4: 1}


def test_statistics_by_quarter_and_year(world, year_of_incidents):
    quarters = incident_selectors.incident_statistics(world.county_dispatcher, year=2024, period="quarter")
    assert [(line.count, line.deaths) for line in quarters.rows] == [(2, 1), (1, 3), (0, 0), (1, 0)]
    years = incident_selectors.incident_statistics(world.county_dispatcher, year=2024, period="year")
    assert [(line.label, line.count, line.deaths) for line in years.rows] == [("2024", 4, 4), ("2023", 1, 2)]


def test_statistics_stay_in_scope(world, year_of_incidents):
    township = incident_selectors.incident_statistics(world.township_officer, year=2024, period="year")
    assert (township.total.count, township.total.injured) == (4, 2)  # not village C's quake
    village_b = incident_selectors.incident_statistics(world.village_officer_b, year=2024, period="month")
    assert village_b.total.count == 1 and village_b.total.missing == 3
    assert incident_selectors.incident_statistics(world.outsider, year=2024).total.count == 0


def test_statistics_filter_by_category_and_level(world, year_of_incidents):
    stats = incident_selectors.incident_statistics(world.county_dispatcher, year=2024, filters={"category": "natural"})
    assert stats.total.count == 2
    stats = incident_selectors.incident_statistics(world.county_dispatcher, year=2024, filters={"level": Level.III})
    assert stats.total.count == 2


# --- briefing sections ------------------------------------------------------------------------------


def warning_to(world, units, *, code="rainstorm", level=Level.II) -> Warning:
    document = send_document(sender_unit=world.county, kind=Document.Kind.WARNING, title="暴雨预警", to_units=units)
    now = timezone.now()
    return Warning.objects.create(
        type=WarningType.objects.get(code=code),
        level=level,
        title="暴雨预警",
        content="…",
        valid_from=now,
        valid_to=now + datetime.timedelta(days=1),
        issuer_unit=world.county,
        created_by=world.county_dispatcher,
        state=Warning.State.ACTIVE,
        document=document,
    )


def test_briefing_sections_per_township(world, year_of_incidents, django_assert_max_num_queries):
    today = timezone.localdate()
    warning_to(world, [world.township, world.village_a])
    warning_to(world, [world.township, world.other_township], code="gale", level=Level.IV)
    with django_assert_max_num_queries(3):
        sections = briefing_sections([world.township, world.other_township], datetime.date(2024, 1, 1), today)
    township = sections[world.township.pk]["incidents"]
    assert (township["count"], township["deaths"], township["injured"], township["missing"]) == (3, 4, 2, 3)
    assert township["direct_loss"] == "1510.00"
    assert {c["category"]: c["count"] for c in township["by_category"]} == {"accident": 2, "natural": 1}
    assert [item["deaths"] for item in township["largest"]] == [3, 1, 0]
    other = sections[world.other_township.pk]["incidents"]
    assert other["count"] == 1 and other["largest"][0]["type"] == "地震灾害"
    warnings = sections[world.township.pk]["warnings"]
    assert warnings["count"] == 2
    assert {w["type"]: w["count"] for w in warnings["by_type"]} == {"暴雨": 1, "大风": 1}
    assert [(w["level"], w["count"]) for w in warnings["by_level"]] == [(Level.II, 1), (Level.IV, 1)]
    assert sections[world.other_township.pk]["warnings"]["count"] == 1


def test_briefing_sections_for_the_county_and_an_empty_period(world, year_of_incidents):
    sections = briefing_sections([world.county], datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
    assert sections[world.county.pk]["incidents"]["count"] == 2
    assert sections[world.county.pk]["warnings"] == {"count": 0, "by_type": [], "by_level": []}
    empty = briefing_sections([world.village_a], datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))
    assert empty[world.village_a.pk]["incidents"]["count"] == 0


def test_briefing_queries_do_not_grow_with_units(world, django_assert_max_num_queries):
    units = [world.village_a, world.village_b, world.village_c, world.enterprise]
    with django_assert_max_num_queries(3):
        briefing_sections(units, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))


# --- pages ------------------------------------------------------------------------------------------


def first_report_post(world, **overrides):
    data = {
        "client_key": str(uuid.uuid4()),
        "unit": world.village_a.pk,
        "type": kind("fire").pk,
        "title": "仓库起火",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "place": "三组",
        "deaths": "0",
        "injured": "2",
        "serious_injuries": "0",
        "missing": "0",
        "trapped": "0",
        "direct_loss": "0",
        "description": "起火",
        "measures": "已疏散",
        "reporter_phone": "13800000000",
        "level": "4",
    }
    data.update(overrides)
    return data


def test_report_page_sends_a_first_report(world, client_for):
    client = client_for(world.village_officer_a)
    page = client.get(reverse("dispatch:incident_report"))
    assert page.status_code == 200
    assert world.village_officer_a.mobile in page.content.decode()
    response = client.post(reverse("dispatch:incident_report"), first_report_post(world))
    incident = Incident.objects.get()
    assert response.status_code == 302 and response.url == reverse("dispatch:incident_detail", args=[incident.pk])
    detail = client.get(response.url)
    assert detail.status_code == 200 and 'data-level="4"' in detail.content.decode()


def test_report_page_shows_errors_and_saves_nothing(world, client_for):
    client = client_for(world.village_officer_a)
    response = client.post(reverse("dispatch:incident_report"), first_report_post(world, type="", title=""))
    assert response.status_code == 200 and b"form-errors" in response.content
    assert not Incident.objects.exists()


def test_report_page_refuses_someone_without_a_grid(world, client_for):
    assert client_for(world.outsider).get(reverse("dispatch:incident_report")).status_code == 403


def test_report_page_cannot_report_for_another_village(world, client_for):
    response = client_for(world.village_officer_b).post(reverse("dispatch:incident_report"), first_report_post(world))
    assert response.status_code == 200 and not Incident.objects.exists()


def test_list_is_scoped_filtered_and_flags_late_reports(world, client_for):
    late = level_three(world)
    svc.incidents_flag_late(now=T0 + 30 * MIN)
    report(world, by=world.village_officer_b, unit=world.village_b, code="flood_drought", level=Level.IV)
    url = reverse("dispatch:incident_list")
    own = client_for(world.village_officer_b).get(url).content.decode()
    assert f'data-incident="{late.pk}"' not in own
    county = client_for(world.county_dispatcher).get(url).content.decode()
    assert f'data-incident="{late.pk}" data-late="1" data-reached="0"' in county
    filtered = client_for(world.county_dispatcher).get(url, {"category": "natural"}).content.decode()
    assert f'data-incident="{late.pk}"' not in filtered and "data-incident=" in filtered
    assert f'data-incident="{late.pk}"' in client_for(world.county_dispatcher).get(url, {"late": "on"}).content.decode()
    assert (
        f'data-incident="{late.pk}"'
        in client_for(world.county_dispatcher)
        .get(url, {"level": "3", "date_from": "2025-03-10", "date_to": "2025-03-10"})
        .content.decode()
    )


def test_list_queries_do_not_grow_with_incidents(world, client_for, django_assert_max_num_queries):
    client = client_for(world.county_dispatcher)
    report(world)
    client.get(reverse("dispatch:incident_list"))
    for _ in range(8):
        report(world)
    with django_assert_max_num_queries(8):  # 8: the 叫应 banner is one of them
        response = client.get(reverse("dispatch:incident_list"))
    assert response.content.decode().count("data-incident=") == 9


def test_detail_pages_answer_404_when_unseen(world, client_for):
    incident = report(world)
    assert (
        client_for(world.village_officer_b).get(reverse("dispatch:incident_detail", args=[incident.pk])).status_code
        == 404
    )
    assert client_for(world.outsider).get(reverse("dispatch:incident_detail", args=[incident.pk])).status_code == 404


def test_detail_offers_each_viewer_only_their_steps(world, client_for):
    incident = report(world)
    url = reverse("dispatch:incident_detail", args=[incident.pk])
    township = client_for(world.township_officer).get(url).content.decode()
    assert reverse("dispatch:incident_tier_act", args=[incident.pk, world.township.pk, "confirm"]) in township
    assert reverse("dispatch:incident_tier_act", args=[incident.pk, world.county.pk, "confirm"]) not in township
    assert reverse("dispatch:incident_final", args=[incident.pk]) in township
    village = client_for(world.village_officer_a).get(url).content.decode()
    assert "incident_tier_act" not in village and "/tiers/" not in village
    assert reverse("dispatch:incident_follow_up", args=[incident.pk]) in village
    assert reverse("dispatch:incident_final", args=[incident.pk]) not in village
    department = client_for(world.department_officer).get(url).content.decode()
    assert "/tiers/" not in department and "follow-up" not in department


def test_tier_steps_through_the_pages(world, client_for):
    incident = report(world)
    confirm = reverse("dispatch:incident_tier_act", args=[incident.pk, world.township.pk, "confirm"])
    forward = reverse("dispatch:incident_tier_act", args=[incident.pk, world.township.pk, "forward"])
    phone = reverse("dispatch:incident_tier_act", args=[incident.pk, world.county.pk, "phone"])
    assert client_for(world.township_officer).get(confirm).status_code == 405
    assert client_for(world.village_officer_b).post(confirm).status_code == 404
    assert client_for(world.village_officer_a).post(confirm).status_code == 403
    assert client_for(world.county_dispatcher).post(confirm).status_code == 403
    assert client_for(world.township_officer).post(confirm).status_code == 302
    assert client_for(world.township_officer).post(forward).status_code == 302
    assert tier(incident, world.county).received_at is not None
    told = timezone.localtime() - MIN
    response = client_for(world.county_dispatcher).post(phone, {"at": told.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302 and tier(incident, world.county).phone_at == told.replace(
        second=0, microsecond=0
    )
    assert (
        client_for(world.township_officer)
        .post(reverse("dispatch:incident_tier_act", args=[incident.pk, world.township.pk, "explode"]))
        .status_code
        == 404
    )


def test_follow_up_and_final_through_the_pages(world, client_for):
    incident = report(world)
    follow = reverse("dispatch:incident_follow_up", args=[incident.pk])
    final = reverse("dispatch:incident_final", args=[incident.pk])
    data = {
        "fu-text": "伤员增加",
        "fu-deaths": "0",
        "fu-injured": "5",
        "fu-serious_injuries": "1",
        "fu-missing": "0",
        "fu-trapped": "0",
        "fu-direct_loss": "0",
    }
    assert client_for(world.village_officer_a).get(follow).status_code == 405
    assert client_for(world.village_officer_b).post(follow, data).status_code == 404
    assert client_for(world.department_officer).post(follow, data).status_code == 403
    assert client_for(world.village_officer_a).post(follow, data).status_code == 302
    incident.refresh_from_db()
    assert incident.injured == 5 and incident.serious_injuries == 1
    assert client_for(world.village_officer_a).post(final, {"final-text": "完"}).status_code == 403
    assert client_for(world.township_officer).post(final, {"final-text": ""}).status_code == 400
    assert client_for(world.township_officer).post(final, {"final-text": "处置完毕"}).status_code == 302
    after = client_for(world.village_officer_a).post(follow, data, follow=True)
    closed = str(svc._("The final report has been made; no more follow-up reports can be added."))
    assert closed in after.content.decode() and IncidentReport.objects.filter(kind="follow_up").count() == 1


def test_statistics_page_and_excel_export(world, client_for, year_of_incidents):
    from openpyxl import load_workbook

    client = client_for(world.township_officer)
    page = client.get(reverse("dispatch:incident_statistics"), {"year": 2024, "period": "quarter"})
    assert page.status_code == 200 and 'id="stats-periods"' in page.content.decode()
    export = client.get(reverse("dispatch:incident_statistics_export"), {"year": 2024, "period": "month"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][1:5] == (3, 4, 2, 3)  # total row: incidents, dead, injured, missing (no village C)
    assert len(rows) == 2 + 12 + 1


def test_pages_need_a_login(client, world):
    incident = report(world)
    for url in (
        reverse("dispatch:incident_list"),
        reverse("dispatch:incident_detail", args=[incident.pk]),
        reverse("dispatch:incident_statistics"),
        reverse("dispatch:incident_report"),
    ):
        assert client.get(url).status_code == 302


# --- API --------------------------------------------------------------------------------------------


def api(client_for, user):
    return client_for(user)


def test_api_lists_and_shows_in_scope(world, client_for):
    incident = report(world)
    listed = client_for(world.township_officer).get("/api/v1/incidents/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["id"] for row in rows] == [incident.pk] and rows[0]["reached_me"] is True
    assert client_for(world.village_officer_b).get("/api/v1/incidents/").json() in (
        [],
        {"count": 0, "next": None, "previous": None, "results": []},
    )
    assert client_for(world.village_officer_b).get(f"/api/v1/incidents/{incident.pk}/").status_code == 404
    detail = client_for(world.county_dispatcher).get(f"/api/v1/incidents/{incident.pk}/").json()
    assert [t["unit"] for t in detail["tiers"]] == [world.village_a.pk, world.township.pk, world.county.pk]
    assert detail["reports"][0]["kind"] == "first"


def test_api_first_report_is_idempotent(world, client_for):
    client = client_for(world.village_officer_a)
    body = {
        "unit": world.village_a.pk,
        "type": kind("traffic").pk,
        "title": "车祸",
        "place": "国道",
        "occurred_at": timezone.now().isoformat(),
        "description": "两车相撞",
        "deaths": 1,
        "serious_injuries": 2,
        "injured": 3,
        "client_key": str(uuid.uuid4()),
    }
    first = client.post("/api/v1/incidents/", body, content_type="application/json")
    again = client.post("/api/v1/incidents/", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and first.json()["level"] == Level.IV
    assert first.json()["reporter_phone"] == world.village_officer_a.mobile
    other = client_for(world.village_officer_b).post(
        "/api/v1/incidents/", {**body, "client_key": str(uuid.uuid4())}, content_type="application/json"
    )
    assert other.status_code == 403
    bad = client_for(world.village_officer_a).post(
        "/api/v1/incidents/", {**body, "injured": 1, "client_key": str(uuid.uuid4())}, content_type="application/json"
    )
    assert bad.status_code == 400 and "serious_injuries" in bad.json()


def test_api_tier_actions(world, client_for):
    incident = report(world)
    url = f"/api/v1/incidents/{incident.pk}/"
    assert client_for(world.township_officer).get(url + "confirm/").status_code == 405
    assert client_for(world.village_officer_a).post(url + "confirm/", {}).status_code == 403
    assert client_for(world.county_dispatcher).post(url + "confirm/", {}).status_code == 400  # not arrived yet
    assert client_for(world.county_dispatcher).post(url + "confirm/", {"unit": world.township.pk}).status_code == 403
    assert client_for(world.village_officer_b).post(url + "confirm/", {}).status_code == 404
    assert client_for(world.township_officer).post(url + "confirm/", {}).status_code == 200
    forwarded = client_for(world.township_officer).post(url + "forward/", {"unit": world.township.pk})
    assert forwarded.status_code == 200 and forwarded.json()["tiers"][2]["received_at"]
    assert client_for(world.township_officer).post(url + "forward/", {}).status_code == 400
    phone = client_for(world.county_dispatcher).post(url + "phone/", {"at": timezone.now().isoformat()})
    assert phone.status_code == 200 and phone.json()["tiers"][2]["phone_at"]


def test_api_follow_up_and_final(world, client_for):
    incident = report(world)
    url = f"/api/v1/incidents/{incident.pk}/"
    assert client_for(world.department_officer).post(url + "follow-up/", {"text": "x"}).status_code == 403
    follow = client_for(world.village_officer_a).post(
        url + "follow-up/", {"text": "3人死亡", "deaths": 3}, content_type="application/json"
    )
    assert follow.status_code == 200 and follow.json()["level"] == Level.III
    assert follow.json()["reports"][1]["figures"]["deaths"] == 3
    assert client_for(world.village_officer_a).post(url + "final/", {"text": "完"}).status_code == 403
    assert client_for(world.county_dispatcher).post(url + "final/", {"text": "完"}).status_code == 200
    refused = client_for(world.village_officer_a).post(url + "follow-up/", {"text": "再"})
    assert refused.status_code == 400


def test_api_statistics_and_types(world, client_for, year_of_incidents):
    stats = client_for(world.county_dispatcher).get("/api/v1/incident-statistics/", {"year": 2024, "period": "quarter"})
    assert stats.status_code == 200
    assert [row["count"] for row in stats.json()["rows"]] == [2, 1, 0, 1]
    assert stats.json()["total"]["direct_loss"] == "1510.00"
    assert client_for(world.outsider).get("/api/v1/incident-statistics/").json()["total"]["count"] == 0
    assert (
        client_for(world.county_dispatcher).get("/api/v1/incident-statistics/", {"period": "week"}).status_code == 400
    )
    types = client_for(world.village_officer_a).get("/api/v1/incident-types/").json()
    assert {"code": "fire", "production_safety": True}.items() <= next(t for t in types if t["code"] == "fire").items()


def test_the_periodic_task_calls_the_job(world):
    from dispatch.tasks import flag_late_incident_reports

    incident = level_three(world)
    assert flag_late_incident_reports.delay().get() == {"phone_late": 2, "written_late": 1, "delivered": 1}
    assert tier(incident, world.county).received_at is not None
