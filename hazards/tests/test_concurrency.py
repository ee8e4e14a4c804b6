"""Concurrent people on PostgreSQL: one wins, the other is refused cleanly, nothing half-written."""

import uuid

import pytest
from django.db import connection

from grids.tests.concurrency import run_together
from grids.tests.factories import build_world
from hazards import services
from hazards.models import Hazard, HazardEvent, State
from hazards.services import TransitionRefused
from hazards.tests.factories import category, report

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_officers_confirming_at_once_one_wins():
    world = build_world()
    hazard = report(world)

    def confirm(user, method, inputs):
        return lambda: services.hazard_confirm(
            hazard=hazard, by=user, grade="general", risk_method=method, risk_inputs=inputs
        )

    outcomes = run_together(
        confirm(world.township_officer, "ls", {"ls_l": 2, "ls_s": 2}),
        confirm(world.township_leader, "ls", {"ls_l": 5, "ls_s": 5}),
    )
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"]
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, TransitionRefused)
    hazard.refresh_from_db()
    assert hazard.state == State.CONFIRMED
    assert HazardEvent.objects.filter(hazard=hazard, action="confirm").count() == 1


def test_accept_and_send_back_at_once_leave_one_consistent_state():
    world = build_world()
    hazard = report(world)
    services.hazard_confirm(
        hazard=hazard, by=world.township_officer, grade="general", risk_method="ls", risk_inputs={"ls_l": 2, "ls_s": 2}
    )
    import datetime

    from django.utils import timezone

    from hazards.tests.factories import photo

    services.hazard_plan(
        hazard=hazard,
        by=world.township_officer,
        measures="m",
        responsible_unit="u",
        responsible_person="p",
        deadline=timezone.localdate() + datetime.timedelta(days=3),
        contingency="c",
    )
    services.hazard_submit_evidence(hazard=hazard, by=world.village_officer_a, note="", photos=[photo()])
    outcomes = run_together(
        lambda: services.hazard_accept(hazard=hazard, by=world.township_officer),
        lambda: services.hazard_fail_acceptance(hazard=hazard, by=world.township_leader, reason="不合格"),
    )
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    hazard.refresh_from_db()
    last = hazard.events.order_by("-at", "-id").first()
    assert hazard.state == last.to_state


def test_numbers_are_unique_under_concurrent_reports():
    world = build_world()
    calls = [lambda i=i: report(world, title=f"隐患{i}") for i in range(8)]
    outcomes = run_together(*calls)
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    numbers = sorted(Hazard.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 8
    assert [n[-4:] for n in numbers] == [f"{i:04d}" for i in range(1, 9)]


def test_double_tap_with_the_same_key_creates_one_hazard():
    world = build_world()
    key = uuid.uuid4()

    def call():
        return services.hazard_report(
            by=world.village_officer_a, unit=world.village_a, category=category(), title="双击", client_key=key
        )

    outcomes = run_together(call, call, call)
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    assert Hazard.objects.filter(client_key=key).count() == 1
    assert len({value[0].pk for _, value in outcomes}) == 1
