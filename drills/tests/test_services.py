"""Every step of a drill through the services: planning, the alarm, mobilisation, the record,
evaluation with its bands, findings (hazard, plan trigger), training, the daily flags."""

from __future__ import annotations

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from delivery.models import Delivery, Document
from drills import services
from drills.models import ConclusionBand, DrillState, EvaluationIndicator, Finding, Notice
from drills.services import TransitionRefused
from drills.tests.factories import blind, drill, evaluated, held, scores
from hazards.models import Hazard, HazardCategory
from plans.tests.factories import draft as draft_plan

pytestmark = pytest.mark.django_db


def test_the_township_plans_its_own_drill(world):
    d = drill(world)
    assert (d.state, d.organiser, d.unit) == (DrillState.PLANNED, world.township, world.township)
    assert d.history.count() == 1


@pytest.mark.parametrize("persona", ["village_officer_a", "department_officer", "outsider"])
def test_nobody_else_organises_the_townships_drill(world, persona):
    with pytest.raises(PermissionDenied):
        drill(world, by=getattr(world, persona))


def test_the_drilled_unit_must_lie_under_the_organiser(world):
    with pytest.raises(ValidationError):
        drill(world, organiser=world.township, unit=world.village_c)


def test_a_double_blind_drill_is_organised_by_a_tier_above(world):
    with pytest.raises(ValidationError):
        drill(world, double_blind=True)
    assert blind(world).double_blind


def test_bad_input_saves_nothing(world):
    with pytest.raises(ValidationError):
        drill(world, form="parade")
    assert not world.township.drills.exists()


def test_start_sends_the_alarm_to_the_drilled_unit_as_a_delivery(world):
    d = blind(world)
    services.drill_start(drill=d, by=world.county_dispatcher)
    d.refresh_from_db()
    assert d.state == DrillState.STARTED and d.alarm_sent_at is not None
    delivery = Delivery.objects.get(document=d.alarm_document)
    assert delivery.recipient_unit == world.township
    assert d.alarm_document.kind == Document.Kind.DRILL_ALARM
    with pytest.raises(TransitionRefused):
        services.drill_start(drill=d, by=world.county_dispatcher)


def test_only_the_organiser_starts_the_drill(world):
    d = blind(world)
    with pytest.raises(PermissionDenied):
        services.drill_start(drill=d, by=world.township_leader)


def test_the_first_acknowledgement_wins(world):
    d = blind(world)
    with pytest.raises(TransitionRefused):
        services.drill_acknowledge(drill=d, by=world.township_officer)
    services.drill_start(drill=d, by=world.county_dispatcher)
    first = services.drill_acknowledge(drill=d, by=world.township_officer)
    again = services.drill_acknowledge(drill=d, by=world.township_leader)
    assert again.acknowledged_at == first.acknowledged_at and again.acknowledged_by == world.township_officer
    with pytest.raises(PermissionDenied):
        services.drill_acknowledge(drill=d, by=world.county_dispatcher)  # the tier above does not acknowledge


def test_mobilisation_times_are_recorded_once_and_in_order(world):
    d = blind(world)
    services.drill_start(drill=d, by=world.county_dispatcher)
    d.refresh_from_db()
    with pytest.raises(ValidationError):
        services.drill_record_time(
            drill=d,
            by=world.township_officer,
            milestone="first_on_scene",
            at=d.alarm_sent_at - datetime.timedelta(minutes=1),
        )
    services.drill_record_time(drill=d, by=world.township_officer, milestone="first_on_scene")
    with pytest.raises(TransitionRefused):
        services.drill_record_time(drill=d, by=world.township_officer, milestone="first_on_scene")
    services.drill_record_time(drill=d, by=world.county_dispatcher, milestone="assembled")
    d.refresh_from_db()
    assert d.alarm_sent_at <= d.first_on_scene_at <= d.assembled_at


def test_record_held_refuses_a_future_time(world):
    d = drill(world)
    with pytest.raises(ValidationError):
        services.drill_record_held(
            drill=d,
            by=world.township_officer,
            held_at=timezone.now() + datetime.timedelta(days=1),
            place="x",
            headcount=1,
        )
    d.refresh_from_db()
    assert d.state == DrillState.PLANNED


