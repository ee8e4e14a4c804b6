"""No server error from any input: bad numbers, dates, offsets, format suffixes and oversized
bodies get a 4xx with a Chinese message (JSON on the API, the site's error page elsewhere)."""

import datetime

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dispatch.models import EvacuationReport, IncidentType
from dispatch.tests.test_warnings import issued
from grids.models import GridUnit
from grids.rules import Kind
from hazards.tests.factories import report

HUGE = 2**40  # 1,099,511,627,776: beyond any PositiveIntegerField


@pytest.fixture
def api():
    def client_as(user):
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return client_as


def has_chinese(text) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(text))


# --- units ---------------------------------------------------------------------------------------


def test_unit_created_without_parent_is_refused_in_chinese(world, api):
    body = {"kind": Kind.VILLAGE, "code": "451027100299", "name": "无上级村"}
    response = api(world.township_leader).post("/api/v1/units/", body, format="json")
    assert response.status_code in (400, 403), response.content
    assert has_chinese(response.json())
    assert not GridUnit.objects.filter(code="451027100299").exists()


def test_superuser_creating_a_village_without_parent_gets_400(world, api):
    body = {"kind": Kind.VILLAGE, "code": "451027100299", "name": "无上级村"}
    response = api(world.admin).post("/api/v1/units/", body, format="json")
    assert response.status_code == 400, response.content
    assert has_chinese(response.json())


def test_unit_population_beyond_the_field_is_a_400(world, api):
    body = {
        "parent": world.township.pk,
        "kind": Kind.VILLAGE,
        "code": "451027100298",
        "name": "大村",
        "population": HUGE,
    }
    response = api(world.township_leader).post("/api/v1/units/", body, format="json")
    assert response.status_code == 400, response.content
    assert "population" in response.json() and has_chinese(response.json()["population"])


def test_unit_filter_with_a_huge_id_is_a_400_or_empty(world, api):
    response = api(world.county_dispatcher).get("/api/v1/units/", {"parent": str(2**70)})
    assert response.status_code in (200, 400)


# --- dates and offsets in filters --------------------------------------------------------------


@pytest.mark.parametrize(
    "after", ["9999-12-31T23:59:59-10:00", "0001-01-01T00:00:00+05:00", "1800-01-01T00:00:00Z", "2101-01-01T00:00:00Z"]
)
def test_offset_beyond_postgresql_range_in_after_is_a_400(world, api, after):
    response = api(world.county_dispatcher).get("/api/v1/duty-shifts/", {"after": after})
    assert response.status_code == 400, response.content
    assert has_chinese(response.json())


@pytest.mark.parametrize(
    "after", ["2026-01-01T00:00:00+23:59", "2026-01-01T00:00:00-23:59", "2026-01-01T00:00:00+14:00"]
)
def test_an_offset_beyond_postgresql_range_is_converted_not_a_500(world, api, after):
    response = api(world.county_dispatcher).get("/api/v1/duty-shifts/", {"after": after})
    assert response.status_code == 200, response.content


def test_hazard_found_date_far_away_is_a_400(world, api):
    response = api(world.county_dispatcher).get("/api/v1/hazards/", {"found_from": "9999-12-31"})
    assert response.status_code in (200, 400), response.content


# --- incident figures ----------------------------------------------------------------------------


def incident_body(world, **overrides):
    body = {
        "unit": world.village_a.pk,
        "type": IncidentType.objects.get(code="traffic").pk,
        "title": "车祸",
        "place": "国道",
        "occurred_at": timezone.now().isoformat(),
        "description": "两车相撞",
    }
    body.update(overrides)
    return body


def test_incident_with_2_to_the_40_deaths_is_a_400(world, api):
    response = api(world.village_officer_a).post("/api/v1/incidents/", incident_body(world, deaths=HUGE), format="json")
    assert response.status_code == 400, response.content
    assert "deaths" in response.json() and has_chinese(response.json()["deaths"])


def test_incident_in_the_year_9999_with_an_offset_is_a_400(world, api):
    body = incident_body(world, occurred_at="9999-12-31T23:59:59-12:00")
    response = api(world.village_officer_a).post("/api/v1/incidents/", body, format="json")
    assert response.status_code == 400, response.content
    assert "occurred_at" in response.json() and has_chinese(response.json()["occurred_at"])


def test_incident_service_refuses_figures_beyond_the_field(world):
    from django.core.exceptions import ValidationError

    from dispatch.services import incidents

    with pytest.raises(ValidationError) as refused:
        incidents.incident_first_report(
            by=world.village_officer_a,
            unit=world.village_a,
            type=IncidentType.objects.get(code="traffic"),
            title="车祸",
            occurred_at=timezone.now() - datetime.timedelta(minutes=5),
            place="国道",
            description="两车相撞",
            reporter_phone="13800000000",
            deaths=HUGE,
        )
    assert "deaths" in refused.value.message_dict


