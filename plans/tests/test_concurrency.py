"""Concurrent receipts on PostgreSQL: filing numbers never collide, a filing is decided once."""

import pytest
from django.db import connection
from django.utils import timezone

from grids.tests.concurrency import run_together
from grids.tests.factories import build_world
from plans import services
from plans.models import Filing
from plans.services import TransitionRefused
from plans.tests.factories import draft, issued, leader_of

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _filed(world, unit, leader):
    plan = draft(world, by=leader, unit=unit, title=f"{unit.name}预案")
    version = issued(world, plan, by=leader, leader=leader)
    return services.version_file(version=version, by=leader)


def test_receipts_at_once_get_distinct_numbers_in_sequence():
    world = build_world()
    filings = [_filed(world, world.township, world.township_leader)]
    filings.append(_filed(world, world.other_township, leader_of(world.other_township)))
    for enterprise_no in range(2):
        from grids.rules import Kind
        from grids.tests.factories import credit_code, make_unit

        unit = make_unit(
            world.park, Kind.ENTERPRISE, f"451027-GY01-10{enterprise_no}", f"企业{enterprise_no}",
            credit_code=credit_code(10 + enterprise_no),
        )  # fmt: skip
        filings.append(_filed(world, unit, leader_of(unit)))
    outcomes = run_together(
        *[lambda f=f: services.filing_receipt(filing=f, by=world.county_dispatcher) for f in filings]
    )
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    numbers = sorted(Filing.objects.values_list("number", flat=True))
    year = timezone.localdate().year
    assert numbers == [f"451027备〔{year}〕{n:04d}" for n in range(1, 5)]


def test_receipt_and_return_at_once_decide_the_filing_once():
    world = build_world()
    filing = _filed(world, world.township, world.township_leader)
    outcomes = run_together(
        lambda: services.filing_receipt(filing=filing, by=world.county_dispatcher),
        lambda: services.filing_return(filing=filing, by=world.county_dispatcher, reason="不全"),
    )
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    assert isinstance(next(v for k, v in outcomes if k == "error"), TransitionRefused)
    filing.refresh_from_db()
    version = filing.version
    version.refresh_from_db()
    assert (filing.state, version.state) in {("receipted", "in_force"), ("returned", "issued")}
