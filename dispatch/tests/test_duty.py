"""The duty desk (值班值守): roster rules, who is on duty now, the duty log and its archive, and the
scope of every page and API endpoint (404 unseen, 403 not allowed, 405 wrong method)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dispatch import access
from dispatch.models import DutyLogEntry, DutyShift
from dispatch.selectors import duty as duty_selectors
from dispatch.services import duty
from grids.models import Role
from grids.tests.factories import grant, make_person

pytestmark = pytest.mark.django_db

SHIFTS = "/api/v1/duty-shifts/"
LOG = "/api/v1/duty-log/"
ON_DUTY = "/api/v1/duty/on-duty-now/"


def at(day: int, hour: int = 8, minute: int = 0) -> datetime.datetime:
    """A fixed local moment in a week of March 2031 (day 10 is a Monday)."""
    return timezone.make_aware(datetime.datetime(2031, 3, day, hour, minute))


@pytest.fixture
def people(world):
    """A township dispatcher (B post) and a person of the other township."""
    township_dispatcher = make_person("township_dispatcher", real_name="班调度")
    grant(township_dispatcher, world.township, Role.DISPATCHER)
    other_leader = make_person("other_leader", real_name="逻镇长")
    grant(other_leader, world.other_township, Role.GRID_LEADER)
    return {"township_dispatcher": township_dispatcher, "other_leader": other_leader}


def township_shift(world, people, start, end, **overrides) -> DutyShift:
    fields = {
        "by": world.township_leader,
        "unit": world.township,
        "starts_at": start,
        "ends_at": end,
        "leader": world.township_leader,
        "post_a": world.township_officer,
        "post_b": people["township_dispatcher"],
        **overrides,
    }
    return duty.duty_shift_add(**fields)


def county_shift(world, start, end, **overrides) -> DutyShift:
    fields = {
        "by": world.county_dispatcher,
        "unit": world.county,
        "starts_at": start,
        "ends_at": end,
        "leader": world.county_dispatcher,
        "post_a": world.county_dispatcher,
        **overrides,
    }
    return duty.duty_shift_add(**fields)


@pytest.fixture
def api():
    def client_as(user):
        client = APIClient()
        client.force_login(user)
        return client

    return client_as


def fields_of(exc: pytest.ExceptionInfo) -> set[str]:
    return set(exc.value.error_dict) if hasattr(exc.value, "error_dict") else set()


# --- roster rules ---------------------------------------------------------------------------------


def test_township_leader_adds_a_township_shift_with_a_and_b_posts(world, people):
    shift = township_shift(world, people, at(10), at(11))
    assert (shift.unit, shift.post_a, shift.post_b) == (
        world.township,
        world.township_officer,
        people["township_dispatcher"],
    )


def test_township_shift_without_b_post_is_refused(world, people):
    with pytest.raises(ValidationError) as exc:
        township_shift(world, people, at(10), at(11), post_b=None)
    assert fields_of(exc) == {"post_b"}
    assert not DutyShift.objects.exists()


def test_county_shift_needs_an_a_post_but_no_b_post(world):
    assert county_shift(world, at(10), at(11)).post_b is None
    with pytest.raises(ValidationError) as exc:
        county_shift(world, at(12), at(13), post_a=None)
    assert fields_of(exc) == {"post_a"}


def test_a_and_b_posts_must_be_two_people(world, people):
    with pytest.raises(ValidationError) as exc:
        township_shift(world, people, at(10), at(11), post_b=world.township_officer)
    assert "post_b" in fields_of(exc)


def test_shift_must_end_after_it_starts(world, people):
    with pytest.raises(ValidationError) as exc:
        township_shift(world, people, at(11), at(10))
    assert "ends_at" in fields_of(exc)


def test_overlapping_shift_in_the_same_centre_is_refused(world, people):
    township_shift(world, people, at(10), at(11))
    with pytest.raises(ValidationError):
        township_shift(world, people, at(10, 20), at(11, 20))
    with pytest.raises(ValidationError):
        township_shift(world, people, at(9, 20), at(10, 9))
    assert DutyShift.objects.count() == 1


def test_shift_may_begin_when_the_previous_one_ends(world, people):
    township_shift(world, people, at(10), at(11))
    township_shift(world, people, at(11), at(12))
    assert DutyShift.objects.count() == 2


def test_same_hours_in_another_centre_are_not_an_overlap(world, people):
    township_shift(world, people, at(10), at(11))
    county_shift(world, at(10), at(11))
    assert DutyShift.objects.count() == 2


def test_person_outside_the_centre_cannot_stand_duty(world, people):
    for outsider in (world.village_officer_a, people["other_leader"], world.outsider):
        with pytest.raises(ValidationError) as exc:
            township_shift(world, people, at(10), at(11), post_b=outsider)
        assert fields_of(exc) == {"post_b"}


def test_county_people_may_stand_duty_at_a_township(world, people):
    shift = township_shift(world, people, at(10), at(11), leader=world.county_dispatcher)
    assert shift.leader == world.county_dispatcher


def test_department_staff_stand_duty_at_the_county_but_not_at_a_township(world, people):
    assert county_shift(world, at(10), at(11), post_b=world.department_officer).post_b == world.department_officer
    with pytest.raises(ValidationError):
        township_shift(world, people, at(10), at(11), post_b=world.department_officer)


def test_only_leaders_and_dispatchers_keep_the_roster(world, people):
    for person in (world.township_officer, world.village_officer_a, people["other_leader"], world.outsider):
        with pytest.raises(PermissionDenied):
            township_shift(world, people, at(10), at(11), by=person)
    assert township_shift(world, people, at(10), at(11), by=world.county_dispatcher).unit == world.township


def test_a_village_has_no_duty_roster(world):
    with pytest.raises(ValidationError) as exc:
        duty.duty_shift_add(
            by=world.county_dispatcher, unit=world.village_a, starts_at=at(10), ends_at=at(11),
            leader=world.county_dispatcher, post_a=world.county_dispatcher,
        )  # fmt: skip
    assert fields_of(exc) == {"unit"}


def test_change_checks_the_rules_again(world, people):
    first = township_shift(world, people, at(10), at(11))
    second = township_shift(world, people, at(11), at(12))
    with pytest.raises(ValidationError):
        duty.duty_shift_change(by=world.township_leader, shift=second, starts_at=at(10, 12))
    changed = duty.duty_shift_change(by=world.township_leader, shift=first, note="防汛加强值守", ends_at=at(10, 20))
    first.refresh_from_db()
    assert (first.note, first.ends_at) == ("防汛加强值守", at(10, 20)) == (changed.note, changed.ends_at)
    with pytest.raises(PermissionDenied):
        duty.duty_shift_change(by=world.township_officer, shift=first, note="x")


def test_a_shift_that_has_begun_cannot_be_removed(world, people):
    now = timezone.now()
    running = township_shift(world, people, now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=1))
    later = township_shift(world, people, now + datetime.timedelta(days=1), now + datetime.timedelta(days=2))
    with pytest.raises(ValidationError):
        duty.duty_shift_remove(by=world.township_leader, shift=running)
    duty.duty_shift_remove(by=world.township_leader, shift=later)
    assert list(DutyShift.objects.all()) == [running]


def test_copying_last_week_is_idempotent(world, people):
    township_shift(world, people, at(3), at(4))
    township_shift(world, people, at(4), at(5), note="夜班")
    result = duty.duty_week_copy(by=world.township_leader, unit=world.township, week=datetime.date(2031, 3, 12))
    assert [(s.starts_at, s.ends_at, s.note) for s in result.created] == [
        (at(10), at(11), ""),
        (at(11), at(12), "夜班"),
    ]
    again = duty.duty_week_copy(by=world.township_leader, unit=world.township, week=datetime.date(2031, 3, 10))
    assert (again.created, again.skipped) == ([], 2)
    assert DutyShift.objects.count() == 4


def test_copying_last_week_into_a_clash_writes_nothing(world, people):
    township_shift(world, people, at(3), at(4))
    township_shift(world, people, at(4), at(5))
    township_shift(world, people, at(11, 12), at(11, 18))  # clashes with the second copy only
    with pytest.raises(ValidationError):
        duty.duty_week_copy(by=world.township_leader, unit=world.township, week=datetime.date(2031, 3, 10))
    assert DutyShift.objects.count() == 3
    with pytest.raises(PermissionDenied):
        duty.duty_week_copy(by=world.township_officer, unit=world.township, week=datetime.date(2031, 3, 10))


# --- who is on duty now ---------------------------------------------------------------------------


def test_on_duty_now_is_one_query_for_all_centres(world, people, django_assert_num_queries):
    township_shift(world, people, at(10), at(11))
    county_shift(world, at(10), at(11))
    centres = [world.county, world.township, world.other_township, world.park]
    with django_assert_num_queries(1):
        shifts = duty_selectors.on_duty_now(centres, at=at(10, 12))
        names = {unit_id: (s.unit.name, s.leader.display_name, s.post_a.mobile, s.post_b and s.post_b.mobile)
                 for unit_id, s in shifts.items()}  # fmt: skip
    assert set(names) == {world.county.pk, world.township.pk}


def test_on_duty_now_starts_inclusive_and_ends_exclusive(world, people):
    first = township_shift(world, people, at(10), at(11))
    second = township_shift(world, people, at(11), at(12))
    just_before = at(11) - datetime.timedelta(microseconds=1)
    assert duty_selectors.on_duty_now([world.township], at=at(10)) == {world.township.pk: first}
    assert duty_selectors.on_duty_now([world.township], at=just_before) == {world.township.pk: first}
    assert duty_selectors.on_duty_now([world.township], at=at(11)) == {world.township.pk: second}
    assert duty_selectors.on_duty_now([world.township], at=at(12)) == {}
    assert duty_selectors.on_duty_now([world.township], at=at(10) - datetime.timedelta(microseconds=1)) == {}


def test_village_officer_sees_who_is_on_duty_at_their_township_and_county(world, people, django_assert_max_num_queries):
    now = timezone.now()
    township_shift(world, people, now - datetime.timedelta(hours=2), now + datetime.timedelta(hours=2))
    template = Template("{% load duty_tags %}{% on_duty user %}")
    user = world.village_officer_a
    with django_assert_max_num_queries(3):  # scope, centres, shifts
        html = template.render(Context({"user": user}))
    assert world.township.name in html and world.county.name in html
    assert world.other_township.name not in html
    assert f'href="tel:{people["township_dispatcher"].mobile}"' in html
    assert f'href="tel:{world.township_officer.mobile}"' in html


def test_on_duty_shows_nothing_to_a_person_without_a_grid(world):
    assert Template("{% load duty_tags %}{% on_duty user %}").render(Context({"user": world.outsider})).strip() == ""


def test_relevant_centres_are_own_and_above(world):
    assert duty_selectors.relevant_centres(world.village_officer_a) == [world.township, world.county]
    assert duty_selectors.relevant_centres(world.township_officer) == [world.township, world.county]
    assert duty_selectors.relevant_centres(world.county_dispatcher) == [world.county]
    assert duty_selectors.relevant_centres(world.department_officer) == [world.county]
    assert duty_selectors.relevant_centres(world.outsider) == []


# --- the duty log ---------------------------------------------------------------------------------


def entry(world, by=None, unit=None, **fields) -> DutyLogEntry:
    values = {"kind": DutyLogEntry.Kind.OTHER, "summary": "记录", **fields}
    return duty.duty_log_add(by=by or world.township_officer, unit=unit or world.township, **values)


@pytest.fixture
def log(world, people):
    """Entries in two townships and the county, on three days."""
    now = timezone.now()
    return {
        "call": entry(world, kind="call", summary="陇雅村来电报告山体滑坡", caller="陆信息 13800000001",
                      at=now - datetime.timedelta(days=2)),
        "warning": entry(world, kind="warning", summary="转发暴雨蓝色预警", details="已通知各村网格员",
                         at=now - datetime.timedelta(days=1)),
        "other": entry(world, by=people["other_leader"], unit=world.other_township, summary="逻楼镇巡查河堤",
                       details="山体无异常", at=now),
        "county": entry(world, by=world.county_dispatcher, unit=world.county, kind="call", summary="县气象局来电",
                        caller="气象台 0776-1234567", at=now),
    }  # fmt: skip


def test_writing_needs_a_role_at_the_centre_or_duty_rights(world, people):
    assert entry(world, by=world.township_officer).by == world.township_officer  # officer of the township
    assert entry(world, by=world.county_dispatcher).unit == world.township  # DUTY from the county
    for person in (world.village_officer_a, people["other_leader"], world.outsider, world.department_officer):
        with pytest.raises(PermissionDenied):
            entry(world, by=person)


def test_a_post_on_the_current_shift_writes_even_without_a_role_there(world):
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        entry(world, by=world.department_officer, unit=world.county)
    county_shift(
        world, now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=1), post_b=world.department_officer
    )
    assert entry(world, by=world.department_officer, unit=world.county).by == world.department_officer


def test_a_call_needs_the_caller(world):
    with pytest.raises(ValidationError) as exc:
        entry(world, kind="call", caller="")
    assert fields_of(exc) == {"caller"}
    with pytest.raises(ValidationError):
        entry(world, at=timezone.now() + datetime.timedelta(hours=1))


def test_an_entry_is_edited_by_its_author_only_during_its_shift(world, people):
    now = timezone.now()
    shift = township_shift(world, people, now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=1))
    written = entry(world, summary="初记")
    with pytest.raises(PermissionDenied):
        duty.duty_log_change(by=world.township_leader, entry=written, summary="他人改")
    duty.duty_log_change(by=world.township_officer, entry=written, summary="更正")
    assert DutyLogEntry.objects.get(pk=written.pk).summary == "更正"
    assert not access.may_edit_entry(world.township_officer, written, now=shift.ends_at)
    assert access.may_edit_entry(world.township_officer, written, now=shift.ends_at - datetime.timedelta(seconds=1))


def test_archive_search_over_summary_details_and_caller(world, log):
    user = world.county_dispatcher
    assert set(duty_selectors.search_log(user, q="山体")) == {log["call"], log["other"]}
    assert set(duty_selectors.search_log(user, q="13800000001")) == {log["call"]}
    assert set(duty_selectors.search_log(user, q="暴雨 各村")) == {log["warning"]}
    assert set(duty_selectors.search_log(user, kind="call")) == {log["call"], log["county"]}
    assert set(duty_selectors.search_log(user, unit=world.township)) == {log["call"], log["warning"]}
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    assert set(duty_selectors.search_log(user, date_from=yesterday, date_to=yesterday)) == {log["warning"]}
    assert set(duty_selectors.search_log(user, date_from=today)) == {log["other"], log["county"]}


def test_archive_shows_only_centres_in_scope(world, log):
    assert set(duty_selectors.search_log(world.township_officer)) == {log["call"], log["warning"]}
    assert set(duty_selectors.search_log(world.village_officer_a)) == set()
    assert set(duty_selectors.search_log(world.county_dispatcher)) == set(log.values())


# --- pages ----------------------------------------------------------------------------------------


def test_calendar_shows_the_week_of_the_centre(world, people, client_for, django_assert_max_num_queries):
    township_shift(world, people, at(10), at(11))
    township_shift(world, people, at(11), at(12))
    client = client_for(world.township_officer)
    url = reverse("dispatch:duty_calendar") + f"?unit={world.township.pk}&week=2031年3月12日"
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["monday"] == datetime.date(2031, 3, 10)
    assert [len(day["shifts"]) for day in response.context["days"]] == [1, 1, 0, 0, 0, 0, 0]
    assert response.context["may_manage"] is False
    month = client.get(reverse("dispatch:duty_calendar") + f"?unit={world.township.pk}&view=month&month=2031-03")
    assert len(month.context["shifts"]) == 2


def test_calendar_pages_scope(world, people, client_for):
    url = reverse("dispatch:duty_calendar")
    assert client_for(world.township_officer).get(f"{url}?unit={world.other_township.pk}").status_code == 404
    assert client_for(world.township_officer).get(f"{url}?unit={world.village_a.pk}").status_code == 404
    assert client_for(world.township_officer).post(url).status_code == 405
    empty = client_for(world.village_officer_a).get(url)
    assert empty.status_code == 200 and empty.context["centre"] is None
    default = client_for(world.township_leader).get(url)
    assert default.context["centre"] == world.township and default.context["may_manage"] is True


def test_shift_pages_scope_and_rights(world, people, client_for):
    shift = township_shift(world, people, at(10), at(11))
    add = reverse("dispatch:duty_shift_add", args=[world.township.pk])
    edit = reverse("dispatch:duty_shift_edit", args=[shift.pk])
    delete = reverse("dispatch:duty_shift_delete", args=[shift.pk])
    copy = reverse("dispatch:duty_week_copy", args=[world.township.pk])
    officer = client_for(world.township_officer)
    assert officer.get(add).status_code == 403
    assert officer.get(edit).status_code == 403
    assert officer.post(delete).status_code == 403
    assert officer.post(copy, {"week": "2031-03-17"}).status_code == 403
    other = client_for(people["other_leader"])
    for response in (other.get(add), other.get(edit), other.post(delete), other.post(copy, {"week": "2031-03-17"})):
        assert response.status_code == 404
    leader = client_for(world.township_leader)
    assert leader.get(delete).status_code == 405
    assert leader.get(copy).status_code == 405
    assert leader.get(add).status_code == 200


def test_leader_adds_a_shift_on_the_page(world, people, client_for):
    client = client_for(world.township_leader)
    data = {
        "starts_at": "2031-03-20T08:00", "ends_at": "2031年3月21日 08时00分",
        "leader": world.township_leader.pk, "post_a": world.township_officer.pk,
        "post_b": people["township_dispatcher"].pk, "note": "",
    }  # fmt: skip
    response = client.post(reverse("dispatch:duty_shift_add", args=[world.township.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    shift = DutyShift.objects.get()
    assert (shift.starts_at, shift.ends_at) == (at(20), at(21))
    clash = client.post(reverse("dispatch:duty_shift_add", args=[world.township.pk]), data)
    assert clash.status_code == 200 and clash.context["form"].non_field_errors()
    outsider = client.post(
        reverse("dispatch:duty_shift_add", args=[world.township.pk]),
        {**data, "starts_at": "2031-03-22T08:00", "ends_at": "2031-03-23T08:00", "post_b": world.village_officer_a.pk},
    )
    assert "post_b" in outsider.context["form"].errors


def test_log_page_is_scoped_and_paginated(world, log, client_for, django_assert_max_num_queries):
    client = client_for(world.township_officer)
    client.get(reverse("dispatch:duty_log"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dispatch:duty_log"))
    assert response.status_code == 200
    assert set(response.context["entries"]) == {log["call"], log["warning"]}
    assert response.context["editable_ids"] == {log["call"].pk, log["warning"].pk}
    found = client.get(reverse("dispatch:duty_log"), {"q": "暴雨", "date_from": "2000年1月1日"})
    assert list(found.context["entries"]) == [log["warning"]]
    assert client.get(reverse("dispatch:duty_log"), {"unit": world.other_township.pk}).status_code == 404
    assert client.post(reverse("dispatch:duty_log")).status_code == 405


def test_log_export_is_an_excel_file_of_the_filtered_scope(world, log, client_for):
    from openpyxl import load_workbook

    response = client_for(world.township_officer).get(reverse("dispatch:duty_log_export"), {"kind": "call"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][3] == log["call"].summary


def test_day_sheet_prints_the_day_of_one_centre(world, log, client_for):
    url = reverse("dispatch:duty_log_print", args=[world.township.pk])
    day = timezone.localtime(log["warning"].at).date()
    response = client_for(world.township_officer).get(url, {"date": f"{day:%Y年%m月%d日}"})
    assert response.status_code == 200
    assert response.context["entries"] == [log["warning"]]
    assert "css/print.css" in response.content.decode()
    assert client_for(world.village_officer_a).get(url).status_code == 404
    assert client_for(world.township_officer).post(url).status_code == 405


def test_log_entry_pages_scope_and_rights(world, log, people, client_for):
    add = reverse("dispatch:duty_log_add")
    assert client_for(world.village_officer_a).get(add).status_code == 403
    client = client_for(world.township_officer)
    yesterday = timezone.localtime() - datetime.timedelta(days=1)
    response = client.post(
        add, {"unit": world.township.pk, "at": f"{yesterday:%Y年%m月%d日 %H时%M分}", "kind": "other", "summary": "补记"}
    )
    assert response.status_code == 302
    assert DutyLogEntry.objects.get(summary="补记").at == yesterday.replace(second=0, microsecond=0)
    response = client.post(
        add, {"unit": world.other_township.pk, "at": "2020-01-01 08:00", "kind": "other", "summary": "x"}
    )
    assert "unit" in response.context["form"].errors  # not one of the person's centres
    edit = reverse("dispatch:duty_log_edit", args=[log["call"].pk])
    assert client_for(world.township_leader).get(edit).status_code == 403  # not the author
    assert client_for(people["other_leader"]).get(edit).status_code == 404
    client = client_for(world.township_officer)
    assert client.get(edit).status_code == 200
    assert (
        client.post(
            edit, {"at": f"{yesterday:%Y-%m-%dT%H:%M}", "kind": "call", "summary": "更正", "caller": "陆信息"}
        ).status_code
        == 302
    )
    assert DutyLogEntry.objects.get(pk=log["call"].pk).summary == "更正"
    assert client.delete(edit).status_code == 405


def test_handover_note_is_written_at_the_end_of_the_shift(world, people, client_for):
    now = timezone.now()
    township_shift(world, people, now - datetime.timedelta(hours=23), now + datetime.timedelta(hours=1))
    url = reverse("dispatch:duty_handover", args=[world.township.pk])
    client = client_for(world.township_officer)
    page = client.get(url)
    assert page.status_code == 200 and page.context["current"] is not None
    response = client.post(url, {"summary": "交接班", "details": "平兰村危房持续监测"})
    assert response.status_code == 302
    assert DutyLogEntry.objects.get(kind=DutyLogEntry.Kind.HANDOVER).details == "平兰村危房持续监测"
    assert client_for(world.village_officer_a).get(url).status_code == 404
    assert (
        client_for(world.department_officer).get(reverse("dispatch:duty_handover", args=[world.county.pk])).status_code
        == 403
    )
    assert client_for(world.township_officer).put(url).status_code == 405


# --- API ------------------------------------------------------------------------------------------


def test_api_shift_list_is_scoped(world, people, api, django_assert_max_num_queries):
    township_shift(world, people, at(10), at(11))
    duty.duty_shift_add(
        by=people["other_leader"], unit=world.other_township, starts_at=at(10), ends_at=at(11),
        leader=people["other_leader"], post_a=people["other_leader"], post_b=world.county_dispatcher,
    )  # fmt: skip
    client = api(world.township_officer)
    with django_assert_max_num_queries(6):
        response = client.get(SHIFTS)
    rows = response.json()["results"]
    assert [row["unit"] for row in rows] == [world.township.pk]
    assert rows[0]["post_b"]["mobile"] == people["township_dispatcher"].mobile
    assert len(api(world.county_dispatcher).get(SHIFTS, {"unit": world.other_township.pk}).json()["results"]) == 1
    other = DutyShift.objects.get(unit=world.other_township)
    assert client.get(f"{SHIFTS}{other.pk}/").status_code == 404


def test_api_shift_create_and_refusals(world, people, api):
    body = {
        "unit": world.township.pk, "starts_at": "2031-03-10T08:00:00+08:00", "ends_at": "2031-03-11T08:00:00+08:00",
        "leader": world.township_leader.pk, "post_a": world.township_officer.pk, "post_b": people["township_dispatcher"].pk,
    }  # fmt: skip
    assert api(world.township_leader).post(SHIFTS, body, format="json").status_code == 201
    overlap = api(world.township_leader).post(SHIFTS, body, format="json")
    assert overlap.status_code == 400
    assert api(world.township_officer).post(SHIFTS, {**body, "starts_at": "2031-03-12T08:00:00+08:00",
                                                     "ends_at": "2031-03-13T08:00:00+08:00"}, format="json").status_code == 403  # fmt: skip
    assert api(people["other_leader"]).post(SHIFTS, body, format="json").status_code in (400, 404)
    unseen = api(people["other_leader"]).post(
        SHIFTS,
        {**body, "leader": people["other_leader"].pk, "post_a": people["other_leader"].pk, "post_b": None},
        format="json",
    )
    assert unseen.status_code == 404
    no_b = api(world.township_leader).post(SHIFTS, {**body, "starts_at": "2031-03-15T08:00:00+08:00",
                                                    "ends_at": "2031-03-16T08:00:00+08:00", "post_b": None}, format="json")  # fmt: skip
    assert no_b.status_code == 400 and "post_b" in no_b.json()
    shift = DutyShift.objects.get()
    assert api(world.township_leader).put(f"{SHIFTS}{shift.pk}/", body, format="json").status_code == 405
    assert api(world.township_leader).delete(f"{SHIFTS}{shift.pk}/").status_code == 405


def test_api_on_duty_now(world, people, api):
    now = timezone.now()
    township_shift(world, people, now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=1))
    rows = api(world.village_officer_a).get(ON_DUTY).json()
    assert [(row["unit"], row["shift"] is not None) for row in rows] == [
        (world.township.pk, True),
        (world.county.pk, False),
    ]
    assert rows[0]["shift"]["post_a"]["mobile"] == world.township_officer.mobile
    assert api(world.village_officer_a).get(ON_DUTY, {"unit": world.other_township.pk}).status_code == 404
    assert api(world.county_dispatcher).get(ON_DUTY, {"unit": world.other_township.pk}).json()[0]["shift"] is None
    assert api(world.village_officer_a).post(ON_DUTY).status_code == 405


def test_api_log_search_and_create(world, log, api):
    client = api(world.township_officer)
    assert {row["id"] for row in client.get(LOG).json()["results"]} == {log["call"].pk, log["warning"].pk}
    found = client.get(LOG, {"q": "滑坡", "date_from": "2000年1月1日", "kind": "call"}).json()["results"]
    assert [row["id"] for row in found] == [log["call"].pk]
    assert client.get(LOG, {"unit": world.other_township.pk}).status_code == 404
    assert client.get(f"{LOG}{log['other'].pk}/").status_code == 404
    created = client.post(
        LOG, {"unit": world.township.pk, "kind": "call", "summary": "平兰村来电", "caller": "农信息"}, format="json"
    )
    assert created.status_code == 201 and created.json()["by"]["id"] == world.township_officer.pk
    assert (
        client.post(LOG, {"unit": world.other_township.pk, "kind": "other", "summary": "x"}, format="json").status_code
        == 404
    )
    assert (
        api(world.department_officer)
        .post(LOG, {"unit": world.county.pk, "kind": "other", "summary": "x"}, format="json")
        .status_code
        == 403
    )
    assert (
        client.post(LOG, {"unit": world.township.pk, "kind": "call", "summary": "x"}, format="json").status_code == 400
    )
    assert client.delete(f"{LOG}{log['call'].pk}/").status_code == 405


def test_log_export_writes_formula_like_text_as_text(world, client_for):
    from openpyxl import load_workbook

    entry(world, kind="call", summary="=1+1", caller="@SUM(A1)", details="-2+3")
    response = client_for(world.township_officer).get(reverse("dispatch:duty_log_export"))
    row = list(load_workbook(io.BytesIO(response.content)).active[2])
    assert [(c.value, c.data_type) for c in row[3:6]] == [("=1+1", "s"), ("@SUM(A1)", "s"), ("-2+3", "s")]
    assert row[0].is_date  # the time stays a date
