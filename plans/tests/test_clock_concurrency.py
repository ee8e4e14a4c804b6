"""Concurrent runs on PostgreSQL: two notice jobs at once tell each owner once; two raises of the
same source at once make one open trigger."""

import pytest
from django.db import connection

from delivery.models import Delivery, Document
from grids.tests.concurrency import run_together
from grids.tests.factories import build_world
from plans import services
from plans.models import PlanClockNotice, RevisionTrigger
from plans.services import clock_notices
from plans.tests.clock_factories import days_ago, live_plan

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_notice_runs_at_once_send_each_notice_once():
    world = build_world()
    live_plan(world, since=days_ago(3 * 365 + 20))
    live_plan(world, unit=world.village_a, code="village", title="陇雅村预案", since=days_ago(350))
    outcomes = run_together(
        lambda: clock_notices.plan_clock_notices(batch=1), lambda: clock_notices.plan_clock_notices(batch=1)
    )
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    assert sum(result["sent"] for _, result in outcomes) == 3
    assert Delivery.objects.filter(document__kind=Document.Kind.PLAN_CLOCK).count() == 2
    assert PlanClockNotice.objects.count() == 3 and not PlanClockNotice.objects.filter(sent_at__isnull=True).exists()
    assert clock_notices.plan_clock_notices()["sent"] == 0


def test_two_raises_of_the_same_source_at_once_make_one_trigger():
    world = build_world()
    plan = live_plan(world)

    def raise_it():
        return services.trigger_raise(plan=plan, case="practice", source="incident", source_key="incident:1").pk

    outcomes = run_together(raise_it, raise_it, raise_it)
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    assert len({pk for _, pk in outcomes}) == 1
    assert RevisionTrigger.objects.filter(plan=plan).count() == 1
