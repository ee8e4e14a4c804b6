"""The double-blind rule (``drills.access.visible_drills``) and the scope of the drill pages and API."""

from __future__ import annotations

import pytest

from drills import access, services
from drills.tests.factories import blind, drill, evaluated, held

pytestmark = pytest.mark.django_db


def test_a_double_blind_drill_is_seen_by_its_organiser_only_until_it_starts(world):
    d = blind(world)
    seen = {name: access.visible_drills(getattr(world, name)).filter(pk=d.pk).exists() for name in (
        "county_dispatcher", "department_officer", "admin", "township_officer", "township_leader",
        "village_officer_a", "outsider",
    )}  # fmt: skip
    assert seen == {
        "county_dispatcher": True, "department_officer": True, "admin": True, "township_officer": False,
        "township_leader": False, "village_officer_a": False, "outsider": False,
    }  # fmt: skip
    services.drill_start(drill=d, by=world.county_dispatcher)
    assert access.visible_drills(world.township_officer).filter(pk=d.pk).exists()
    assert access.visible_drills(world.township_leader).filter(pk=d.pk).exists()


def test_a_township_organised_blind_drill_of_a_village_is_seen_by_the_township(world):
    d = drill(world, organiser=world.township, unit=world.village_a, double_blind=True)
    assert access.visible_drills(world.township_officer).filter(pk=d.pk).exists()
    assert not access.visible_drills(world.village_officer_a).filter(pk=d.pk).exists()


def test_the_drilled_unit_gets_404_before_the_start_and_200_after(world, client):
    d = blind(world)
    client.force_login(world.township_officer)
    for url in (f"/drills/{d.pk}/", f"/api/v1/drills/{d.pk}/", f"/drills/{d.pk}/print/plan/"):
        assert client.get(url).status_code == 404, url
    assert d.title not in client.get("/api/v1/drills/").content.decode()
    services.drill_start(drill=d, by=world.county_dispatcher)
    for url in (f"/drills/{d.pk}/", f"/api/v1/drills/{d.pk}/", f"/drills/{d.pk}/print/plan/"):
        assert client.get(url).status_code == 200, url


def test_pages_answer_in_chinese(world, client):
    d = drill(world, organiser=world.township, unit=world.village_a)
    client.force_login(world.village_officer_a)
    for url in ("/drills/", "/drills/calendar/", "/drills/compliance/", "/drills/findings/", "/drills/plans/",
                "/drills/training/", "/drills/training/untrained/", f"/drills/{d.pk}/", f"/drills/{d.pk}/print/sign-in/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        assert "演练" in response.content.decode() or "培训" in response.content.decode(), url


def test_user_text_never_becomes_html(world, client):
    d = drill(world, title="<script>alert(1)</script>演练", scenario="<b>x</b>")
    client.force_login(world.township_officer)
    body = client.get(f"/drills/{d.pk}/").content.decode()
    assert "<script>alert(1)" not in body and "&lt;script&gt;" in body


def test_the_village_officer_signs_in_through_the_page(world, client):
    d = drill(world, organiser=world.township, unit=world.village_a)
    client.force_login(world.village_officer_a)
    response = client.post(f"/drills/{d.pk}/sign_in/")
    assert response.status_code == 302
    assert d.attendances.filter(person=world.village_officer_a).exists()


def test_api_evaluation_and_refusals(world, client):
    d = drill(world)
    held(world, d)
    client.force_login(world.village_officer_a)
    assert client.post(f"/api/v1/drills/{d.pk}/evaluate/", {}, content_type="application/json").status_code == 404
    client.force_login(world.department_officer)
    assert client.post(f"/api/v1/drills/{d.pk}/evaluate/", {}, content_type="application/json").status_code == 403
    client.force_login(world.township_officer)
    from drills.tests.factories import scores

    body = {"scores": {str(k): v for k, v in scores("live", 70).items()}, "report": "好"}
    response = client.post(f"/api/v1/drills/{d.pk}/evaluate/", body, content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "evaluated"
    again = client.post(f"/api/v1/drills/{d.pk}/evaluate/", body, content_type="application/json")
    assert again.status_code == 409


def test_an_evaluated_drill_prints_its_report(world, client):
    d = drill(world)
    held(world, d)
    evaluated(world, d, value=95)
    client.force_login(world.township_leader)
    body = client.get(f"/drills/{d.pk}/print/evaluation/").content.decode()
    assert "优" in body