def test_village_officer_signs_in_once(world):
    d = drill(world, unit=world.village_a, organiser=world.township)
    attendance, created = services.drill_sign_in(drill=d, by=world.village_officer_a)
    again, created_again = services.drill_sign_in(drill=d, by=world.village_officer_a)
    assert created and not created_again and again.pk == attendance.pk and attendance.unit == world.village_a
    with pytest.raises(PermissionDenied):
        services.drill_sign_in(drill=d, by=world.township_officer)  # a tier above does not sign in for the village


# --- evaluation ---------------------------------------------------------------------------------


def test_weighted_score_and_bands():
    indicators = list(EvaluationIndicator.objects.filter(form="live"))
    assert sum(i.weight for i in indicators) == 100
    values = {i.pk: (100 if i.weight >= 20 else 50) for i in indicators}
    expected = Decimal(sum(i.weight * values[i.pk] for i in indicators)) / 100
    assert services.weighted_score(values, indicators) == expected.quantize(Decimal("0.01"))
    assert [services.conclusion_for(Decimal(s)).name for s in ("100", "90", "89.99", "75", "60", "59.99", "0")] == [
        "优", "优", "良", "良", "中", "差", "差",
    ]  # fmt: skip


def test_a_band_is_a_rule_row(world):
    ConclusionBand.objects.filter(code="excellent").update(min_score=95)
    assert services.conclusion_for(Decimal("92")).name == "良"


def test_evaluation_scores_every_indicator_and_tells_the_plans(world):
    d = drill(world)
    held(world, d)
    partial = scores("live")
    partial.popitem()
    with pytest.raises(ValidationError):
        services.drill_evaluate(drill=d, by=world.township_officer, scores=partial)
    with mock.patch("drills.plan_link.drill_held") as spy:
        evaluation = evaluated(world, d, value=80)
    assert (evaluation.score, evaluation.conclusion.name) == (Decimal("80.00"), "良")
    spy.assert_called_once()
    assert spy.call_args.args[0].pk == d.pk
    d.refresh_from_db()
    assert d.state == DrillState.EVALUATED
    with pytest.raises(TransitionRefused):
        evaluated(world, d)


def test_a_score_out_of_range_is_refused(world):
    d = drill(world)
    held(world, d)
    with pytest.raises(ValidationError):
        services.drill_evaluate(drill=d, by=world.township_officer, scores=scores("live", 101))


def test_a_planned_drill_is_not_evaluated(world):
    with pytest.raises(TransitionRefused):
        evaluated(world, drill(world))


# --- findings -----------------------------------------------------------------------------------


def _done(world):
    plan = draft_plan(world, by=world.township_officer, unit=world.township)
    d = drill(world, linked_plans=[plan])
    held(world, d)
    return d, plan


def test_a_danger_finding_becomes_a_hazard(world):
    d, _plan = _done(world)
    finding = services.finding_add(
        drill=d,
        by=world.township_officer,
        kind=Finding.Kind.DANGER,
        description="河堤护栏缺失",
        owner_unit=world.village_a,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        hazard_category=HazardCategory.objects.filter(is_active=True).first(),
    )
    hazard = Hazard.objects.get(pk=finding.hazard_id)
    assert (hazard.unit, hazard.title) == (world.village_a, "河堤护栏缺失")


def test_a_plan_problem_raises_the_plans_revision_trigger(world):
    d, plan = _done(world)
    with mock.patch("drills.plan_link.plan_problem_found") as spy:
        finding = services.finding_add(
            drill=d,
            by=world.township_officer,
            kind=Finding.Kind.PLAN_PROBLEM,
            description="转移路线与实际不符",
            owner_unit=world.township,
            deadline=timezone.localdate() + datetime.timedelta(days=30),
            plan=plan,
        )
    spy.assert_called_once()
    assert spy.call_args.args[0].pk == finding.pk


