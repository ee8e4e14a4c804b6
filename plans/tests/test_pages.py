"""The plan pages: the register, a plan with its actions, the receiver's filings, the receipt, the export."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans.models import Filing, Plan, VersionState
from plans.tests.factories import PDF, draft, in_force, issued, kind, leader_of

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_register_shows_plans_in_scope_only(world, client_for):
    draft(world, title="泗城镇总体预案")
    draft(world, by=leader_of(world.other_township), unit=world.other_township, title="逻楼镇总体预案")
    body = client_for(world.township_officer).get(reverse("plans:list")).content.decode()
    assert "泗城镇总体预案" in body and "逻楼镇总体预案" not in body
    body = client_for(world.county_dispatcher).get(reverse("plans:list")).content.decode()
    assert "泗城镇总体预案" in body and "逻楼镇总体预案" in body
    assert "预案台账" in body


def test_the_register_filters_by_kind_and_state(world, client_for):
    draft(world, title="甲预案")
    in_force(world, draft(world, title="乙预案"))
    client = client_for(world.township_officer)
    body = client.get(reverse("plans:list"), {"state": "in_force"}).content.decode()
    assert "乙预案" in body and "甲预案" not in body
    body = client.get(reverse("plans:list"), {"kind": kind("village").pk}).content.decode()
    assert "甲预案" not in body


def _plans(world, count):
    for i in range(count):
        plan = draft(world, title=f"预案{i}")
        if i % 2:
            in_force(world, plan)


def test_the_register_uses_as_many_queries_for_six_plans_as_for_two(world, client_for, django_assert_num_queries):
    client = client_for(world.township_officer)
    _plans(world, 2)
    client.get(reverse("plans:list"))  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        assert client.get(reverse("plans:list")).status_code == 200
    _plans(world, 4)
    with django_assert_num_queries(len(two)):
        response = client.get(reverse("plans:list"))
    assert response.content.decode().count('href="/plans/') >= 6


def test_the_export_lists_the_register_in_constant_queries(world, client_for, django_assert_num_queries):
    from openpyxl import load_workbook

    client = client_for(world.township_officer)
    _plans(world, 2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        client.get(reverse("plans:export"))
    _plans(world, 4)
    with django_assert_num_queries(len(two)):
        response = client.get(reverse("plans:export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "预案"
    assert len(rows) == 7
    assert any(row[7] and "备〔" in row[7] for row in rows[1:])


def test_a_plan_walks_through_its_states_on_the_page(world, client_for):
    officer = client_for(world.township_officer)
    response = officer.post(
        reverse("plans:create"),
        {"title": "泗城镇突发事件总体应急预案", "kind": kind("township").pk, "unit": world.township.pk,
         "leader_name": "罗镇长", "contacts": "黄网格 13800000000"},
    )  # fmt: skip
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.url == reverse("plans:detail", args=[plan.pk])
    version = plan.versions.get()
    act = lambda client, action, data=None: client.post(reverse("plans:act", args=[version.pk, action]), data or {})  # noqa: E731
    act(officer, "document", {"kind": "official", "file": SimpleUploadedFile("正文.pdf", PDF)})
    act(officer, "submit_review")
    act(officer, "review", {"held_on": "2026-11-16", "experts": "张", "opinions": "改", "handling": "已改"})
    assert act(officer, "issue", {"issued_on": "2026-11-17"}).status_code == 403
    leader = client_for(world.township_leader)
    act(leader, "issue", {"issued_on": "2026-11-17", "issue_number": "泗政发〔2026〕1号"})
    act(leader, "file")
    version.refresh_from_db()
    assert version.state == VersionState.FILED
    body = leader.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "已报备案，待受理" in body and "泗政发〔2026〕1号" in body and "凌云县" in body


def test_actions_not_allowed_are_not_offered(world, client_for):
    plan = draft(world)
    body = client_for(world.county_dispatcher).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "送评审论证" not in body and "编辑预案" not in body
    body = client_for(world.township_officer).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "送评审论证" in body


def test_the_department_reads_but_does_not_act(world, client_for):
    plan = draft(world)
    client = client_for(world.department_officer)
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200
    version = plan.versions.get()
    assert client.post(reverse("plans:act", args=[version.pk, "submit_review"])).status_code == 403


def test_the_receiver_lists_filings_and_returns_then_receipts(world, client_for):
    version = issued(world, draft(world, title="待备案预案"))
    from plans import services

    filing = services.version_file(version=version, by=world.township_officer)
    county = login(world.county_dispatcher)
    assert "待备案预案" in county.get(reverse("plans:filings")).content.decode()
    assert "待备案预案" not in login(world.township_leader).get(reverse("plans:filings")).content.decode()
    page = county.get(reverse("plans:filing_detail", args=[filing.pk])).content.decode()
    assert "出具备案回执" in page
    response = county.post(reverse("plans:filing_decide", args=[filing.pk, "return"]), {"reason": "缺编制说明"})
    assert response.status_code == 302
    assert Filing.objects.get(pk=filing.pk).state == "returned"
    assert "待备案预案" not in county.get(reverse("plans:filings")).content.decode()
    again = services.version_file(version=version, by=world.township_officer)
    assert (
        login(world.township_leader).post(reverse("plans:filing_decide", args=[again.pk, "receipt"])).status_code == 403
    )
    county.post(reverse("plans:filing_decide", args=[again.pk, "receipt"]))
    again.refresh_from_db()
    assert again.number
    receipt = county.get(reverse("plans:filing_print", args=[again.pk])).content.decode()
    assert "应急预案备案回执" in receipt and again.number in receipt
    owner = login(world.township_officer).get(reverse("plans:filing_print", args=[again.pk]))
    assert owner.status_code == 200


def test_a_filing_not_receipted_has_no_receipt_page(world, client_for):
    from plans import services

    filing = services.version_file(version=issued(world, draft(world)), by=world.township_officer)
    assert client_for(world.county_dispatcher).get(reverse("plans:filing_print", args=[filing.pk])).status_code == 403


def test_a_late_version_is_flagged_on_the_register(world, client_for):
    import datetime

    from emergency import testclock

    plan = draft(world, title="迟报预案")
    issued(world, plan)
    later = timezone.now() + datetime.timedelta(days=60)
    with testclock.travel(later):
        body = client_for(world.township_officer).get(reverse("plans:list")).content.decode()
    assert "rg-overdue" in body


def test_the_owner_edits_the_register_fields_and_others_may_not(world):
    from hazards.models import HazardCategory

    plan = draft(world)
    category = HazardCategory.objects.filter(is_active=True).first()
    officer = login(world.township_officer)
    response = officer.post(
        reverse("plans:edit", args=[plan.pk]),
        {"title": "新标题", "kind": kind("township").pk, "leader_name": "罗镇长", "hazard_categories": [category.pk]},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "新标题" and list(plan.hazard_categories.all()) == [category]
    assert login(world.county_dispatcher).get(reverse("plans:edit", args=[plan.pk])).status_code == 403
    assert login(world.village_officer_a).get(reverse("plans:edit", args=[plan.pk])).status_code == 404
    assert login(world.outsider).get(reverse("plans:create")).status_code == 403


def test_the_receiver_opens_the_filing_from_the_inbox(world):
    from delivery.models import Delivery
    from plans import services

    filing = services.version_file(version=issued(world, draft(world)), by=world.township_officer)
    delivery = Delivery.objects.get(document=filing.document, recipient_unit=world.county)
    county = login(world.county_dispatcher)
    response = county.get(reverse("delivery:delivery_open", args=[delivery.pk]))
    assert response.status_code == 302 and response.url == reverse("plans:filing_detail", args=[filing.pk])
    assert county.get(response.url).status_code == 200