def test_evacuation_form_with_2_to_the_40_people_is_a_form_error(world, client_for):
    warning = issued(world, report_evacuation=True)
    response = client_for(world.village_officer_a).post(
        reverse("dispatch:warning_evacuation", args=[warning.pk]),
        {"unit": world.village_a.pk, "evacuated": HUGE, "sheltered": 0},
    )
    assert response.status_code == 400
    assert "2147483647" in response.content.decode()
    assert not EvacuationReport.objects.exists()


# --- format suffixes on extra actions ------------------------------------------------------------


def test_format_suffixes_on_extra_actions_never_500(world, api):
    hazard = report(world)
    warning = issued(world)
    client = api(world.county_dispatcher)
    for url in (
        f"/api/v1/hazards/{hazard.pk}/timeline.json",
        f"/api/v1/hazards/{hazard.pk}/photos.json",
        f"/api/v1/warnings/{warning.pk}/board.json",
        f"/api/v1/warnings/{warning.pk}/cap.json",
        f"/api/v1/warnings/{warning.pk}/cap.xml",
        f"/api/v1/hazards/{hazard.pk}.json",
        "/api/v1/units.json",
    ):
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)


# --- oversized bodies ----------------------------------------------------------------------------


@override_settings(WARNING_CAP_MAX_BYTES=1024)
def test_oversized_cap_body_on_the_api_is_a_chinese_413_in_json(world, api):
    body = b"<alert>" + b"x" * 4096 + b"</alert>"
    response = api(world.county_dispatcher).post("/api/v1/warnings/import/", body, content_type="application/xml")
    assert response.status_code == 413, response.content
    assert response["Content-Type"].startswith("application/json")
    assert "过大" in response.json()["detail"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_oversized_form_body_on_the_api_is_a_chinese_413_in_json(world, api):
    response = api(world.township_leader).post(
        "/api/v1/units/", "name=" + "x" * 4096, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413, response.content
    assert "过大" in response.json()["detail"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_oversized_cap_pasted_in_the_import_page_is_a_chinese_413_page(world, client_for):
    client = client_for(world.county_dispatcher)
    response = client.post(reverse("dispatch:warning_import"), {"xml": "<alert>" + "x" * 4096 + "</alert>"})
    assert response.status_code == 413
    assert "上传内容过大" in response.content.decode()


# --- error pages and API errors in Chinese -------------------------------------------------------


def test_not_found_page_is_chinese(world, client_for):
    response = client_for(world.village_officer_a).get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode() or has_chinese(response.content.decode())


def test_bad_request_page_is_chinese(db):
    response = Client().get("/", HTTP_HOST="bad host name")
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


def test_server_error_page_is_chinese_and_standalone(db):
    from emergency import errors

    response = errors.server_error(Client().get("/").wsgi_request)
    assert response.status_code == 500
    assert "服务器出错" in response.content.decode()


def test_api_errors_are_in_chinese_by_default(db):
    response = APIClient().get("/api/v1/units/")
    assert response.status_code in (401, 403)
    assert has_chinese(response.json()["detail"])


def test_api_value_error_from_a_service_is_a_chinese_400(world, api, monkeypatch):
    from grids import services

    def broken(**kwargs):
        raise ValueError("internal detail")

    monkeypatch.setattr(services, "unit_create", broken)
    body = {"parent": world.township.pk, "kind": Kind.VILLAGE, "code": "451027100297", "name": "新村"}
    response = api(world.township_leader).post("/api/v1/units/", body, format="json")
    assert response.status_code == 400
    assert has_chinese(response.json()["detail"]) and "internal" not in response.json()["detail"]


def test_evacuation_service_refuses_figures_beyond_the_field(world):
    from django.core.exceptions import ValidationError

    from dispatch.services import warning_receipts

    warning = issued(world, report_evacuation=True)
    with pytest.raises(ValidationError) as refused:
        warning_receipts.report_evacuation(
            warning=warning, unit=world.village_a, by=world.village_officer_a, evacuated=HUGE, sheltered=0
        )
    assert "evacuated" in refused.value.message_dict
    assert not EvacuationReport.objects.exists()


def test_hazard_found_in_the_year_9999_with_an_offset_is_a_400(world, api):
    from hazards.tests.factories import category

    body = {
        "unit": world.village_a.pk,
        "category": category().pk,
        "title": "山体裂缝",
        "description": "裂缝宽约5厘米",
        "found_at": "9999-12-31T23:59:59-12:00",
    }
    response = api(world.village_officer_a).post("/api/v1/hazards/", body, format="json")
    assert response.status_code == 400, response.content
    assert "found_at" in response.json() and has_chinese(response.json()["found_at"])


def test_an_object_gone_before_its_lock_is_a_404_not_a_500():
    """A hazard seen by the access check and gone (or moved out of reach) when its row is locked."""
    from emergency.errors import api_exception_handler
    from hazards.models import Hazard

    response = api_exception_handler(Hazard.DoesNotExist("Hazard matching query does not exist."), {})
    assert response.status_code == 404
