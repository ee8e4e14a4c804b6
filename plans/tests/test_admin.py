"""The plan admin: rule tables edited there, the register read-only and scoped."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from plans.models import FilingRoute, WorkdayAdjustment
from plans.tests.factories import draft, in_force, leader_of

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_administrator_edits_a_filing_route_and_adds_a_working_day(world):
    client = login(world.admin)
    route = FilingRoute.objects.get(owner_kind="village", plan_kind__isnull=True)
    response = client.post(
        reverse("admin:plans_filingroute_change", args=[route.pk]),
        {"owner_kind": "village", "plan_kind": "", "receiver": "county", "due_workdays": 15, "rule": route.rule},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    route.refresh_from_db()
    assert (route.receiver, route.due_workdays) == ("county", 15)
    response = client.post(
        reverse("admin:plans_workdayadjustment_add"), {"date": "2026-12-07", "is_workday": "", "note": "县庆"}
    )
    assert response.status_code == 302
    assert WorkdayAdjustment.objects.get().is_workday is False


def test_plans_in_the_admin_are_read_only_and_scoped(world):
    plan = draft(world, title="泗城镇预案")
    in_force(world, plan)
    other = draft(world, by=leader_of(world.other_township), unit=world.other_township, title="逻楼镇预案")
    leader = world.township_leader
    leader.is_staff = True
    leader.save(update_fields=["is_staff"])
    leader.user_permissions.set(Permission.objects.filter(content_type__app_label="plans"))
    client = login(leader)
    body = client.get(reverse("admin:plans_plan_changelist")).content.decode()
    assert "泗城镇预案" in body and "逻楼镇预案" not in body
    assert client.get(reverse("admin:plans_plan_change", args=[other.pk])).status_code in {302, 403, 404}
    assert client.get(reverse("admin:plans_plan_add")).status_code == 403
    page = client.get(reverse("admin:plans_plan_change", args=[plan.pk])).content.decode()
    assert 'name="save"' not in page
    assert client.get(reverse("admin:plans_planversion_history", args=[plan.versions.get().pk])).status_code == 200
    route = FilingRoute.objects.first()
    assert client.post(reverse("admin:plans_filingroute_delete", args=[route.pk]), {"post": "yes"}).status_code == 403
