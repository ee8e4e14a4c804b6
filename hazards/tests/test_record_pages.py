"""Pages of one hazard: the phone's report, "my hazards", the detail page and the loop's steps
posted from it. Every view: unseen (404), not allowed (403), wrong method (405)."""

import datetime
import io
import re
import uuid

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from PIL import Image

from hazards import services
from hazards.models import Grade, Hazard, HazardCopy, HazardEvent, HazardPhoto, RiskLevel, State
from hazards.tests.factories import category, confirmed, photo, rectifying, report

IN_VILLAGE_A = (106.45, 24.25)
IN_VILLAGE_B = (106.55, 24.25)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def detail_url(hazard):
    return reverse("hazards:detail", args=[hazard.pk])


def act_url(hazard, action):
    return reverse("hazards:act", args=[hazard.pk, action])


def zh(message, **params):
    """The message as the page shows it (Chinese interface, HTML-escaped)."""
    with translation.override("zh-hans"):
        text = gettext(message)
    return escape(text % params if params else text)


def report_data(world, **overrides):
    data = {
        "client_key": str(uuid.uuid4()),
        "unit": world.village_a.pk,
        "category": category("geological").pk,
        "title": "后山裂缝",
        "description": "雨后裂缝变宽",
        "lng": IN_VILLAGE_A[0],
        "lat": IN_VILLAGE_A[1],
        "address": "村小学后山",
        "source": "patrol",
        "photos": [photo()],
    }
    data.update(overrides)
    return data


def error_messages(response):
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def future(days=10):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# --- the report form ------------------------------------------------------------------------------


def test_report_form_prefills_own_village_and_a_fresh_submission_key(client_for, world):
    client = client_for(world.village_officer_a)
    first = client.get(reverse("hazards:report")).content.decode()
    second = client.get(reverse("hazards:report")).content.decode()
    assert f'name="unit" value="{world.village_a.pk}"' in first
    assert 'capture="environment"' in first and 'accept="image/*"' in first and "multiple" in first
    keys = [re.search(r'name="client_key" value="([0-9a-f-]+)"', html).group(1) for html in (first, second)]
    assert keys[0] != keys[1]
    assert "<script>" not in first  # behaviour in static/js only (CSP)


def test_report_form_offers_categories_as_buttons_grouped_by_family(client_for, world):
    html = client_for(world.village_officer_a).get(reverse("hazards:report")).content.decode()
    assert html.count('type="radio" name="category"') >= 20
    assert html.index('data-code="flood"') < html.index('data-code="road_traffic"')


def test_township_officer_chooses_among_units_starting_at_the_township(client_for, world):
    html = client_for(world.township_officer).get(reverse("hazards:report")).content.decode()
    assert '<select name="unit"' in html
    assert re.search(rf'<option value="{world.township.pk}" selected>', html)
    assert f'<option value="{world.village_b.pk}"' in html
    assert f'<option value="{world.village_c.pk}"' not in html


def test_report_with_photo_and_location_creates_one_hazard(client_for, world):
    response = client_for(world.village_officer_a).post(reverse("hazards:report"), report_data(world))
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(hazard)
    assert (hazard.unit, hazard.owner_unit, hazard.reporter) == (
        world.village_a,
        world.township,
        world.village_officer_a,
    )
    assert (hazard.lng, hazard.lat) == IN_VILLAGE_A
    assert hazard.photos.filter(kind=HazardPhoto.Kind.REPORT).count() == 1
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]


def test_same_client_key_twice_gives_one_hazard_and_the_same_detail_page(client_for, world):
    client = client_for(world.village_officer_a)
    data = report_data(world)
    first = client.post(reverse("hazards:report"), data)
    second = client.post(reverse("hazards:report"), {**data, "photos": [photo()]})
    assert Hazard.objects.count() == 1
    assert first["Location"] == second["Location"] == detail_url(Hazard.objects.get())
    assert HazardPhoto.objects.count() == 1


