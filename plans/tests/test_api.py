"""The plan API: the register, versions with their transitions, filings with receipt and return."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from plans.models import Filing, Plan, PlanDocument
from plans.tests.factories import PDF, draft, in_force, issued, kind, leader_of

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_the_list_keeps_to_the_scope(world):
    draft(world, title="泗城镇预案")
    draft(world, by=leader_of(world.other_township), unit=world.other_township, title="逻楼镇预案")
    titles = [row["title"] for row in api(world.township_officer).get("/api/v1/plans/").json()["results"]]
    assert titles == ["泗城镇预案"]
    other = Plan.objects.get(title="逻楼镇预案")
    assert api(world.township_officer).get(f"/api/v1/plans/{other.pk}/").status_code == 404


def test_create_then_walk_the_version_through_the_api(world):
    officer = api(world.township_officer)
    response = officer.post(
        "/api/v1/plans/",
        {"title": "泗城镇总体预案", "kind": kind("township").pk, "unit": world.township.pk, "leader_name": "罗镇长"},
        format="json",
    )
    assert response.status_code == 201, response.content
    plan = Plan.objects.get(pk=response.json()["id"])
    version = plan.versions.get()
    base = f"/api/v1/plan-versions/{version.pk}"
    assert officer.post(f"{base}/submit-review/").status_code == 400  # no text yet
    bad = officer.post(f"{base}/documents/", {"kind": "official", "file": SimpleUploadedFile("a.pdf", b"MZ..")})
    assert bad.status_code == 400 and "只能上传 PDF" in bad.content.decode()
    ok = officer.post(f"{base}/documents/", {"kind": "official", "file": SimpleUploadedFile("a.pdf", PDF)})
    assert ok.status_code == 200 and PlanDocument.objects.count() == 1
    assert officer.post(f"{base}/submit-review/").json()["state"] == "review"
    review = {"held_on": "2026-11-16", "experts": "张", "opinions": "改", "handling": "已改"}
    assert officer.post(f"{base}/review/", review, format="json").status_code == 200
    assert officer.post(f"{base}/issue/", {}, format="json").status_code == 403
    leader = api(world.township_leader)
    assert leader.post(f"{base}/issue/", {"issue_number": "1号"}, format="json").json()["state"] == "issued"
    assert leader.post(f"{base}/issue/", {}, format="json").status_code == 409
    data = officer.post(f"{base}/file/").json()
    assert data["state"] == "filed" and data["filings"][0]["receiver"] == "凌云县"


def test_the_receiver_returns_and_receipts_through_the_api(world):
    from plans import services

    version = issued(world, draft(world))
    filing = services.version_file(version=version, by=world.township_officer)
    county = api(world.county_dispatcher)
    waiting = county.get("/api/v1/plan-filings/", {"awaiting": 1}).json()["results"]
    assert [row["id"] for row in waiting] == [filing.pk]
    assert api(world.township_leader).post(f"/api/v1/plan-filings/{filing.pk}/receipt/").status_code == 403
    assert county.post(f"/api/v1/plan-filings/{filing.pk}/return/", {}, format="json").status_code == 400
    returned = county.post(f"/api/v1/plan-filings/{filing.pk}/return/", {"reason": "不全"}, format="json")
    assert returned.json()["state"] == "returned"
    assert county.post(f"/api/v1/plan-filings/{filing.pk}/receipt/").status_code == 409
    again = services.version_file(version=version, by=world.township_officer)
    data = county.post(f"/api/v1/plan-filings/{again.pk}/receipt/").json()
    assert data["state"] == "receipted" and data["number"].startswith("451027备")
    assert api(world.outsider).get(f"/api/v1/plan-filings/{again.pk}/").status_code == 404


def test_open_revision_and_withdraw(world):
    plan = draft(world)
    in_force(world, plan)
    response = api(world.township_officer).post(
        f"/api/v1/plans/{plan.pk}/open-revision/", {"summary": "调整"}, format="json"
    )
    assert response.status_code == 201 and response.json()["number"] == 2
    again = api(world.township_officer).post(f"/api/v1/plans/{plan.pk}/open-revision/", {}, format="json")
    assert again.status_code == 409
    new = response.json()["id"]
    assert (
        api(world.township_officer)
        .post(f"/api/v1/plan-versions/{new}/withdraw/", {"reason": "x"}, format="json")
        .status_code
        == 403
    )
    done = api(world.township_leader).post(
        f"/api/v1/plan-versions/{new}/withdraw/", {"reason": "不修订"}, format="json"
    )
    assert done.json()["state"] == "withdrawn"


def test_the_list_costs_the_same_queries_for_more_plans(world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(world.township_officer)
    for i in range(2):
        draft(world, title=f"预案{i}")
    with CaptureQueriesContext(connection) as two:
        client.get("/api/v1/plans/")
    for i in range(4):
        draft(world, title=f"又一预案{i}")
    with django_assert_num_queries(len(two)):
        assert len(client.get("/api/v1/plans/").json()["results"]) == 6


def test_the_schema_documents_the_plan_actions(tmp_path, db):
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in (
        "/api/v1/plans/", "/api/v1/plans/{id}/open-revision/", "/api/v1/plan-versions/{id}/issue/",
        "/api/v1/plan-versions/{id}/documents/", "/api/v1/plan-filings/{id}/receipt/",
        "/api/v1/plan-filings/{id}/return/",
    ):  # fmt: skip
        assert path in schema
    assert Filing.objects.count() == 0
