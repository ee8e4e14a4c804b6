"""Every service bounds the numbers, dates, moments and coordinates it is given (``grids.limits``),
whoever calls it: no form or serializer stands in front here. A value out of range is a
``ValidationError`` keyed by the field, with a Chinese message that names the field; a value in
range still passes, and a moment given with any offset is kept as the same instant."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dispatch.models import DutyLogEntry, DutyShift, Incident, IncidentType, Warning, WarningType
from dispatch.selectors import duty as duty_selectors
from dispatch.services import duty, incidents
from dispatch.services import warnings as warning_services
from grids import limits
from grids import services as grid_services
from grids.models import GridUnit, Membership, Role
from grids.rules import Kind
from grids.tests.factories import grant, make_person
from hazards import services as hazard_services
from hazards.models import Hazard
from hazards.tests.factories import category, confirmed, report
from reports import selectors as report_selectors
from reports import services as report_services
from reports.models import Consultation, Countermeasure

pytestmark = pytest.mark.django_db

HUGE = 2**40
PLUS_2359 = datetime.timezone(datetime.timedelta(hours=23, minutes=59))
MINUS_2359 = datetime.timezone(-datetime.timedelta(hours=23, minutes=59))
YEAR_1 = datetime.date(1, 1, 1)
YEAR_9999 = datetime.date(9999, 12, 31)
# Moments that cannot be brought into the current time zone at all, and one that is merely far.
MOMENT_YEAR_1 = datetime.datetime(1, 1, 1, 0, 0, tzinfo=PLUS_2359)
MOMENT_YEAR_9999 = datetime.datetime(9999, 12, 31, 23, 59, tzinfo=MINUS_2359)
MOMENT_FAR = datetime.datetime(9999, 6, 1, 12, 0, tzinfo=PLUS_2359)
BAD_MOMENTS = [MOMENT_YEAR_1, MOMENT_YEAR_9999, MOMENT_FAR]


def has_chinese(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def refused(field: str, call, *, label=None) -> str:
    """Run ``call``; it must refuse ``field`` in Chinese, naming the field when a label is given."""
    with pytest.raises(ValidationError) as caught:
        call()
    errors = caught.value.message_dict
    assert field in errors, errors
    text = " ".join(errors[field])
    assert has_chinese(text), text
    if label is not None:
        assert str(label) in text, text
    return text


def label(model, name):
    return model._meta.get_field(name).verbose_name


def in_plus_2359(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(PLUS_2359)


# --- grids.limits itself ------------------------------------------------------------------------


def test_one_longitude_latitude_rule():
    assert limits.is_lng(-180) and limits.is_lng(180) and limits.is_lng("106.5")
    assert not limits.is_lng(180.0001) and not limits.is_lng(float("nan")) and not limits.is_lng(HUGE)
    assert limits.is_lat(-90) and limits.is_lat(90)
    assert not limits.is_lat(-90.5) and not limits.is_lat(float("inf")) and not limits.is_lat("north")
    assert limits.is_bbox(106, 24, 107, 25)
    assert not limits.is_bbox(107, 24, 106, 25)  # west of east
    assert not limits.is_bbox(-181, 24, 107, 25)


def test_bounded_moment_converts_any_offset_to_the_same_instant():
    moment = datetime.datetime(2026, 6, 1, 0, 30, tzinfo=PLUS_2359)
    local = limits.bound_moment("at", moment)
    assert local == moment and local.utcoffset() == datetime.timedelta(hours=8)
    for bad in BAD_MOMENTS:
        refused("at", lambda bad=bad: limits.bound_moment("at", bad))


def test_bounded_int_refuses_booleans_and_text():
    for value in (True, "12", 1.5, HUGE, -1):
        refused("population", lambda value=value: limits.bound_int("population", value, GridUnit))
    assert limits.bound_int("population", 0, GridUnit) == 0
    assert limits.bound_int("population", None, GridUnit, allow_none=True) is None


# --- hazards ------------------------------------------------------------------------------------


def hazard_report(world, **kwargs):
    return hazard_services.hazard_report(
        by=world.village_officer_a, unit=world.village_a, category=category(), title="山体裂缝", **kwargs
    )


@pytest.mark.parametrize(("lng", "lat", "field"), [(HUGE, 24.3, "lng"), (-181, 24.3, "lng"), (106.5, -91, "lat")])
def test_hazard_report_refuses_coordinates_out_of_range(world, lng, lat, field):
    refused(field, lambda: hazard_report(world, lng=lng, lat=lat), label=label(Hazard, field))
    assert not Hazard.objects.exists()


@pytest.mark.parametrize("found_at", BAD_MOMENTS)
def test_hazard_report_refuses_a_found_at_out_of_range(world, found_at):
    refused("found_at", lambda: hazard_report(world, found_at=found_at), label=label(Hazard, "found_at"))
    assert not Hazard.objects.exists()


def test_hazard_report_keeps_a_valid_moment_given_with_an_offset(world):
    found = timezone.now() - datetime.timedelta(hours=1)
    hazard, created = hazard_report(world, lng=106.55, lat=24.35, found_at=in_plus_2359(found))
    hazard.refresh_from_db()
    assert created and hazard.found_at == found and (hazard.lng, hazard.lat) == (106.55, 24.35)


def test_propose_unit_refuses_a_point_off_the_earth(world):
    refused(
        "lat",
        lambda: hazard_services.propose_unit(
            user=world.village_officer_a, lng=106.5, lat=HUGE, default=world.village_a
        ),
    )
    assert (
        hazard_services.propose_unit(user=world.township_officer, lng=106.55, lat=24.25, default=world.township)
        == world.village_b
    )


@pytest.mark.parametrize("level", [HUGE, -1, 0, True])
def test_hazard_confirm_refuses_a_direct_level_out_of_range(world, level):
    hazard = report(world)
    refused(
        "risk_level",
        lambda: hazard_services.hazard_confirm(
            hazard=hazard,
            by=world.township_officer,
            grade="general",
            risk_method="direct",
            risk_level=level,
            risk_reason="现场判断",
        ),
    )


@pytest.mark.parametrize("value", [HUGE, -3, "NaN", "sNaN", "Infinity", "1e999999"])
def test_hazard_confirm_refuses_risk_inputs_out_of_the_rule_table(world, value):
    hazard = report(world)
    refused(
        "risk_inputs",
        lambda: hazard_services.hazard_confirm(
            hazard=hazard,
            by=world.township_officer,
            grade="general",
            risk_method="lec",
            risk_inputs={"lec_l": value, "lec_e": "6", "lec_c": "7"},
        ),
    )


def plan(world, hazard, **overrides):
    values = {
        "measures": "削坡减载",
        "responsible_unit": "泗城镇安监站",
        "responsible_person": "黄网格",
        "deadline": timezone.localdate() + datetime.timedelta(days=10),
        "contingency": "雨天转移群众",
        "funds": None,
        **overrides,
    }
    return hazard_services.hazard_plan(hazard=hazard, by=world.township_officer, **values)


@pytest.mark.parametrize("deadline", [YEAR_9999, datetime.date(2101, 1, 1)])
def test_hazard_plan_refuses_a_deadline_out_of_range(world, deadline):
    hazard = confirmed(world)
    refused("deadline", lambda: plan(world, hazard, deadline=deadline), label=label(Hazard, "deadline"))


@pytest.mark.parametrize("funds", [HUGE * 1000, -1, "NaN", "Infinity", "0.001"])
def test_hazard_plan_refuses_funds_the_field_cannot_hold(world, funds):
    hazard = confirmed(world)
    refused("funds", lambda: plan(world, hazard, funds=funds), label=label(Hazard, "funds"))


def test_hazard_plan_with_valid_values_still_passes(world):
    hazard = plan(world, confirmed(world), funds=50000)
    hazard.refresh_from_db()
    assert hazard.state == "rectifying" and hazard.funds == 50000


def test_hazard_supervise_refuses_a_deadline_in_the_year_9999(world):
    hazard = confirmed(world, grade="major")
    refused(
        "deadline",
        lambda: hazard_services.hazard_supervise(
            hazard=hazard,
            by=world.county_dispatcher,
            department=world.department,
            deadline=YEAR_9999,
            requirements="限期整改",
        ),
    )


# --- duty ---------------------------------------------------------------------------------------


@pytest.fixture
def dispatcher(world):
    person = make_person("township_dispatcher", real_name="班调度")
    grant(person, world.township, Role.DISPATCHER)
    return person


def shift(world, dispatcher, starts_at, ends_at):
    return duty.duty_shift_add(
        by=world.township_leader,
        unit=world.township,
        starts_at=starts_at,
        ends_at=ends_at,
        leader=world.township_leader,
        post_a=world.township_officer,
        post_b=dispatcher,
    )


@pytest.mark.parametrize("moment", BAD_MOMENTS)
def test_duty_shift_refuses_start_and_end_out_of_range(world, dispatcher, moment):
    start = timezone.now() + datetime.timedelta(days=1)
    refused("starts_at", lambda: shift(world, dispatcher, moment, start), label=label(DutyShift, "starts_at"))
    refused("ends_at", lambda: shift(world, dispatcher, start, moment), label=label(DutyShift, "ends_at"))
    assert not DutyShift.objects.exists()


def test_duty_shift_change_refuses_an_end_out_of_range(world, dispatcher):
    start = timezone.now() + datetime.timedelta(days=1)
    added = shift(world, dispatcher, start, start + datetime.timedelta(hours=8))
    refused("ends_at", lambda: duty.duty_shift_change(by=world.township_leader, shift=added, ends_at=MOMENT_YEAR_9999))


def test_duty_shift_given_with_an_offset_is_the_same_instant(world, dispatcher):
    start = timezone.now() + datetime.timedelta(days=1)
    added = shift(world, dispatcher, in_plus_2359(start), in_plus_2359(start + datetime.timedelta(hours=8)))
    added.refresh_from_db()
    assert added.starts_at == start and added.ends_at == start + datetime.timedelta(hours=8)


@pytest.mark.parametrize("at", BAD_MOMENTS)
def test_duty_log_refuses_a_time_out_of_range(world, at):
    log = lambda: duty.duty_log_add(by=world.township_officer, unit=world.township, kind="other", summary="记录", at=at)  # noqa: E731
    refused("at", log, label=label(DutyLogEntry, "at"))
    assert not DutyLogEntry.objects.exists()


def test_duty_log_change_refuses_a_time_out_of_range_and_keeps_a_valid_one(world):
    written = duty.duty_log_add(by=world.township_officer, unit=world.township, kind="other", summary="记录")
    refused("at", lambda: duty.duty_log_change(by=world.township_officer, entry=written, at=MOMENT_YEAR_1))
    earlier = timezone.now() - datetime.timedelta(minutes=10)
    changed = duty.duty_log_change(by=world.township_officer, entry=written, at=in_plus_2359(earlier))
    changed.refresh_from_db()
    assert changed.at == earlier


def test_duty_week_copy_and_log_search_refuse_dates_out_of_range(world):
    refused("week", lambda: duty.duty_week_copy(by=world.township_leader, unit=world.township, week=YEAR_9999))
    refused("date_from", lambda: duty_selectors.search_log(world.township_officer, date_from=YEAR_1))
    refused("date_to", lambda: duty_selectors.search_log(world.township_officer, date_to=YEAR_9999))
    assert list(duty_selectors.search_log(world.township_officer, date_from=timezone.localdate())) == []


# --- incidents ----------------------------------------------------------------------------------


def first_report(world, **overrides):
    values = {
        "by": world.village_officer_a,
        "unit": world.village_a,
        "type": IncidentType.objects.get(code="traffic"),
        "title": "车祸",
        "occurred_at": timezone.now() - datetime.timedelta(minutes=5),
        "place": "国道",
        "description": "两车相撞",
        "reporter_phone": "13800000000",
        **overrides,
    }
    return incidents.incident_first_report(**values)


@pytest.mark.parametrize("moment", BAD_MOMENTS)
def test_incident_first_report_refuses_a_time_out_of_range(world, moment):
    refused("occurred_at", lambda: first_report(world, occurred_at=moment), label=label(Incident, "occurred_at"))
    assert not Incident.objects.exists()


@pytest.mark.parametrize(("lng", "lat", "field"), [(HUGE, 24.3, "lng"), (106.5, 90.5, "lat")])
def test_incident_first_report_refuses_coordinates_out_of_range(world, lng, lat, field):
    refused(field, lambda: first_report(world, lng=lng, lat=lat), label=label(Incident, field))


def test_incident_first_report_keeps_an_offset_instant(world):
    occurred = timezone.now() - datetime.timedelta(minutes=30)
    incident, created = first_report(world, occurred_at=in_plus_2359(occurred), lng=106.45, lat=24.35)
    incident.refresh_from_db()
    assert created and incident.occurred_at == occurred


# --- warnings -----------------------------------------------------------------------------------


def draft(world, **overrides):
    now = timezone.now()
    values = {
        "by": world.county_dispatcher,
        "type": WarningType.objects.get(code="rainstorm"),
        "level": 2,
        "title": "",
        "content": "预计未来6小时内降雨量将达50毫米以上。",
        "valid_from": now - datetime.timedelta(minutes=5),
        "valid_to": now + datetime.timedelta(hours=6),
        "areas": [world.county],
        **overrides,
    }
    return warning_services.warning_draft(**values)


@pytest.mark.parametrize("moment", BAD_MOMENTS)
def test_warning_draft_refuses_validity_out_of_range(world, moment):
    refused("valid_from", lambda: draft(world, valid_from=moment), label=label(Warning, "valid_from"))
    refused("valid_to", lambda: draft(world, valid_to=moment), label=label(Warning, "valid_to"))
    assert not Warning.objects.exists()


@pytest.mark.parametrize("level", [HUGE, -1, 0, True])
def test_warning_draft_refuses_a_level_out_of_range(world, level):
    refused("level", lambda: draft(world, level=level))


def test_warning_update_refuses_validity_out_of_range_and_keeps_an_offset_instant(world):
    warning = draft(world)
    refused(
        "valid_to",
        lambda: warning_services.warning_update(
            warning=warning, by=world.county_dispatcher, changes={"valid_to": MOMENT_YEAR_9999}
        ),
    )
    later = timezone.now() + datetime.timedelta(hours=12)
    warning_services.warning_update(
        warning=warning, by=world.county_dispatcher, changes={"valid_to": in_plus_2359(later)}
    )
    warning.refresh_from_db()
    assert warning.valid_to == later


# --- reports ------------------------------------------------------------------------------------


@pytest.fixture
def consultation(world):
    report_services.consultations_open(today=datetime.date(2026, 11, 1))
    return Consultation.objects.get(unit=world.township)


def countermeasure(world, consultation, **overrides):
    values = {
        "risk": "森林火灾",
        "level": 2,
        "trend": "rising",
        "measure": "护林员上岗巡护",
        "responsible_unit": world.village_a,
        "deadline": datetime.date(2026, 11, 30),
        **overrides,
    }
    return report_services.countermeasure_add(consultation=consultation, by=world.township_officer, **values)


@pytest.mark.parametrize("level", [HUGE, -1])
def test_countermeasure_refuses_a_level_out_of_range(world, consultation, level):
    refused("level", lambda: countermeasure(world, consultation, level=level), label=label(Countermeasure, "level"))


@pytest.mark.parametrize("deadline", [YEAR_1, YEAR_9999])
def test_countermeasure_refuses_a_deadline_out_of_range(world, consultation, deadline):
    refused(
        "deadline",
        lambda: countermeasure(world, consultation, deadline=deadline),
        label=label(Countermeasure, "deadline"),
    )
    assert not Countermeasure.objects.exists()


def test_countermeasure_with_valid_values_still_passes(world, consultation):
    assert countermeasure(world, consultation).pk


@pytest.mark.parametrize("held_on", [YEAR_1, YEAR_9999])
def test_consultation_record_refuses_a_meeting_date_out_of_range(world, consultation, held_on):
    refused(
        "held_on",
        lambda: report_services.consultation_record(
            consultation=consultation, by=world.township_officer, held_on=held_on, participants="镇应急办", summary=""
        ),
        label=label(Consultation, "held_on"),
    )
    consultation.refresh_from_db()
    assert consultation.held_on is None


def test_report_jobs_refuse_dates_out_of_range(world):
    refused("period", lambda: report_services.monthly_reports_open(period=YEAR_1))
    refused("period", lambda: report_services.monthly_reports_compile(period=YEAR_9999))
    refused("today", lambda: report_services.consultations_open(today=YEAR_9999))
    refused("today", lambda: report_services.countermeasures_mark_overdue(today=YEAR_1))
    refused("months", lambda: report_selectors.report_matrix(user=world.admin, parent=world.county, months=[YEAR_9999]))


def test_report_reissue_refuses_a_reason_longer_than_the_field(world):
    report_services.monthly_reports_open(period=datetime.date(2026, 10, 1))
    report_services.monthly_reports_compile(period=datetime.date(2026, 10, 1))
    from reports.models import MonthlyReport

    monthly = MonthlyReport.objects.get(unit=world.village_a, period=datetime.date(2026, 10, 1))
    monthly = report_services.monthly_report_submit(report=monthly, by=world.village_officer_a, signer_name="陆信息")
    refused(
        "reason",
        lambda: report_services.monthly_report_reissue(report=monthly, by=world.village_officer_a, reason="改" * 201),
        label=label(MonthlyReport, "correction_reason"),
    )
    again = report_services.monthly_report_reissue(report=monthly, by=world.village_officer_a, reason="改" * 200)
    assert again.version == 2


# --- grids --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value"), [("population", HUGE), ("households", -1), ("population", "many")])
def test_unit_create_refuses_counts_the_field_cannot_hold(world, field, value):
    refused(
        field,
        lambda: grid_services.unit_create(
            by=world.township_leader,
            parent=world.township,
            kind=Kind.VILLAGE,
            code="451027100299",
            name="新村",
            **{field: value},
        ),
        label=label(GridUnit, field),
    )
    assert not GridUnit.objects.filter(code="451027100299").exists()


def test_unit_update_refuses_a_population_out_of_range_and_keeps_a_valid_one(world):
    refused(
        "population", lambda: grid_services.unit_update(by=world.township_leader, unit=world.village_a, population=HUGE)
    )
    unit = grid_services.unit_update(by=world.township_leader, unit=world.village_a, population=1200, households=300)
    assert (unit.population, unit.households) == (1200, 300)


def test_membership_grant_refuses_a_note_longer_than_the_field(world):
    person = make_person("new_member")
    refused(
        "note",
        lambda: grid_services.membership_grant(
            by=world.township_leader, user=person, unit=world.village_a, role=Role.GRID_OFFICER, note="注" * 201
        ),
        label=label(Membership, "note"),
    )
    granted = grid_services.membership_grant(
        by=world.township_leader, user=person, unit=world.village_a, role=Role.GRID_OFFICER, note="注" * 200
    )
    assert granted.pk


# --- forms and serializers read their limits from the model --------------------------------------


def test_form_and_serializer_limits_come_from_the_model():
    from dispatch.serializers.duty import DutyLogEntryCreateSerializer
    from dispatch.serializers.incidents import IncidentFirstReportSerializer
    from hazards.forms import PlanForm
    from hazards.serializers import HazardReportSerializer, PlanSerializer
    from reports.forms import ReissueForm

    def model_max(model, name):
        return model._meta.get_field(name).max_length

    assert HazardReportSerializer().fields["title"].max_length == model_max(Hazard, "title")
    assert PlanSerializer().fields["responsible_phone"].max_length == model_max(Hazard, "responsible_phone")
    assert PlanForm().fields["funds"].max_digits == Hazard._meta.get_field("funds").max_digits
    assert IncidentFirstReportSerializer().fields["place"].max_length == model_max(Incident, "place")
    assert DutyLogEntryCreateSerializer().fields["summary"].max_length == model_max(DutyLogEntry, "summary")
    from reports.models import MonthlyReport

    assert ReissueForm().fields["reason"].max_length == model_max(MonthlyReport, "correction_reason")


def test_unit_import_refuses_a_population_beyond_the_column_on_its_row(world):
    import io

    from openpyxl import Workbook

    from grids.importing import import_units

    book = Workbook()
    book.active.append(
        ["代码", "名称", "类型", "上级代码", "统一社会信用代码", "人口", "户数", "经度", "纬度", "地址", "状态"]
    )
    book.active.append(["451027100299", "新村", "村", "451027100000", "", str(HUGE), "", "", "", "", "启用"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_units(by=world.county_dispatcher, data=buffer.getvalue(), filename="u.xlsx")
    assert not result.ok and [e.row for e in result.errors] == [2]
    assert str(label(GridUnit, "population")) in result.errors[0].message
    assert has_chinese(result.errors[0].message)
    assert not GridUnit.objects.filter(code="451027100299").exists()


# --- dates in query strings never reach the date arithmetic out of range -------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"week": "9999-12-31"},
        {"week": "0001-01-01"},
        {"view": "month", "month": "9999-12"},
        {"view": "month", "month": "0000-01"},
    ],
)
def test_duty_calendar_with_a_date_out_of_range_shows_today(world, client_for, query):
    from django.urls import reverse

    response = client_for(world.township_leader).get(
        reverse("dispatch:duty_calendar"), {"unit": world.township.pk, **query}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_duty_day_sheet_with_a_date_out_of_range_shows_today(world, client_for, day):
    from django.urls import reverse

    response = client_for(world.township_leader).get(
        reverse("dispatch:duty_log_print", args=[world.township.pk]), {"date": day}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("month", ["0000-10", "9999-12", "2101-01"])
def test_report_month_out_of_range_is_a_form_error_or_this_month(world, client_for, month):
    from django.urls import reverse

    client = client_for(world.township_leader)
    assert client.get(reverse("reports:monthly_list"), {"month": month}).status_code == 200
    overview = reverse("reports:consultation_overview", args=[world.township.pk])
    assert client.get(overview, {"period": month}).status_code == 200
