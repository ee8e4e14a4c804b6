"""Concurrent closures of a finding and acknowledgements of an alarm on PostgreSQL: once each."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from drills import services
from drills.models import Finding
from drills.services import TransitionRefused
from drills.tests.factories import blind, drill, held
from grids.tests.concurrency import run_together
from grids.tests.factories import build_world

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_closures_at_once_close_the_finding_once():
    world = build_world()
    d = drill(world)
    held(world, d)
    finding = services.finding_add(
        drill=d, by=world.township_officer, kind="equipment", description="照明设备不足", owner_unit=world.village_a,
        deadline=timezone.localdate() + datetime.timedelta(days=5),
    )  # fmt: skip
    outcomes = run_together(
        lambda: services.finding_close(finding=finding, by=world.village_officer_a, note="已补充"),
        lambda: services.finding_close(finding=finding, by=world.township_officer, note="已配发"),
    )
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    assert isinstance(next(v for k, v in outcomes if k == "error"), TransitionRefused)
    finding.refresh_from_db()
    assert finding.state == Finding.State.CLOSED and finding.history.filter(history_change_reason="close").count() == 1


def test_acknowledgements_at_once_keep_the_first():
    world = build_world()
    d = blind(world)
    services.drill_start(drill=d, by=world.county_dispatcher)
    outcomes = run_together(
        lambda: services.drill_acknowledge(drill=d, by=world.township_officer),
        lambda: services.drill_acknowledge(drill=d, by=world.township_leader),
    )
    assert all(kind == "ok" for kind, _ in outcomes)
    d.refresh_from_db()
    assert d.history.filter(history_change_reason="acknowledge").count() == 1