def test_unreadable_photo_shows_the_error_and_saves_nothing(client_for, world):
    bad = photo("bad.jpg")
    bad.file = io.BytesIO(b"not a picture at all")
    bad.size = 20
    response = client_for(world.village_officer_a).post(reverse("hazards:report"), report_data(world, photos=[bad]))
    assert response.status_code == 200
    assert (
        zh("%(name)s is not a photo we can read; send a JPEG or PNG picture.", name="bad.jpg")
        in response.content.decode()
    )
    assert Hazard.objects.count() == 0 and HazardPhoto.objects.count() == 0


def test_gif_is_refused_with_the_services_message(client_for, world):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40)).save(buffer, format="GIF")
    gif = photo("anim.gif")
    gif.file, gif.size = io.BytesIO(buffer.getvalue()), len(buffer.getvalue())
    response = client_for(world.village_officer_a).post(reverse("hazards:report"), report_data(world, photos=[gif]))
    assert response.status_code == 200
    assert (
        zh("%(name)s is a %(format)s file; send a JPEG or PNG picture.", name="anim.gif", format="GIF")
        in response.content.decode()
    )
    assert Hazard.objects.count() == 0


def test_missing_title_and_category_are_shown_and_nothing_saved(client_for, world):
    data = report_data(world, title="")
    del data["category"]
    response = client_for(world.village_officer_a).post(reverse("hazards:report"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert zh("Tap the kind of danger.") in html
    assert 'class="form-errors"' in html
    assert Hazard.objects.count() == 0


def test_village_officer_cannot_report_for_village_b(client_for, world):
    response = client_for(world.village_officer_a).post(
        reverse("hazards:report"), report_data(world, unit=world.village_b.pk)
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert Hazard.objects.count() == 0


def test_fixed_on_spot_needs_a_photo_of_the_result(client_for, world):
    client = client_for(world.village_officer_a)
    response = client.post(reverse("hazards:report"), report_data(world, fixed_on_spot="on"))
    assert response.status_code == 200
    assert zh("A danger fixed on the spot needs a photo of the result.") in response.content.decode()
    assert Hazard.objects.count() == 0
    response = client.post(
        reverse("hazards:report"),
        report_data(world, fixed_on_spot="on", evidence_photos=[photo()], evidence_note="已清理落石"),
    )
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and hazard.state == State.CLOSED
    assert hazard.photos.filter(kind=HazardPhoto.Kind.EVIDENCE).count() == 1


@pytest.mark.parametrize("persona", ["outsider", "department_officer"])
def test_people_without_a_grid_role_cannot_report(client_for, world, persona):
    assert client_for(getattr(world, persona)).get(reverse("hazards:report")).status_code == 403


def test_report_refuses_other_methods(client_for, world):
    assert client_for(world.village_officer_a).put(reverse("hazards:report")).status_code == 405


def test_report_needs_login(client, world):
    response = client.get(reverse("hazards:report"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# --- proposing the unit from a location -------------------------------------------------------------


def test_propose_unit_finds_the_village_containing_the_point(client_for, world):
    response = client_for(world.township_officer).get(
        reverse("hazards:propose_unit"), {"lng": IN_VILLAGE_B[0], "lat": IN_VILLAGE_B[1]}
    )
    assert response.status_code == 200
    assert response.json() == {"id": world.village_b.pk, "name": world.village_b.name, "question": ""}


def test_propose_unit_stays_in_scope(client_for, world):
    response = client_for(world.village_officer_a).get(
        reverse("hazards:propose_unit"), {"lng": IN_VILLAGE_B[0], "lat": IN_VILLAGE_B[1]}
    )
    assert response.json()["id"] == world.village_a.pk


def test_propose_unit_refuses_bad_input_wrong_method_and_people_without_a_grid(client_for, client, world):
    url = reverse("hazards:propose_unit")
    officer = client_for(world.village_officer_a)
    assert officer.get(url, {"lng": "east", "lat": "1"}).status_code == 400
    assert officer.get(url, {"lng": "nan", "lat": "1"}).status_code == 400
    assert officer.post(url, {"lng": 1, "lat": 1}).status_code == 405
    client.force_login(world.outsider)
    assert client.get(url, {"lng": 1, "lat": 1}).status_code == 403


# --- my hazards ------------------------------------------------------------------------------------


def test_mine_lists_my_reports_and_open_hazards_of_my_village_newest_first(client_for, world):
    old = report(world, title="旧的裂缝", found_at=timezone.now() - datetime.timedelta(days=2))
    by_township = report(world, by=world.township_officer, title="镇里报的隐患")
    closed_by_other = report(world, by=world.township_officer, title="已销号的隐患")
    services.hazard_reject(hazard=closed_by_other, by=world.township_officer, reason="不是隐患")
    in_b = report(world, by=world.village_officer_b, unit=world.village_b, title="平兰村隐患")
    html = client_for(world.village_officer_a).get(reverse("hazards:mine")).content.decode()
    assert by_township.title in html and old.title in html
    assert html.index(by_township.title) < html.index(old.title)
    assert closed_by_other.title not in html
    assert in_b.title not in html
    assert detail_url(old) in html


def test_mine_is_paginated_with_a_bounded_number_of_queries(client_for, world, django_assert_max_num_queries):
    for number in range(25):
        report(world, title=f"隐患{number:02d}")
    client = client_for(world.village_officer_a)
    with django_assert_max_num_queries(8):
        first = client.get(reverse("hazards:mine")).content.decode()
    assert first.count('class="hazard-row') == 20
    second = client.get(reverse("hazards:mine"), {"page": 2}).content.decode()
    assert second.count('class="hazard-row') == 5


def test_mine_refuses_other_methods(client_for, world):
    assert client_for(world.village_officer_a).post(reverse("hazards:mine")).status_code == 405


# --- the detail page -------------------------------------------------------------------------------


def test_detail_shows_the_hazard_and_its_timeline(client_for, world):
    hazard = rectifying(world)
    html = client_for(world.village_officer_a).get(detail_url(hazard)).content.decode()
    assert hazard.number in html and hazard.title in html
    for action in ("report", "confirm", "plan"):
        assert f'data-action="{action}"' in html
    assert world.township_officer.real_name in html  # who confirmed
    assert 'data-state="rectifying"' in html
    assert "削坡减载" in html  # five-in-place
    assert reverse("hazards:print_report_form", args=[hazard.pk]) in html
    assert 'id="unit-map"' in html


@pytest.mark.parametrize("persona", ["village_officer_b", "outsider", "department_officer"])
def test_detail_is_hidden_from_people_who_cannot_see_the_hazard(client_for, world, persona):
    hazard = report(world)
    assert client_for(getattr(world, persona)).get(detail_url(hazard)).status_code == 404


def test_detail_of_a_missing_hazard_is_404_and_posting_is_405(client_for, world):
    client = client_for(world.township_officer)
    assert client.get(reverse("hazards:detail", args=[999999])).status_code == 404
    assert client.post(detail_url(report(world))).status_code == 405


def test_detail_offers_only_the_steps_the_person_may_take(client_for, world):
    hazard = report(world)
    officer_html = client_for(world.township_officer).get(detail_url(hazard)).content.decode()
    assert 'id="step-confirm"' in officer_html and 'id="step-reject"' in officer_html
    assert 'id="step-escalate"' in officer_html and 'id="step-evidence"' not in officer_html
    village_html = client_for(world.village_officer_a).get(detail_url(hazard)).content.decode()
    assert 'id="step-' not in village_html


def test_detail_query_count_does_not_grow_with_events_and_photos(client_for, world, django_assert_max_num_queries):
    hazard = confirmed(world, grade=Grade.MAJOR, code="flood", photos=[photo(), photo()])
    hazard = services.hazard_plan(
        hazard=hazard,
        by=world.county_dispatcher,
        measures="加固堤防",
        responsible_unit="水利局",
        responsible_person="岑水利",
        deadline=timezone.localdate(),
        contingency="转移群众",
        funds=90000,
    )
    for _round in range(3):
        services.hazard_submit_evidence(
            hazard=hazard, by=world.village_officer_a, note="已整改", photos=[photo(), photo()]
        )
        services.hazard_fail_acceptance(hazard=hazard, by=world.county_dispatcher, reason="不合格")
    services.hazard_supervise(
        hazard=hazard,
        by=world.county_dispatcher,
        department=world.department,
        deadline=timezone.localdate(),
        requirements="限期整改",
    )
    assert hazard.events.count() > 10 and hazard.photos.count() > 6
    client = client_for(world.county_dispatcher)
    with django_assert_max_num_queries(11):  # 11: the 叫应 banner and the link checks included
        response = client.get(detail_url(hazard))
    assert response.status_code == 200
    assert reverse("hazards:print_supervision_order", args=[hazard.pk]) in response.content.decode()


# --- the loop's steps through the page ----------------------------------------------------------------


def test_act_refuses_get_unknown_steps_unseen_hazards_and_wrong_people(client_for, world):
    hazard = report(world)
    officer = client_for(world.township_officer)
    assert officer.get(act_url(hazard, "confirm")).status_code == 405
    assert officer.post(act_url(hazard, "explode")).status_code == 404
    assert officer.post(reverse("hazards:act", args=[999999, "confirm"])).status_code == 404
    assert client_for(world.village_officer_b).post(act_url(hazard, "confirm")).status_code == 404
    assert (
        client_for(world.village_officer_a).post(act_url(hazard, "confirm"), {"confirm-grade": "general"}).status_code
        == 403
    )
    assert Hazard.objects.get().state == State.REPORTED


def test_township_officer_confirms_with_lec(client_for, world):
    hazard = report(world)
    response = client_for(world.township_officer).post(
        act_url(hazard, "confirm"),
        {
            "confirm-grade": "general",
            "confirm-risk_method": "lec",
            "confirm-lec_l": "3",
            "confirm-lec_e": "6",
            "confirm-lec_c": "7",
        },
    )
    assert response.status_code == 302 and response["Location"] == detail_url(hazard)
    hazard.refresh_from_db()
    assert (hazard.state, hazard.risk_level, hazard.risk_method) == (State.CONFIRMED, RiskLevel.YELLOW, "lec")


def test_confirm_with_a_missing_factor_is_shown_and_saves_nothing(client_for, world):
    hazard = report(world)
    response = client_for(world.township_officer).post(
        act_url(hazard, "confirm"),
        {
            "confirm-grade": "general",
            "confirm-risk_method": "lec",
            "confirm-lec_l": "3",
            "confirm-lec_e": "6",
        },
    )
    assert response.status_code == 400
    assert 'id="step-confirm" open' in response.content.decode()
    hazard.refresh_from_db()
    assert hazard.state == State.REPORTED and hazard.events.count() == 1


def test_confirming_a_major_flood_hands_it_to_the_county_and_copies_the_water_bureau(client_for, world):
    hazard = report(world, code="flood")
    response = client_for(world.township_officer).post(
        act_url(hazard, "confirm"),
        {
            "confirm-grade": "major",
            "confirm-risk_method": "direct",
            "confirm-risk_level": "1",
            "confirm-risk_reason": "河堤管涌，威胁下游村庄",
        },
    )
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert (hazard.owner_unit, hazard.grade, hazard.risk_level) == (world.county, Grade.MAJOR, RiskLevel.RED)
    assert HazardCopy.objects.filter(hazard=hazard, department=world.department).exists()


def test_confirming_twice_shows_a_refusal_message(client_for, world):
    hazard = confirmed(world)
    response = client_for(world.township_officer).post(
        act_url(hazard, "confirm"),
        {
            "confirm-grade": "general",
            "confirm-risk_method": "lec",
            "confirm-lec_l": "3",
            "confirm-lec_e": "6",
            "confirm-lec_c": "7",
        },
    )
    assert response.status_code == 302 and response["Location"] == detail_url(hazard)
    assert len(error_messages(response)) == 1
    assert hazard.events.filter(action=HazardEvent.Action.CONFIRM).count() == 1


def test_service_refusal_after_the_page_check_is_a_message_too(client_for, world, monkeypatch):
    hazard = report(world)

    def raced(**kwargs):
        raise services.TransitionRefused("someone else was faster")

    monkeypatch.setattr(services, "hazard_reject", raced)
    response = client_for(world.township_officer).post(act_url(hazard, "reject"), {"reject-reason": "不是隐患"})
    assert response.status_code == 302
    assert error_messages(response) == ["someone else was faster"]


def test_reject_needs_a_reason(client_for, world):
    hazard = report(world)
    client = client_for(world.township_officer)
    assert client.post(act_url(hazard, "reject"), {"reject-reason": ""}).status_code == 400
    assert Hazard.objects.get().state == State.REPORTED
    assert client.post(act_url(hazard, "reject"), {"reject-reason": "系正常施工"}).status_code == 302
    assert Hazard.objects.get().state == State.REJECTED


def plan_data(**overrides):
    data = {
        "plan-measures": "设置警示牌，削坡",
        "plan-responsible_unit": "泗城镇安监站",
        "plan-responsible_person": "黄网格",
        "plan-responsible_phone": "13800000000",
        "plan-funds": "2000",
        "plan-deadline": future(),
        "plan-contingency": "雨天转移群众",
    }
    data.update(overrides)
    return data


def test_township_sets_the_five_in_place(client_for, world):
    hazard = confirmed(world)
    assert client_for(world.village_officer_a).post(act_url(hazard, "plan"), plan_data()).status_code == 403
    response = client_for(world.township_officer).post(act_url(hazard, "plan"), plan_data())
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == State.RECTIFYING and hazard.responsible_person == "黄网格"


def test_five_in_place_with_a_past_deadline_shows_the_services_error(client_for, world):
    hazard = confirmed(world)
    response = client_for(world.township_officer).post(
        act_url(hazard, "plan"), plan_data(**{"plan-deadline": "2020-01-01"})
    )
    assert response.status_code == 400
    assert zh("The deadline cannot be in the past.") in response.content.decode()
    assert Hazard.objects.get().state == State.CONFIRMED


def test_village_officer_adds_evidence_in_own_village_only(client_for, world):
    hazard = rectifying(world)
    assert (
        client_for(world.village_officer_b)
        .post(act_url(hazard, "evidence"), {"evidence-photos": [photo()]})
        .status_code
        == 404
    )
    response = client_for(world.village_officer_a).post(
        act_url(hazard, "evidence"), {"evidence-note": "已设警示牌", "evidence-photos": [photo()]}
    )
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == State.AWAITING_ACCEPTANCE
    assert hazard.photos.filter(kind=HazardPhoto.Kind.EVIDENCE).count() == 1


def test_evidence_without_a_photo_is_refused_and_saves_nothing(client_for, world):
    hazard = rectifying(world)
    response = client_for(world.village_officer_a).post(act_url(hazard, "evidence"), {"evidence-note": "已整改"})
    assert response.status_code == 400
    assert Hazard.objects.get().state == State.RECTIFYING


def awaiting(world):
    hazard = rectifying(world)
    return services.hazard_submit_evidence(hazard=hazard, by=world.village_officer_a, note="已整改", photos=[photo()])


def test_township_accepts_and_closes(client_for, world):
    hazard = awaiting(world)
    assert client_for(world.village_officer_a).post(act_url(hazard, "accept")).status_code == 403
    assert (
        client_for(world.township_officer).post(act_url(hazard, "accept"), {"accept-note": "验收合格"}).status_code
        == 302
    )
    assert Hazard.objects.get().state == State.CLOSED


def test_failed_acceptance_returns_to_rectifying_with_the_reason(client_for, world):
    hazard = awaiting(world)
    client = client_for(world.township_leader)
    assert client.post(act_url(hazard, "fail"), {"fail-reason": ""}).status_code == 400
    assert client.post(act_url(hazard, "fail"), {"fail-reason": "警示牌未设置"}).status_code == 302
    assert Hazard.objects.get().state == State.RECTIFYING
    assert HazardEvent.objects.filter(action=HazardEvent.Action.FAIL, note="警示牌未设置").exists()


def test_township_escalates_to_the_county_and_still_sees_it(client_for, world):
    hazard = report(world)
    assert (
        client_for(world.village_officer_a).post(act_url(hazard, "escalate"), {"escalate-reason": "x"}).status_code
        == 403
    )
    client = client_for(world.township_officer)
    assert client.post(act_url(hazard, "escalate"), {"escalate-reason": "超出镇级处置权限"}).status_code == 302
    hazard.refresh_from_db()
    assert hazard.owner_unit == world.county
    html = client.get(detail_url(hazard)).content.decode()
    assert 'id="step-confirm"' not in html  # the county rules now
    assert 'data-action="escalate"' in html


def test_county_dispatcher_puts_a_major_hazard_under_supervision(client_for, world):
    hazard = confirmed(world, grade=Grade.MAJOR, code="flood")
    data = {
        "supervise-department": world.department.pk,
        "supervise-deadline": future(30),
        "supervise-requirements": "30日内完成",
    }
    assert client_for(world.township_officer).post(act_url(hazard, "supervise"), data).status_code == 403
    response = client_for(world.county_dispatcher).post(act_url(hazard, "supervise"), data)
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.supervised and hazard.supervising_department == world.department


# --- copies to departments ---------------------------------------------------------------------------


def test_department_officer_sees_a_copied_hazard_and_gives_feedback(client_for, world):
    hazard = confirmed(world, code="flood")
    copy = HazardCopy.objects.get(hazard=hazard)
    client = client_for(world.department_officer)
    html = client.get(detail_url(hazard)).content.decode()
    assert reverse("hazards:copy_feedback", args=[copy.pk]) in html
    assert 'id="step-' not in html  # a department replies, it does not rule
    url = reverse("hazards:copy_feedback", args=[copy.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {f"copy{copy.pk}-feedback": ""}).status_code == 400
    assert client.post(url, {f"copy{copy.pk}-feedback": "已派员现场查看"}).status_code == 302
    copy.refresh_from_db()
    assert copy.feedback == "已派员现场查看" and copy.feedback_by == world.department_officer


def test_only_the_copied_department_may_give_feedback(client_for, world):
    hazard = confirmed(world, code="flood")
    copy = HazardCopy.objects.get(hazard=hazard)
    url = reverse("hazards:copy_feedback", args=[copy.pk])
    data = {f"copy{copy.pk}-feedback": "已处理"}
    assert client_for(world.village_officer_a).post(url, data).status_code == 403
    assert client_for(world.outsider).post(url, data).status_code == 404
    assert (
        client_for(world.village_officer_a).post(reverse("hazards:copy_feedback", args=[999999]), data).status_code
        == 404
    )
    assert HazardCopy.objects.get().feedback == ""


# --- photos ---------------------------------------------------------------------------------------------


def test_photo_is_served_privately_to_those_who_see_the_hazard(client_for, world):
    hazard = report(world, photos=[photo()])
    item = hazard.photos.get()
    url = reverse("hazards:photo", args=[item.pk])
    response = client_for(world.village_officer_a).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert client_for(world.village_officer_b).get(url).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.township_officer).get(reverse("hazards:photo", args=[999999])).status_code == 404
    assert client_for(world.township_officer).post(url).status_code == 405
