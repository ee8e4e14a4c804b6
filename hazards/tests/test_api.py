"""The hazard REST API: scope per persona, reporting with photos, the transitions as actions
(allowed, refused by role, refused by state), the rule tables, the copies, and query counts."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from hazards import services
from hazards.models import Grade, Hazard, HazardCopy, HazardEvent, HazardPhoto, RiskLevel, State
from hazards.tests.factories import category, confirmed, photo, rectifying, report

pytestmark = pytest.mark.django_db

HAZARDS = "/api/v1/hazards/"
COPIES = "/api/v1/hazard-copies/"


@pytest.fixture
def api():
    """``api(user)``: an API client logged in as ``user`` (a session, so the scope is computed afresh)."""

    def client_as(user):
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return client_as


def url(hazard, action=""):
    return f"{HAZARDS}{hazard.pk}/" + (f"{action}/" if action else "")


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def awaiting(world, **kwargs):
    hazard = rectifying(world, **kwargs)
    return services.hazard_submit_evidence(hazard=hazard, by=world.village_officer_a, note="已整改", photos=[photo()])


def major(world, **kwargs):
    """A confirmed major flood hazard: owned by the county, copied to the water department."""
    hazard = report(world, code="flood", **kwargs)
    return services.hazard_confirm(
        hazard=hazard,
        by=world.township_officer,
        grade=Grade.MAJOR,
        risk_method="ls",
        risk_inputs={"ls_l": 5, "ls_s": 5},
    )


@pytest.fixture
def spread(world):
    """One hazard in village A, one in village B, one in village C (the other township)."""
    return {
        "a": report(world, title="陇雅村山体裂缝"),
        "b": report(world, by=world.village_officer_b, unit=world.village_b, title="平兰村危房"),
        "c": report(world, by=world.county_dispatcher, unit=world.village_c, title="逻楼村河堤"),
    }


# --- who sees what --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("village_officer_a", {"a"}),
        ("village_officer_b", {"b"}),
        ("township_officer", {"a", "b"}),
        ("township_leader", {"a", "b"}),
        ("county_dispatcher", {"a", "b", "c"}),
        ("admin", {"a", "b", "c"}),
        ("outsider", set()),
        ("department_officer", set()),
    ],
)
def test_register_lists_only_the_hazards_in_scope(world, spread, api, who, sees):
    assert ids(api(getattr(world, who)).get(HAZARDS)) == {spread[key].pk for key in sees}


def test_village_officer_cannot_open_other_village_hazard(world, spread, api):
    client = api(world.village_officer_a)
    assert client.get(url(spread["a"])).status_code == 200
    for key in ("b", "c"):
        assert client.get(url(spread[key])).status_code == 404
        assert client.get(url(spread[key], "timeline")).status_code == 404
        assert client.get(url(spread[key], "photos")).status_code == 404


def test_township_officer_cannot_open_other_township_hazard(world, spread, api):
    client = api(world.township_officer)
    assert client.get(url(spread["b"])).status_code == 200
    assert client.get(url(spread["c"])).status_code == 404


def test_department_officer_sees_only_copied_hazards(world, spread, api):
    copied = major(world, title="河堤渗漏")
    client = api(world.department_officer)
    assert ids(client.get(HAZARDS)) == {copied.pk}
    assert client.get(url(copied)).status_code == 200
    assert client.get(url(spread["a"])).status_code == 404


def test_anonymous_caller_is_refused(world, spread, api):
    for path in (HAZARDS, url(spread["a"]), COPIES, "/api/v1/hazard-categories/"):
        assert api(None).get(path).status_code in (401, 403)


def test_missing_hazard_is_404(world, api):
    assert api(world.admin).get(f"{HAZARDS}999999/").status_code == 404


def test_detail_lists_the_actions_the_caller_may_take(world, api):
    hazard = report(world)
    assert set(api(world.township_officer).get(url(hazard)).json()["actions"]) == {"confirm", "reject", "escalate"}
    assert api(world.village_officer_a).get(url(hazard)).json()["actions"] == []


# --- filters --------------------------------------------------------------------------------------


# The API takes the register's shared filters (hazards.filters.HazardFilterSet): the same query
# string as the list page, the map and the export.


def test_filter_by_unit_subtree(world, spread, api):
    client = api(world.county_dispatcher)
    assert ids(client.get(HAZARDS, {"unit": world.township.pk})) == {spread["a"].pk, spread["b"].pk}
    assert ids(client.get(HAZARDS, {"unit": world.village_c.pk})) == {spread["c"].pk}


def test_filter_by_an_unseen_unit_is_refused(world, spread, api):
    response = api(world.township_officer).get(HAZARDS, {"unit": world.other_township.pk})
    assert response.status_code == 400
    assert "unit" in response.json()


def test_filters_by_state_grade_level_category_overdue_supervised(world, api):
    general = confirmed(world, title="一般")  # LEC 126: yellow
    big = major(world, title="重大")
    reported = report(world, code="fire", title="消防通道堵塞")
    late = rectifying(world, title="逾期")
    Hazard.objects.filter(pk=late.pk).update(overdue_since=timezone.localdate())
    services.hazard_supervise(
        hazard=big,
        by=world.county_dispatcher,
        department=world.department,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        requirements="限期治理",
    )
    client = api(world.county_dispatcher)
    assert ids(client.get(HAZARDS, {"state": "reported"})) == {reported.pk}
    assert ids(client.get(HAZARDS, {"state": "open"})) == {general.pk, big.pk, reported.pk, late.pk}
    assert ids(client.get(HAZARDS, {"grade": "major"})) == {big.pk}
    assert ids(client.get(HAZARDS, {"level": RiskLevel.RED})) == {big.pk}
    assert ids(client.get(HAZARDS, {"level": RiskLevel.YELLOW})) == {general.pk, late.pk}
    assert ids(client.get(HAZARDS, {"level": "none"})) == {reported.pk}
    assert ids(client.get(HAZARDS, {"category": category("fire").pk})) == {reported.pk}
    assert ids(client.get(HAZARDS, {"family": "production"})) == {reported.pk}
    assert ids(client.get(HAZARDS, {"overdue": "true"})) == {late.pk}
    assert ids(client.get(HAZARDS, {"supervised": "true"})) == {big.pk}
    assert client.get(HAZARDS, {"state": "nonsense"}).status_code == 400


def test_filter_by_dates_and_search(world, api):
    today = timezone.localdate()
    old = report(world, title="旧裂缝", found_at=timezone.now() - datetime.timedelta(days=10))
    new = report(world, title="新塌方")
    client = api(world.township_officer)
    assert ids(client.get(HAZARDS, {"found_from": (today - datetime.timedelta(days=1)).isoformat()})) == {new.pk}
    assert ids(client.get(HAZARDS, {"found_to": (today - datetime.timedelta(days=5)).isoformat()})) == {old.pk}
    assert ids(client.get(HAZARDS, {"q": "塌方"})) == {new.pk}
    assert ids(client.get(HAZARDS, {"q": new.number})) == {new.pk}


def test_ordering(world, api):
    first = report(world, title="甲", found_at=timezone.now() - datetime.timedelta(days=3))
    second = report(world, title="乙")
    client = api(world.township_officer)
    assert [row["id"] for row in client.get(HAZARDS).json()["results"]] == [second.pk, first.pk]
    assert [row["id"] for row in client.get(HAZARDS, {"ordering": "found_at"}).json()["results"]] == [
        first.pk,
        second.pk,
    ]


def test_list_queries_do_not_grow_with_hazards(world, api):
    client = api(world.county_dispatcher)
    units = [world.village_a, world.village_b, world.village_c]

    def fill(total):
        while Hazard.objects.count() < total:
            n = Hazard.objects.count()
            report(
                world,
                by=world.county_dispatcher,
                unit=units[n % 3],
                title=f"隐患{n}",
                code=("flood", "fire", "geological")[n % 3],
            )

    fill(5)
    client.get(HAZARDS)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as five:
        assert len(ids(client.get(HAZARDS))) == 5
    fill(25)
    with CaptureQueriesContext(connection) as twenty_five:
        assert len(ids(client.get(HAZARDS))) == 25
    assert len(twenty_five) == len(five) <= 8


# --- reporting ------------------------------------------------------------------------------------


def report_form(world, **changes):
    data = {
        "category": category("geological").pk,
        "unit": world.village_a.pk,
        "title": "村后山体裂缝",
        "description": "雨后裂缝扩大",
        "lng": "106.45",
        "lat": "24.25",
        "address": "陇雅村后山",
        "source": "patrol",
        "client_key": str(uuid.uuid4()),
        "photos": [photo("a.jpg"), photo("b.jpg", colour=(20, 120, 20))],
    }
    data.update(changes)
    return data


def test_village_officer_reports_with_photos(world, api):
    response = api(world.village_officer_a).post(HAZARDS, report_form(world), format="multipart")
    assert response.status_code == 201, response.content
    data = response.json()
    hazard = Hazard.objects.get(pk=data["id"])
    assert hazard.state == State.REPORTED and hazard.reporter == world.village_officer_a
    assert hazard.owner_unit == world.township and hazard.lng == pytest.approx(106.45)
    assert data["number"].startswith(world.village_a.code)
    assert len(data["photos"]) == 2 == hazard.photos.filter(kind=HazardPhoto.Kind.REPORT).count()
    for item in data["photos"]:
        assert "/hazards/photos/" in item["url"]
        assert settings.MEDIA_URL not in item["url"]


def test_photos_sent_as_photos_brackets_are_accepted(world, api):
    form = report_form(world)
    form["photos[]"] = form.pop("photos")
    response = api(world.village_officer_a).post(HAZARDS, form, format="multipart")
    assert response.status_code == 201, response.content
    assert len(response.json()["photos"]) == 2


def test_repeated_client_key_returns_the_saved_hazard(world, api):
    client = api(world.village_officer_a)
    key = str(uuid.uuid4())
    first = client.post(HAZARDS, report_form(world, client_key=key), format="multipart")
    again = client.post(HAZARDS, report_form(world, client_key=key), format="multipart")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert Hazard.objects.count() == 1
    assert HazardPhoto.objects.count() == 2


def test_report_fixed_on_spot_is_closed_with_evidence(world, api):
    form = report_form(world, fixed_on_spot="true", evidence_photos=[photo("done.jpg")])
    response = api(world.village_officer_a).post(HAZARDS, form, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["state"] == State.CLOSED
    no_evidence = api(world.village_officer_a).post(
        HAZARDS, report_form(world, fixed_on_spot="true"), format="multipart"
    )
    assert no_evidence.status_code == 400
    assert "evidence_photos" in no_evidence.json()


def test_report_in_another_village_is_403(world, api):
    response = api(world.village_officer_a).post(
        HAZARDS, report_form(world, unit=world.village_b.pk), format="multipart"
    )
    assert response.status_code == 403
    assert Hazard.objects.count() == 0


def test_report_with_bad_fields_or_a_bad_photo_is_400(world, api):
    client = api(world.village_officer_a)
    missing = client.post(HAZARDS, report_form(world, title="", lat="95"), format="multipart")
    assert missing.status_code == 400
    assert {"title", "lat"} <= set(missing.json())
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.jpg", b"not a picture", content_type="image/jpeg")
    response = client.post(HAZARDS, report_form(world, photos=[bad]), format="multipart")
    assert response.status_code == 400
    assert "photos" in response.json()
    assert Hazard.objects.count() == 0


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_record_cannot_be_changed_or_deleted_directly(world, api, method):
    hazard = report(world)
    response = getattr(api(world.admin), method)(url(hazard), {"title": "改"}, format="json")
    assert response.status_code == 405
    assert Hazard.objects.filter(pk=hazard.pk, title=hazard.title).exists()


# --- transitions ----------------------------------------------------------------------------------

CONFIRM = {"grade": "general", "risk_method": "lec", "risk_inputs": {"lec_l": "3", "lec_e": "6", "lec_c": "7"}}


def plan_body():
    return {
        "measures": "削坡减载",
        "responsible_unit": "泗城镇安监站",
        "responsible_person": "黄网格",
        "deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "contingency": "雨天转移",
    }


def test_the_whole_loop_through_the_api(world, api):
    township, village = api(world.township_officer), api(world.village_officer_a)
    hazard = report(world)
    response = township.post(url(hazard, "confirm"), CONFIRM, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == State.CONFIRMED and response.json()["risk_level"] == RiskLevel.YELLOW
    assert township.post(url(hazard, "plan"), plan_body(), format="json").json()["state"] == State.RECTIFYING
    response = village.post(url(hazard, "evidence"), {"note": "已削坡", "photos": [photo()]}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == State.AWAITING_ACCEPTANCE
    response = township.post(url(hazard, "fail"), {"reason": "警示牌未设"}, format="json")
    assert response.json()["state"] == State.RECTIFYING
    village.post(url(hazard, "evidence"), {"note": "已补设", "photos": [photo()]}, format="multipart")
    response = township.post(url(hazard, "accept"), {"note": "验收合格"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == State.CLOSED
    timeline = village.get(url(hazard, "timeline")).json()
    assert [e["action"] for e in timeline] == ["report", "confirm", "plan", "evidence", "fail", "evidence", "accept"]
    assert timeline[1]["by_name"] == world.township_officer.display_name
    photos = village.get(url(hazard, "photos")).json()
    assert [p["kind"] for p in photos] == ["evidence", "evidence"]


def test_timeline_is_oldest_first(world, api):
    hazard = rectifying(world)
    HazardEvent.objects.filter(hazard=hazard, action="report").update(at=timezone.now() - datetime.timedelta(days=2))
    HazardEvent.objects.filter(hazard=hazard, action="plan").update(at=timezone.now() + datetime.timedelta(minutes=1))
    timeline = api(world.village_officer_a).get(url(hazard, "timeline")).json()
    assert [e["action"] for e in timeline] == ["report", "confirm", "plan"]
    stamps = [e["at"] for e in timeline]
    assert stamps == sorted(stamps)


def _evidence_body():
    return {"note": "已整改", "photos": [photo()]}


# action: (how to bring a hazard to a state that allows it, request body, format, state after)
TRANSITIONS = {
    "confirm": (report, lambda: CONFIRM, "json", State.CONFIRMED),
    "reject": (report, lambda: {"reason": "系正常沉降"}, "json", State.REJECTED),
    "plan": (confirmed, plan_body, "json", State.RECTIFYING),
    "evidence": (rectifying, _evidence_body, "multipart", State.AWAITING_ACCEPTANCE),
    "accept": (awaiting, lambda: {"note": "合格"}, "json", State.CLOSED),
    "fail": (awaiting, lambda: {"reason": "未完成"}, "json", State.RECTIFYING),
    "escalate": (report, lambda: {"reason": "超出乡镇权限"}, "json", State.REPORTED),
}
ALLOWED = {
    "confirm": "township_officer",
    "reject": "township_leader",
    "plan": "township_officer",
    "evidence": "village_officer_a",
    "accept": "township_officer",
    "fail": "township_leader",
    "escalate": "township_officer",
}
# someone who sees the hazard but whose role or tier does not allow the action
REFUSED_ROLE = {
    "confirm": "village_officer_a",
    "reject": "village_officer_a",
    "plan": "village_officer_a",
    "evidence": "department_officer",
    "accept": "village_officer_a",
    "fail": "village_officer_a",
    "escalate": "village_officer_a",
}
# a state in which the action is refused
WRONG_STATE = {
    "confirm": confirmed,
    "reject": rectifying,
    "plan": report,
    "evidence": report,
    "accept": rectifying,
    "fail": report,
    "escalate": lambda world: _closed(world),
}


def _closed(world):
    hazard = awaiting(world, title="已销号的")
    return services.hazard_accept(hazard=hazard, by=world.township_officer)


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_transition_allowed_for_the_right_role(world, api, name):
    make, body, fmt, state = TRANSITIONS[name]
    hazard = make(world)
    response = api(getattr(world, ALLOWED[name])).post(url(hazard, name), body(), format=fmt)
    assert response.status_code == 200, response.content
    hazard.refresh_from_db()
    assert hazard.state == state == response.json()["state"]
    assert hazard.events.latest("at", "id").action == HazardEvent.Action(name)


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_transition_refused_for_the_wrong_role_is_403(world, api, name):
    make, body, fmt, _state = TRANSITIONS[name]
    hazard = make(world)
    if name == "evidence":  # let the department see it: copy a flood hazard to it
        hazard = rectifying(world, code="flood", title="河堤")
        HazardCopy.objects.get_or_create(hazard=hazard, department=world.department)
    before = (hazard.state, hazard.events.count())
    response = api(getattr(world, REFUSED_ROLE[name])).post(url(hazard, name), body(), format=fmt)
    assert response.status_code == 403, response.content
    hazard.refresh_from_db()
    assert (hazard.state, hazard.events.count()) == before


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_transition_in_the_wrong_state_is_409(world, api, name):
    _make, body, fmt, _state = TRANSITIONS[name]
    hazard = WRONG_STATE[name](world)
    before = (hazard.state, hazard.events.count())
    response = api(getattr(world, ALLOWED[name])).post(url(hazard, name), body(), format=fmt)
    assert response.status_code == 409, response.content
    assert response.json()["detail"]
    hazard.refresh_from_db()
    assert (hazard.state, hazard.events.count()) == before


@pytest.mark.parametrize("name", [*TRANSITIONS, "supervise"])
def test_transition_on_an_unseen_hazard_is_404(world, api, name):
    hazard = report(world)
    assert api(world.village_officer_b).post(url(hazard, name), {}, format="json").status_code == 404
    assert api(world.outsider).post(url(hazard, name), {}, format="json").status_code == 404


def test_transition_with_bad_fields_is_400(world, api):
    client = api(world.township_officer)
    hazard = report(world)
    assert client.post(url(hazard, "reject"), {"reason": ""}, format="json").status_code == 400
    response = client.post(url(hazard, "confirm"), {**CONFIRM, "risk_inputs": {"lec_l": "4"}}, format="json")
    assert response.status_code == 400
    response = client.post(url(confirmed(world, title="另一处"), "plan"), {}, format="json")
    assert response.status_code == 400
    assert {"measures", "deadline", "contingency"} <= set(response.json())


def test_evidence_without_photos_is_400(world, api):
    hazard = rectifying(world)
    response = api(world.village_officer_a).post(url(hazard, "evidence"), {"note": "已整改"}, format="multipart")
    assert response.status_code == 400
    assert "photos" in response.json()
    hazard.refresh_from_db()
    assert hazard.state == State.RECTIFYING


def supervise_body(world):
    return {
        "department": world.department.pk,
        "requirements": "30日内完成治理",
        "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
    }


def test_county_dispatcher_puts_a_major_hazard_under_supervision(world, api):
    hazard = major(world)
    response = api(world.county_dispatcher).post(url(hazard, "supervise"), supervise_body(world), format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["supervised"] and data["supervision_order_no"]
    assert data["supervising_department_name"] == world.department.name


def test_township_leader_cannot_supervise(world, api):
    hazard = major(world)
    response = api(world.township_leader).post(url(hazard, "supervise"), supervise_body(world), format="json")
    assert response.status_code == 403
    hazard.refresh_from_db()
    assert not hazard.supervised


def test_supervising_a_general_hazard_or_twice_is_409(world, api):
    client = api(world.county_dispatcher)
    general = confirmed(world)
    assert client.post(url(general, "supervise"), supervise_body(world), format="json").status_code == 409
    hazard = major(world, title="另一处")
    assert client.post(url(hazard, "supervise"), supervise_body(world), format="json").status_code == 200
    assert client.post(url(hazard, "supervise"), supervise_body(world), format="json").status_code == 409


def test_escalate_moves_ownership_and_the_township_can_no_longer_rule(world, api):
    hazard = confirmed(world)
    township = api(world.township_officer)
    response = township.post(url(hazard, "escalate"), {"reason": "超出乡镇处置权限"}, format="json")
    assert response.status_code == 200
    assert response.json()["owner_unit"] == world.county.pk
    assert township.get(url(hazard)).status_code == 200  # lower tiers keep seeing it
    assert township.post(url(hazard, "plan"), plan_body(), format="json").status_code == 403
    assert (
        api(world.county_dispatcher).post(url(hazard, "escalate"), {"reason": "再上报"}, format="json").status_code
        == 409
    )


# --- copies to departments ------------------------------------------------------------------------


def test_department_lists_its_copies_and_replies(world, api):
    hazard = major(world)
    report(world, code="fire", title="不抄送")
    client = api(world.department_officer)
    rows = client.get(COPIES).json()["results"]
    assert [row["hazard"] for row in rows] == [hazard.pk]
    assert rows[0]["answered"] is False
    copy_url = f"{COPIES}{rows[0]['id']}/feedback/"
    assert client.post(copy_url, {"feedback": ""}, format="json").status_code == 400
    response = client.post(copy_url, {"feedback": "已派员现场核查"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["answered"] is True and response.json()["feedback_by_name"]
    assert hazard.events.filter(action=HazardEvent.Action.FEEDBACK).exists()
    assert client.get(COPIES, {"answered": "false"}).json()["count"] == 0


def test_copies_are_hidden_from_people_outside_the_department(world, api):
    hazard = major(world)
    copy = HazardCopy.objects.get(hazard=hazard)
    for who in ("township_officer", "county_dispatcher", "outsider"):
        client = api(getattr(world, who))
        assert client.get(COPIES).json()["count"] == 0
        assert client.post(f"{COPIES}{copy.pk}/feedback/", {"feedback": "x"}, format="json").status_code == 404
    assert api(world.admin).get(COPIES).json()["count"] == 1


# --- rule tables and grading ----------------------------------------------------------------------


def test_rule_tables_are_listed_read_only(world, api):
    client = api(world.village_officer_a)
    categories = client.get("/api/v1/hazard-categories/").json()
    flood = next(row for row in categories if row["code"] == "flood")
    assert flood["family"] == "natural" and flood["sector_name"]
    options = client.get("/api/v1/risk-options/", {"factor": "lec_c"}).json()
    assert {row["value"] for row in options} == {"100.00", "40.00", "15.00", "7.00", "3.00", "1.00"}
    bands = client.get("/api/v1/risk-bands/", {"method": "lec"}).json()
    assert [(row["level"], row["min_score"]) for row in bands][0] == (RiskLevel.RED, "320.00")
    assert client.post("/api/v1/risk-bands/", {"method": "lec", "level": 1, "min_score": 1}).status_code == 405
    assert client.patch(f"/api/v1/risk-bands/{bands[0]['id']}/", {"min_score": 1}).status_code == 405


def test_grade_endpoint_previews_the_level(world, api):
    client = api(world.village_officer_a)
    response = client.post(
        "/api/v1/risk-grade/", {"method": "lec", "inputs": {"lec_l": 3, "lec_e": 3, "lec_c": 40}}, format="json"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["level"], data["colour"], data["score"]) == (RiskLevel.RED, "red", "360.00")
    assert data["level_display"]
    matrix = client.post("/api/v1/risk-grade/", {"method": "ls", "inputs": {"ls_l": 2, "ls_s": 2}}, format="json")
    assert matrix.json()["level"] == RiskLevel.YELLOW
    bad = client.post("/api/v1/risk-grade/", {"method": "lec", "inputs": {"lec_l": 4}}, format="json")
    assert bad.status_code == 400


def test_schema_documents_the_transitions(tmp_path, db):
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for name in ("confirm", "reject", "plan", "evidence", "accept", "fail", "escalate", "supervise", "timeline"):
        assert f"/api/v1/hazards/{{id}}/{name}/" in schema
    assert "/api/v1/hazard-copies/{id}/feedback/" in schema and "/api/v1/risk-grade/" in schema


def test_detail_costs_a_fixed_number_of_queries(world, api, django_assert_max_num_queries):
    hazard = report(world, photos=[photo(), photo("b.jpg")])
    client = api(world.village_officer_a)
    client.get(url(hazard))
    with django_assert_max_num_queries(6):
        data = client.get(url(hazard)).json()
    assert len(data["photos"]) == 2
