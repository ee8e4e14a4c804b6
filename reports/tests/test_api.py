"""The reports API: monthly reports, consultations, countermeasures and the inbox, each through the
scope (404 unseen, 403 seen but not one's own), every action a service, lists in a constant number
of queries, junk input a 400 or 404 (never a 500), and every path in the OpenAPI schema."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.periods import month_start, previous_month
from delivery.models import Delivery
from grids.models import Role
from grids.rules import Kind
from grids.tests.factories import grant, make_person, make_unit
from reports import services
from reports.models import Consultation, MonthlyReport

pytestmark = pytest.mark.django_db

API = "/api/v1/"


@pytest.fixture
def api():
    """``api(user)``: an API client logged in as ``user``."""

    def client_as(user):
        client = APIClient()
        client.force_login(user)
        return client

    return client_as


@pytest.fixture
def opened(world):
    """Last month's reports and this month's consultations, opened by the jobs."""
    today = month_start(timezone.localdate())
    services.monthly_job(today=today)
    services.consultations_open(today=today)
    return world


def monthly_of(unit) -> MonthlyReport:
    return MonthlyReport.objects.get(unit=unit, period=previous_month(timezone.localdate()), version=1)


def consultation_of(unit) -> Consultation:
    return Consultation.objects.get(unit=unit, period_start=month_start(timezone.localdate()))


def add_measure(world, consultation):
    return services.countermeasure_add(
        consultation=consultation,
        by=world.township_leader,
        risk="汛期山洪",
        level=3,
        trend="rising",
        measure="加密巡查",
        responsible_unit=world.village_a,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )


# --- monthly reports ---------------------------------------------------------------------------


def test_a_village_officer_lists_and_reads_their_own_report(opened, api):
    client = api(opened.village_officer_a)
    listing = client.get(f"{API}monthly-reports/")
    assert listing.status_code == 200
    units = {row["unit"]["code"] for row in listing.json()["results"]}
    assert units == {opened.village_a.code}
    report = monthly_of(opened.village_a)
    detail = client.get(f"{API}monthly-reports/{report.pk}/")
    assert detail.status_code == 200
    assert detail.json()["may_sign"] is True
    assert detail.json()["state"] == MonthlyReport.State.DRAFT


def test_the_township_lists_its_villages_reports_filtered(opened, api):
    client = api(opened.township_officer)
    month = previous_month(timezone.localdate()).strftime("%Y-%m")
    listing = client.get(f"{API}monthly-reports/", {"month": month, "unit": opened.village_a.pk})
    assert [row["unit"]["code"] for row in listing.json()["results"]] == [opened.village_a.code]
    assert client.get(f"{API}monthly-reports/", {"unit": opened.village_c.pk}).status_code == 404


def test_submit_annotate_and_reissue_call_the_services(opened, api):
    client = api(opened.village_officer_a)
    report = monthly_of(opened.village_a)
    base = f"{API}monthly-reports/{report.pk}/"
    noted = client.post(f"{base}annotate/", {"annotation": "本月平稳"}, format="json")
    assert noted.status_code == 200, noted.content
    assert noted.json()["annotation"] == "本月平稳"
    submitted = client.post(f"{base}submit/", {"signer_name": "陆信息"}, format="json")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == MonthlyReport.State.SUBMITTED
    assert Delivery.objects.filter(recipient_unit=opened.township, document__sender_unit=opened.village_a).exists()
    again = client.post(f"{base}submit/", {"signer_name": "陆信息"}, format="json")
    assert again.status_code == 409
    reissued = client.post(f"{base}reissue/", {"reason": "数字有误"}, format="json")
    assert reissued.status_code == 201, reissued.content
    assert reissued.json()["version"] == 2


def test_the_tier_above_reads_a_report_but_may_not_sign_it(opened, api):
    client = api(opened.township_officer)
    report = monthly_of(opened.village_a)
    assert client.get(f"{API}monthly-reports/{report.pk}/").json()["may_sign"] is False
    response = client.post(f"{API}monthly-reports/{report.pk}/submit/", {"signer_name": "黄网格"}, format="json")
    assert response.status_code == 403
    assert monthly_of(opened.village_a).state == MonthlyReport.State.DRAFT


def test_another_townships_report_is_not_found(opened, api):
    client = api(opened.village_officer_a)
    report = monthly_of(opened.village_c)
    assert client.get(f"{API}monthly-reports/{report.pk}/").status_code == 404
    assert client.post(f"{API}monthly-reports/{report.pk}/submit/", {}, format="json").status_code == 404


def test_bad_bodies_are_400(opened, api):
    client = api(opened.village_officer_a)
    report = monthly_of(opened.village_a)
    assert client.post(f"{API}monthly-reports/{report.pk}/submit/", {}, format="json").status_code == 400
    response = client.post(f"{API}monthly-reports/{report.pk}/submit/", {"signer_name": "x" * 500}, format="json")
    assert response.status_code == 400
    assert client.post(f"{API}monthly-reports/{report.pk}/reissue/", {"reason": ["a"]}, format="json").status_code in {
        400,
        409,
    }


@pytest.mark.parametrize(
    "path",
    [
        "monthly-reports/abc/",
        "monthly-reports/0/",
        "monthly-reports/-1/",
        "monthly-reports/99999999999999999999999999/",
        "consultations/abc/",
        "consultations/99999999999999999999999999/record/",
        "countermeasures/1e5/",
        "countermeasures/99999999999999999999999999/done/",
        "inbox/abc/",
        "inbox/99999999999999999999999999/receipt/",
    ],
)
def test_junk_ids_are_not_found(opened, api, path):
    client = api(opened.admin)
    assert client.get(f"{API}{path}").status_code in {404, 405}
    assert client.post(f"{API}{path}", {"x": 1}, format="json").status_code in {404, 405}


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("monthly-reports/", {"month": "junk"}),
        ("monthly-reports/", {"month": "99999-01"}),
        ("monthly-reports/", {"unit": "abc"}),
        ("monthly-reports/", {"unit": "99999999999999999999999999"}),
        ("monthly-reports/", {"state": "nonsense"}),
        ("inbox/", {"unread": "perhaps"}),
    ],
)
def test_junk_filters_are_refused_not_crashed(opened, api, path, query):
    response = api(opened.admin).get(f"{API}{path}", query)
    assert response.status_code in {400, 404}


def test_junk_filters_of_consultations_are_ignored(opened, api):
    client = api(opened.admin)
    assert client.get(f"{API}consultations/", {"state": "x" * 3000}).status_code == 200
    assert client.get(f"{API}countermeasures/", {"state": "\x00"}).status_code == 200


# --- consultations and countermeasures ---------------------------------------------------------


def test_a_township_records_and_completes_its_consultation(opened, api):
    client = api(opened.township_leader)
    consultation = consultation_of(opened.township)
    base = f"{API}consultations/{consultation.pk}/"
    listing = client.get(f"{API}consultations/")
    assert {row["unit"]["code"] for row in listing.json()["results"]} == {opened.township.code}
    detail = client.get(base)
    assert detail.status_code == 200
    assert detail.json()["may_record"] is True
    recorded = client.post(
        f"{base}record/",
        {"held_on": timezone.localdate().isoformat(), "participants": "镇应急办、各村", "summary": "平稳"},
        format="json",
    )
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["participants"] == "镇应急办、各村"
    line = {
        "risk": "汛期山洪",
        "level": 3,
        "trend": "rising",
        "measure": "加密巡查",
        "responsible_unit": opened.village_a.pk,
        "deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
    }
    added = client.post(f"{base}countermeasures/", line, format="json")
    assert added.status_code == 201, added.content
    assert added.json()["responsible_unit"]["code"] == opened.village_a.code
    elsewhere = client.post(f"{base}countermeasures/", line | {"responsible_unit": opened.village_c.pk}, format="json")
    assert elsewhere.status_code == 400
    assert "responsible_unit" in elsewhere.json()
    completed = client.post(f"{base}complete/", format="json")
    assert completed.status_code == 200, completed.content
    assert completed.json()["state"] == Consultation.State.COMPLETED
    assert client.post(f"{base}complete/", format="json").status_code == 409


def test_the_county_reads_a_township_consultation_but_may_not_record_it(opened, api):
    client = api(opened.county_dispatcher)
    consultation = consultation_of(opened.township)
    assert client.get(f"{API}consultations/{consultation.pk}/").status_code == 200
    response = client.post(
        f"{API}consultations/{consultation.pk}/record/",
        {"held_on": timezone.localdate().isoformat(), "participants": "县里"},
        format="json",
    )
    assert response.status_code == 403


def test_a_village_does_not_see_the_township_consultation(opened, api):
    consultation = consultation_of(opened.township)
    assert api(opened.village_officer_a).get(f"{API}consultations/{consultation.pk}/").status_code == 404
    other = consultation_of(opened.other_township)
    assert api(opened.township_leader).get(f"{API}consultations/{other.pk}/").status_code == 404


def test_the_responsible_village_finishes_its_countermeasure(opened, api):
    item = add_measure(opened, consultation_of(opened.township))
    client = api(opened.village_officer_a)
    listing = client.get(f"{API}countermeasures/")
    assert [row["id"] for row in listing.json()["results"]] == [item.pk]
    assert client.get(f"{API}countermeasures/{item.pk}/").status_code == 200
    assert client.post(f"{API}countermeasures/{item.pk}/done/", {}, format="json").status_code == 400
    done = client.post(f"{API}countermeasures/{item.pk}/done/", {"note": "已完成巡查"}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "done"
    assert api(opened.village_officer_b).get(f"{API}countermeasures/{item.pk}/").status_code == 404


# --- the inbox ---------------------------------------------------------------------------------


def test_the_township_reads_and_receipts_what_a_village_sent(opened, api):
    report = monthly_of(opened.village_a)
    services.monthly_report_submit(report=report, by=opened.village_officer_a, signer_name="陆信息")
    client = api(opened.township_leader)
    listing = client.get(f"{API}inbox/", {"unread": "true"})
    assert listing.status_code == 200
    (entry,) = listing.json()["results"]
    assert entry["state"] == Delivery.State.DELIVERED
    assert entry["document"]["sender_unit"]["code"] == opened.village_a.code
    base = f"{API}inbox/{entry['id']}/"
    assert client.get(base).json()["state"] == Delivery.State.DELIVERED  # reading the JSON marks nothing
    assert client.post(f"{base}read/").json()["state"] == Delivery.State.READ
    receipted = client.post(f"{base}receipt/")
    assert receipted.status_code == 200
    assert receipted.json()["state"] == Delivery.State.RECEIPTED
    assert receipted.json()["receipted_by"] == opened.township_leader.real_name
    assert client.get(f"{API}inbox/", {"unread": "true"}).json()["results"] == []
    # Above the township it is not in one's inbox.
    assert api(opened.county_dispatcher).get(base).status_code == 404
    assert api(opened.county_dispatcher).post(f"{base}receipt/").status_code == 404


def test_an_administrator_opening_an_entry_leaves_it_unread(opened, api):
    report = monthly_of(opened.village_a)
    services.monthly_report_submit(report=report, by=opened.village_officer_a, signer_name="陆信息")
    delivery = Delivery.objects.get(recipient_unit=opened.township)
    read = api(opened.admin).post(f"{API}inbox/{delivery.pk}/read/")
    assert read.status_code == 200
    assert read.json()["state"] == Delivery.State.DELIVERED


# --- query counts ------------------------------------------------------------------------------


def _more_villages(world, count: int) -> None:
    for i in range(count):
        village = make_unit(world.township, Kind.VILLAGE, f"4510271003{i:02d}", f"新村{i}")
        officer = make_person(f"officer_{i}", real_name=f"官{i}")
        grant(officer, village, Role.INFORMATION_OFFICER)


@pytest.mark.parametrize("path", ["monthly-reports/", "consultations/", "countermeasures/", "inbox/"])
def test_lists_take_a_constant_number_of_queries(world, api, django_assert_max_num_queries, path):
    _more_villages(world, 8)
    today = month_start(timezone.localdate())
    services.monthly_job(today=today)
    services.consultations_open(today=today)
    for report in MonthlyReport.objects.filter(unit__parent=world.township):
        services.monthly_report_submit(report=report, by=world.admin, signer_name="管理员")
    consultation = consultation_of(world.township)
    for _i in range(5):
        add_measure(world, consultation)
    client = api(world.admin if path != "inbox/" else world.township_leader)
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}{path}")
    assert response.status_code == 200
    assert response.json()["count"] >= 3  # the townships and the park consult; 10+ rows otherwise


# --- the schema --------------------------------------------------------------------------------


def test_the_schema_has_the_reports_api(world, api):
    schema = api(world.village_officer_a).get("/api/schema/").content.decode()
    for path in (
        "/api/v1/monthly-reports/",
        "/api/v1/monthly-reports/{id}/submit/",
        "/api/v1/monthly-reports/{id}/annotate/",
        "/api/v1/monthly-reports/{id}/reissue/",
        "/api/v1/consultations/",
        "/api/v1/consultations/{id}/record/",
        "/api/v1/consultations/{id}/countermeasures/",
        "/api/v1/consultations/{id}/complete/",
        "/api/v1/countermeasures/{id}/done/",
        "/api/v1/inbox/",
        "/api/v1/inbox/{id}/read/",
        "/api/v1/inbox/{id}/receipt/",
    ):
        assert f"{path}:" in schema, path
