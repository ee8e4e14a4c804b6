"""Test data for the clocks: plans in force (made through the services), their in-force date set back."""

from __future__ import annotations

import datetime

from django.utils import timezone

from grids.rules import VILLAGE_KINDS
from plans.models import PlanVersion
from plans.tests.factories import draft, in_force, leader_of


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def leader(unit):
    """The grid leader of ``unit`` made for the tests (one per unit)."""
    from grids.models import User

    return User.objects.filter(username=f"leader_{unit.code}").first() or leader_of(unit)


def live_plan(world, *, unit=None, code="township", title=None, since: datetime.date | None = None, receiver=None):
    """A plan of ``unit`` in force (version 1), in force since ``since`` (default today)."""
    unit = unit or world.township
    if unit == world.township:
        by, signer = world.township_officer, world.township_leader
    else:
        by = signer = leader(unit)
    if receiver is None:
        parent = unit.parent
        if unit.kind in VILLAGE_KINDS and parent is not None:
            receiver = world.township_officer if parent == world.township else leader(parent)
        else:
            receiver = world.county_dispatcher
    plan = draft(world, by=by, unit=unit, code=code, title=title)
    version = in_force(world, plan, by=by, leader=signer, receiver=receiver)
    if since is not None:
        PlanVersion.objects.filter(pk=version.pk).update(in_force_since=since)
    plan.refresh_from_db()
    return plan
