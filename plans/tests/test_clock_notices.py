"""The daily job ``plans.tasks.plan_clock_notices``: each owner is told once per plan, clock, due date
and kind; a rerun sends nothing; a delivery failure half way loses nothing; constant queries."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from delivery.models import Delivery, Document
from plans import services
from plans.models import PlanClockNotice
from plans.services import clock_notices
from plans.tasks import plan_clock_notices
from plans.tests.clock_factories import days_ago, live_plan
from plans.tests.factories import draft, in_force, reviewed

pytestmark = pytest.mark.django_db

OVERDUE_SINCE = 3 * 365 + 20  # evaluation (36 months) and drill (12 months) both overdue
SOON_SINCE = 350  # the yearly drill falls due in about two weeks


def clock_documents(**recipient):
    return Delivery.objects.filter(document__kind=Document.Kind.PLAN_CLOCK, **recipient)


@pytest.fixture
def due(world):
    town = live_plan(world, since=days_ago(OVERDUE_SINCE))
    village = live_plan(world, unit=world.village_a, code="village", title="陇雅村预案", since=days_ago(SOON_SINCE))
    return town, village


def test_each_owner_is_told_once_what_is_overdue_and_due_soon(world, due):
    town, village = due
    run = plan_clock_notices.apply()  # the task itself, in this process (no .get(): see Celery's E_WOULDBLOCK)
    assert run.successful() and run.result == {"due": 3, "sent": 3}
    township_mail = clock_documents(recipient_unit=world.township).get()
    assert "逾期" in township_mail.document.title or "overdue" in township_mail.document.title.lower()
    assert town.title in township_mail.document.body and township_mail.document.sender_unit == world.county
    village_mail = clock_documents(recipient_unit=world.village_a).get()
    assert village.title in village_mail.document.body
    assert set(PlanClockNotice.objects.values_list("plan_id", "clock", "kind")) == {
        (town.pk, "evaluation", "overdue"),
        (town.pk, "drill", "overdue"),
        (village.pk, "drill", "due_soon"),
    }
    assert not PlanClockNotice.objects.filter(sent_at__isnull=True).exists()


def test_a_later_run_sends_nothing_new_until_a_notice_changes_kind(world, due):
    clock_notices.plan_clock_notices()
    again = clock_notices.plan_clock_notices()
    assert again["sent"] == 0 and clock_documents().count() == 2
    later = clock_notices.plan_clock_notices(today=timezone.localdate() + datetime.timedelta(days=30))
    assert later["sent"] == 1  # the village's drill is overdue now: told once more
    assert clock_documents(recipient_unit=world.village_a).count() == 2


def test_nothing_is_lost_when_the_delivery_fails_half_way(world, due):
    real = clock_notices.send_documents
    calls = []

    def flaky(items):
        calls.append(len(items))
        if len(calls) == 2:
            raise ConnectionError("delivery down")
        return real(items)

    with mock.patch.object(clock_notices, "send_documents", flaky), pytest.raises(ConnectionError):
        clock_notices.plan_clock_notices(batch=1)
    assert clock_documents().count() == 1
    assert PlanClockNotice.objects.filter(sent_at__isnull=True).exists()
    result = clock_notices.plan_clock_notices(batch=1)
    assert result["sent"] >= 1
    assert clock_documents(recipient_unit=world.township).count() == 1
    assert clock_documents(recipient_unit=world.village_a).count() == 1
    assert not PlanClockNotice.objects.filter(sent_at__isnull=True).exists()


def test_a_failed_run_is_recorded_for_the_administrators(world, due):
    from core.models import JobFailure

    with mock.patch.object(clock_notices, "send_documents", side_effect=ConnectionError("down")):
        outcome = plan_clock_notices.apply(throw=False)
    assert outcome.failed()
    assert JobFailure.objects.filter(task="plans.tasks.plan_clock_notices").exists()


def test_an_overdue_filing_and_a_department_plan_reach_their_owner(world):
    plan = draft(world, title="未备案预案")
    services.version_issue(version=reviewed(world, plan), by=world.township_leader, issued_on=days_ago(60))
    department_plan = draft(
        world, by=world.department_officer, unit=world.county, code="department", department=world.department,
        title="水利局部门预案",
    )  # fmt: skip
    version = in_force(world, department_plan, by=world.department_officer, leader=world.department_officer)
    from plans.models import PlanVersion

    PlanVersion.objects.filter(pk=version.pk).update(in_force_since=days_ago(SOON_SINCE))
    clock_notices.plan_clock_notices()
    assert PlanClockNotice.objects.filter(plan=plan, clock="filing", kind="overdue").exists()
    assert clock_documents(recipient_unit=world.township).count() == 1
    mail = clock_documents(recipient_department=world.department).get()
    assert department_plan.title in mail.document.body


def _more_plans(world, count):
    from grids.rules import Kind
    from grids.tests.factories import credit_code, make_unit

    for n in range(count):
        unit = make_unit(
            world.park, Kind.ENTERPRISE, f"451027-GY01-2{n:02d}", f"企业{n}", credit_code=credit_code(30 + n)
        )
        live_plan(world, unit=unit, code="enterprise-onsite", title=f"企业{n}现场处置方案", since=days_ago(200))


def test_the_job_runs_in_the_same_number_of_queries_for_more_plans(world, due):
    with CaptureQueriesContext(connection) as small:
        first = clock_notices.plan_clock_notices()
    _more_plans(world, 4)
    PlanClockNotice.objects.all().delete()
    with CaptureQueriesContext(connection) as large:
        second = clock_notices.plan_clock_notices()
    assert second["sent"] > first["sent"]
    assert len(large) == len(small), [q["sql"][:80] for q in large.captured_queries]
