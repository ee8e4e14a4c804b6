"""drills → plans, for real (no spies): an evaluated drill restarts the drill clock of each linked
plan in force; a plan-problem finding raises one revision trigger on its plan; and the plan cannot
be marked evaluated while a finding against it is open."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from drills import services
from drills.models import Finding
from drills.tests.factories import drill, evaluated, held
from plans import services as plan_services
from plans.models import PlanDrill, RevisionTrigger, TriggerSource
from plans.services import TransitionRefused
from plans.tests.factories import draft, in_force

pytestmark = pytest.mark.django_db


def _plan_in_force(world):
    plan = draft(world, by=world.township_officer, unit=world.township)
    in_force(world, plan)
    plan.refresh_from_db()
    return plan


def _finding(world, the_drill, plan):
    return services.finding_add(
        drill=the_drill,
        by=world.township_officer,
        kind=Finding.Kind.PLAN_PROBLEM,
        description="转移路线与实际不符",
        owner_unit=world.township,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        plan=plan,
    )


def test_an_evaluated_drill_restarts_the_plans_drill_clock(world):
    plan = _plan_in_force(world)
    draft_only = draft(world, by=world.township_officer, unit=world.township, title="尚在起草的预案")
    d = drill(world, linked_plans=[plan, draft_only])
    held(world, d)
    evaluated(world, d, value=85)
    record = PlanDrill.objects.get(plan=plan)
    d.refresh_from_db()
    assert record.held_on == timezone.localdate(d.held_at) and not record.plan_problem
    assert not PlanDrill.objects.filter(plan=draft_only).exists()  # only plans in force have a drill clock


def test_a_plan_problem_raises_one_trigger_and_blocks_the_evaluation_until_closed(world):
    plan = _plan_in_force(world)
    d = drill(world, linked_plans=[plan])
    held(world, d)
    finding = _finding(world, d, plan)
    trigger = RevisionTrigger.objects.get(plan=plan, closed_at__isnull=True)
    assert trigger.source == TriggerSource.DRILL and trigger.note == "转移路线与实际不符"
    with pytest.raises(TransitionRefused, match="未整改"):
        plan_services.evaluation_record(
            plan=plan, by=world.township_officer, held_on=timezone.localdate(), evaluated_by="县应急局",
            conclusion="基本适用",
        )  # fmt: skip
    services.finding_close(finding=finding, by=world.township_officer, note="已修订转移路线")
    evaluation = plan_services.evaluation_record(
        plan=plan,
        by=world.township_officer,
        held_on=timezone.localdate(),
        evaluated_by="县应急局",
        conclusion="基本适用",
    )
    assert evaluation.pk
    assert RevisionTrigger.objects.filter(plan=plan).count() == 1
