"""A GPS point outside the grid a hazard is reported in: the form asks, it does not file silently."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from grids.models import GridUnit
from hazards.models import Hazard
from hazards.tests.factories import category, photo

pytestmark = pytest.mark.django_db

IN_VILLAGE_A = (106.45, 24.25)
IN_VILLAGE_B = (106.55, 24.25)
FAR_AWAY = (107.5, 25.5)  # in no unit of the county


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def report_data(world, point, **overrides):
    return {
        "client_key": str(uuid.uuid4()),
        "unit": world.village_a.pk,
        "category": category("geological").pk,
        "title": "后山裂缝",
        "lng": point[0],
        "lat": point[1],
        "source": "patrol",
        "photos": [photo()],
        **overrides,
    }


def test_a_point_inside_the_village_is_filed_without_a_question(world, client_for):
    response = client_for(world.village_officer_a).post(reverse("hazards:report"), report_data(world, IN_VILLAGE_A))
    assert response.status_code == 302 and Hazard.objects.count() == 1


def test_a_point_outside_the_village_asks_in_chinese_and_files_nothing(world, client_for):
    response = client_for(world.village_officer_a).post(reverse("hazards:report"), report_data(world, FAR_AWAY))
    html = response.content.decode()
    assert response.status_code == 200 and not Hazard.objects.exists()
    assert "该位置不在您的网格（陇雅村）范围内，确认仍按本网格上报？" in html
    assert 'id="outside-question"' in html and 'name="confirm_outside"' in html
    assert 'id="outside-question" role="alert" hidden' not in html


def test_the_confirmed_answer_files_it_under_the_officers_village(world, client_for):
    data = report_data(world, FAR_AWAY, confirm_outside="on")
    response = client_for(world.village_officer_a).post(reverse("hazards:report"), data)
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and hazard.unit == world.village_a
    assert (hazard.lng, hazard.lat) == FAR_AWAY


def test_a_township_officer_is_told_which_of_their_villages_holds_the_point(world, client_for):
    data = report_data(world, IN_VILLAGE_B, unit=world.village_a.pk)
    response = client_for(world.township_officer).post(reverse("hazards:report"), data)
    html = response.content.decode()
    assert not Hazard.objects.exists()
    assert "不在您的网格（陇雅村）范围内" in html and "平兰村" in html.split("不在您的网格")[1][:200]


def test_a_unit_without_a_boundary_asks_nothing(world, client_for):
    GridUnit.objects.filter(pk=world.village_a.pk).update(boundary=None)
    response = client_for(world.village_officer_a).post(reverse("hazards:report"), report_data(world, FAR_AWAY))
    assert response.status_code == 302 and Hazard.objects.count() == 1


def test_a_report_without_a_point_asks_nothing(world, client_for):
    data = report_data(world, ("", ""), address="村小学后山")
    response = client_for(world.village_officer_a).post(reverse("hazards:report"), data)
    assert response.status_code == 302 and Hazard.objects.count() == 1


def test_the_location_lookup_gives_the_question_to_ask_before_sending(world, client_for):
    client = client_for(world.village_officer_a)
    url = reverse("hazards:propose_unit")
    inside = client.get(url, {"lng": IN_VILLAGE_A[0], "lat": IN_VILLAGE_A[1]}).json()
    assert inside["id"] == world.village_a.pk and inside["question"] == ""
    with translation.override("zh-hans"):
        outside = client.get(url, {"lng": FAR_AWAY[0], "lat": FAR_AWAY[1]}).json()
    assert outside["id"] == world.village_a.pk
    assert outside["question"] == "该位置不在您的网格（陇雅村）范围内，确认仍按本网格上报？"


def test_the_api_asks_the_same_question_and_files_once_confirmed(world):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(world.village_officer_a)
    data = report_data(world, IN_VILLAGE_B)
    response = client.post("/api/v1/hazards/", data, format="multipart", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400 and Hazard.objects.count() == 0
    assert "不在您的网格" in response.json()["confirm_outside"][0]
    data = report_data(world, IN_VILLAGE_B, confirm_outside="true")
    response = client.post("/api/v1/hazards/", data, format="multipart", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 201 and Hazard.objects.get().unit == world.village_a
    inside = report_data(world, IN_VILLAGE_A)
    assert client.post("/api/v1/hazards/", inside, format="multipart").status_code == 201
