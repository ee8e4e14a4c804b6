"""首报 in under a minute: with GPS, 地点 and 事件经过 may stay empty (the rest follows in 续报); a point
outside the unit's boundary is asked about first."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from dispatch.models import Incident, IncidentType

pytestmark = pytest.mark.django_db

IN_VILLAGE_A = (106.45, 24.25)
FAR_AWAY = (107.5, 25.5)


def gps_only(world, point=IN_VILLAGE_A, **overrides):
    """What the phone sends when the officer taps a kind, types one line and taps 'use my location'
    (time and phone are filled in by the page)."""
    return {
        "client_key": str(uuid.uuid4()),
        "unit": world.village_a.pk,
        "type": IncidentType.objects.get(code="fire").pk,
        "title": "仓库起火",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "lng": point[0],
        "lat": point[1],
        "reporter_phone": "13800000000",
        "level": "4",
        **overrides,
    }


def test_a_first_report_with_gps_needs_no_place_and_no_account(world, client_for):
    response = client_for(world.village_officer_a).post(reverse("dispatch:incident_report"), gps_only(world))
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert incident.place.startswith("陇雅村")
    assert "24.25000" in incident.place and "106.45000" in incident.place
    assert incident.description == "仓库起火"  # the one line stands until a 续报
    assert (incident.lng, incident.lat) == IN_VILLAGE_A
    assert incident.reports.get().text == "仓库起火"


def test_a_typed_place_and_account_are_kept(world, client_for):
    data = gps_only(world, place="三组晒场", description="仓库起火，火势已控制")
    client_for(world.village_officer_a).post(reverse("dispatch:incident_report"), data)
    incident = Incident.objects.get()
    assert (incident.place, incident.description) == ("三组晒场", "仓库起火，火势已控制")


def test_without_gps_the_place_is_still_needed(world, client_for):
    data = gps_only(world, lng="", lat="")
    response = client_for(world.village_officer_a).post(reverse("dispatch:incident_report"), data)
    assert response.status_code == 200 and not Incident.objects.exists()
    assert "form-errors" in response.content.decode()
    assert response.context["form"].errors["place"]


def test_the_service_fills_the_place_for_the_api_too(world, client_for):
    from dispatch.services.incidents import incident_first_report

    incident, created = incident_first_report(
        by=world.village_officer_a,
        unit=world.village_a,
        type=IncidentType.objects.get(code="fire"),
        title="仓库起火",
        occurred_at=timezone.now(),
        place="",
        description="",
        reporter_phone="13800000000",
        level=4,
        lng=106.45,
        lat=24.25,
    )
    assert created and incident.place.startswith("陇雅村") and incident.description == "仓库起火"


def test_a_point_outside_the_village_asks_before_filing(world, client_for):
    client = client_for(world.village_officer_a)
    response = client.post(reverse("dispatch:incident_report"), gps_only(world, FAR_AWAY))
    assert response.status_code == 200 and not Incident.objects.exists()
    assert "该位置不在您的网格（陇雅村）范围内，确认仍按本网格上报？" in response.content.decode()
    response = client.post(reverse("dispatch:incident_report"), gps_only(world, FAR_AWAY, confirm_outside="on"))
    assert response.status_code == 302 and Incident.objects.get().unit == world.village_a


def test_the_api_asks_about_a_point_outside_the_village_too(world):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(world.village_officer_a)
    data = {**gps_only(world, FAR_AWAY), "occurred_at": timezone.now().isoformat(), "level": 4}
    response = client.post("/api/v1/incidents/", data, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400 and not Incident.objects.exists()
    assert "不在您的网格" in response.json()["confirm_outside"][0]
    response = client.post("/api/v1/incidents/", {**data, "confirm_outside": True}, format="json")
    assert response.status_code == 201 and Incident.objects.get().unit == world.village_a