def test_a_plan_problem_names_one_of_the_drills_plans(world):
    d, _plan = _done(world)
    other = draft_plan(world, by=world.township_officer, unit=world.township, title="另一个预案")
    with mock.patch("drills.plan_link.plan_problem_found") as spy, pytest.raises(ValidationError):
        services.finding_add(
            drill=d, by=world.township_officer, kind=Finding.Kind.PLAN_PROBLEM, description="x",
            owner_unit=world.township, deadline=timezone.localdate(), plan=other,
        )  # fmt: skip
    spy.assert_not_called()
    assert not Finding.objects.exists()


def test_findings_wait_for_the_drill_and_close_once(world):
    d = drill(world)
    with pytest.raises(TransitionRefused):
        services.finding_add(
            drill=d, by=world.township_officer, kind="equipment", description="抽水泵无法启动",
            owner_unit=world.village_a, deadline=timezone.localdate(),
        )  # fmt: skip
    held(world, d)
    finding = services.finding_add(
        drill=d, by=world.township_officer, kind="equipment", description="抽水泵无法启动",
        owner_unit=world.village_a, deadline=timezone.localdate(),
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.finding_close(finding=finding, by=world.village_officer_b, note="修好")
    with pytest.raises(ValidationError):
        services.finding_close(finding=finding, by=world.village_officer_a, note=" ")
    services.finding_close(finding=finding, by=world.village_officer_a, note="已更换水泵")
    with pytest.raises(TransitionRefused):
        services.finding_close(finding=finding, by=world.township_officer, note="again")


# --- annual plan, training, daily flags ---------------------------------------------------------


def test_the_annual_drill_plan_is_filed_with_the_tier_above(world):
    year = timezone.localdate().year
    plan = services.annual_plan_create(by=world.township_officer, unit=world.township, year=year)
    with pytest.raises(ValidationError):
        services.annual_plan_file(plan=plan, by=world.township_officer)  # no drills yet
    drill(world, annual_plan=plan, planned_date=datetime.date(year, 12, 31))
    plan = services.annual_plan_file(plan=plan, by=world.township_officer)
    assert plan.state == "filed" and plan.document.kind == Document.Kind.DRILL_PLAN
    assert Delivery.objects.get(document=plan.document).recipient_unit == world.county
    with pytest.raises(TransitionRefused):
        services.annual_plan_file(plan=plan, by=world.township_officer)
    with pytest.raises(ValidationError):
        services.annual_plan_create(by=world.township_officer, unit=world.township, year=year)


def test_training_attendees_come_from_the_grid(world):
    training = services.training_record(
        by=world.township_officer, unit=world.township, topic="防汛培训", held_on=timezone.localdate(),
        hours=Decimal("2.5"), attendees=[world.village_officer_a],
    )  # fmt: skip
    assert list(training.attendees.all()) == [world.village_officer_a]
    from grids.tests.factories import make_person

    with pytest.raises(ValidationError):
        services.training_record(
            by=world.township_officer, unit=world.township, topic="x", held_on=timezone.localdate(),
            hours=Decimal("1"), attendees=[make_person("stranger")],
        )  # fmt: skip


def test_overdue_findings_and_due_drills_are_flagged_once(world):
    today = timezone.localdate()
    d = drill(world)
    held(world, d)
    services.finding_add(
        drill=d, by=world.township_officer, kind="equipment", description="对讲机电量不足",
        owner_unit=world.village_a, deadline=today,
    )  # fmt: skip
    soon = blind(world, planned_date=today + datetime.timedelta(days=3))
    assert services.flag_due(today=today) == 1  # the drill due; the finding is not overdue yet
    later = today + datetime.timedelta(days=1)
    assert services.flag_due(today=later) == 1  # now the finding
    assert services.flag_due(today=later) == 0
    keys = set(Notice.objects.values_list("key", flat=True))
    assert any(k.startswith("finding-overdue") for k in keys) and f"drill-due-{soon.pk}-{soon.planned_date}" in keys
    alarm = Delivery.objects.filter(document__kind=Document.Kind.DRILL_NOTICE, recipient_unit=world.township)
    assert not alarm.exists()  # the double-blind drill is announced to its organiser only
    assert Delivery.objects.filter(document__kind=Document.Kind.DRILL_NOTICE, recipient_unit=world.county).count() == 1
