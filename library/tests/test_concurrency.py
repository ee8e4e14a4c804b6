"""Concurrent changes on PostgreSQL: one incident makes one case; one replacement raises one trigger."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from grids.tests.concurrency import run_together
from grids.tests.factories import build_world
from library import services
from library.models import Case
from library.tests import factories
from plans.models import RevisionTrigger, TriggerSource
from plans.tests import factories as plan_factories

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_conversions_of_one_incident_at_once_make_one_case():
    world = build_world()
    incident = factories.closed_incident(world)
    outcomes = run_together(
        lambda: services.case_from_incident(incident=incident, by=world.township_officer),
        lambda: services.case_from_incident(incident=incident, by=world.county_dispatcher),
    )
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"], outcomes
    assert all(isinstance(value, ValidationError) for kind, value in outcomes if kind == "error")
    assert Case.objects.filter(incident=incident).count() == 1


def test_two_replacements_at_once_raise_one_trigger():
    world = build_world()
    plan = plan_factories.draft(world)
    plan_factories.in_force(world, plan, leader=plan_factories.leader_of(world.township))
    old = factories.regulation(world, plans=[plan])
    new = factories.regulation(world, number="国办发〔2024〕5号")
    outcomes = run_together(
        *[lambda: services.regulation_replace(regulation=old, by=world.county_dispatcher, replaced_by=new)] * 2
    )
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"], outcomes
    assert RevisionTrigger.objects.filter(plan=plan, source=TriggerSource.REGULATION).count() == 1
