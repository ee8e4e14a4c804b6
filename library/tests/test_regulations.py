"""Regulations: written with the plans that cite them; replacing or repealing one raises a revision
trigger on those plans in force, once."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from library import services
from library.models import Regulation
from library.tests import factories
from plans.models import RevisionTrigger, TriggerCase, TriggerSource
from plans.tests import factories as plan_factories


def _plan_in_force(world, unit=None, title=None):
    unit = unit or world.township
    plan = plan_factories.draft(world, unit=unit, title=title)
    plan_factories.in_force(world, plan, leader=plan_factories.leader_of(unit, f"leader_{unit.code}_{plan.pk}"))
    return plan


def test_a_replaced_regulation_raises_a_revision_trigger_on_the_plans_citing_it_once(world):
    plan = _plan_in_force(world)
    draft = plan_factories.draft(world, title="草稿预案")  # not in force: no trigger
    old = factories.regulation(world, plans=[plan, draft])
    new = factories.regulation(world, number="国办发〔2024〕5号", issued_on=datetime.date(2024, 1, 31))
    assert services.regulation_replace(regulation=old, by=world.county_dispatcher, replaced_by=new) == 1
    old.refresh_from_db()
    assert old.status == Regulation.Status.REPLACED and old.replaced_by == new
    trigger = RevisionTrigger.objects.get(plan=plan)
    assert (trigger.case, trigger.source, trigger.source_key) == (
        TriggerCase.LAWS, TriggerSource.REGULATION, f"regulation:{old.pk}",
    )  # fmt: skip
    assert "国办发〔2013〕101号" in trigger.note
    assert not RevisionTrigger.objects.filter(plan=draft).exists()
    with pytest.raises(ValidationError):  # replaced already: refused, and no second trigger
        services.regulation_replace(regulation=old, by=world.county_dispatcher, replaced_by=new)
    with pytest.raises(ValidationError):
        services.regulation_repeal(regulation=old, by=world.county_dispatcher)
    assert RevisionTrigger.objects.filter(plan=plan).count() == 1


def test_a_repealed_regulation_raises_the_trigger_too(world):
    plan = _plan_in_force(world)
    old = factories.regulation(world, plans=[plan])
    assert services.regulation_repeal(regulation=old, by=world.county_dispatcher) == 1
    assert RevisionTrigger.objects.filter(plan=plan, source=TriggerSource.REGULATION).count() == 1


def test_replacing_needs_a_regulation_in_force_other_than_itself(world):
    old = factories.regulation(world)
    with pytest.raises(ValidationError):
        services.regulation_replace(regulation=old, by=world.county_dispatcher, replaced_by=old)
    other = factories.regulation(world, number="x")
    services.regulation_repeal(regulation=other, by=world.county_dispatcher)
    with pytest.raises(ValidationError):
        services.regulation_replace(regulation=old, by=world.county_dispatcher, replaced_by=other)
    old.refresh_from_db()
    assert old.status == Regulation.Status.IN_FORCE


def test_only_the_keepers_line_writes_a_regulation(world):
    regulation = factories.regulation(world, unit=world.township, by=world.township_officer)
    for persona in ("village_officer_a", "department_officer", "outsider"):
        with pytest.raises(PermissionDenied):
            services.regulation_update(regulation=regulation, by=getattr(world, persona), title="改")
    with pytest.raises(PermissionDenied):
        factories.regulation(world, by=world.township_officer)  # the county's library is the county's


def test_plans_linked_must_be_seen_and_dates_in_order(world):
    their_plan = _their_plan(world)
    with pytest.raises(ValidationError):
        factories.regulation(world, unit=world.township, by=world.township_officer, plans=[their_plan])
    with pytest.raises(ValidationError):
        factories.regulation(world, issued_on=datetime.date(2020, 1, 2), effective_on=datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError):
        factories.regulation(world, kind="poem")
    assert not Regulation.objects.exists()


def _their_plan(world):
    return plan_factories.draft(
        world, unit=world.other_township, by=plan_factories.leader_of(world.other_township), title="逻楼预案"
    )


def test_an_edit_keeps_the_links_to_plans_the_person_cannot_see(world):
    ours, theirs = plan_factories.draft(world), _their_plan(world)
    regulation = factories.regulation(world, unit=world.township, plans=[ours, theirs])  # by the county
    services.regulation_update(regulation=regulation, by=world.township_officer, plans=[])
    assert set(regulation.plans.all()) == {theirs}
