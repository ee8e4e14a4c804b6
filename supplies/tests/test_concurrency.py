"""Concurrent issues on PostgreSQL: a lot is never overdrawn; one wins, the other gets a clear error."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from grids.tests.concurrency import run_together
from grids.tests.factories import build_world
from supplies import services
from supplies.models import Lot, Movement
from supplies.tests.factories import depot, lot

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_issues_that_would_overdraw_the_lot_one_wins():
    world = build_world()
    point = depot(world.county, kind="depot")
    jackets = lot(point, "救生衣", 10, by=world.county_dispatcher)
    outcomes = run_together(
        *[
            lambda: services.stock_issue(lot=jackets, quantity=7, by=world.county_dispatcher, recipient="泗城镇")
            for _ in range(2)
        ]
    )
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"], outcomes
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, ValidationError) and "只剩 3" in " ".join(error.messages)
    total = Movement.objects.filter(lot=jackets).aggregate(total=Sum("quantity"))["total"]
    assert Lot.objects.get(pk=jackets.pk).quantity == total == 3


def test_many_small_issues_at_once_keep_the_balance_right():
    world = build_world()
    point = depot(world.county, kind="depot")
    bags = lot(point, "编织袋", 5, by=world.county_dispatcher, expires_in=None)
    outcomes = run_together(
        *[
            lambda: services.stock_issue(lot=bags, quantity=1, by=world.county_dispatcher, recipient="抢险")
            for _ in range(8)
        ]
    )
    assert sum(kind == "ok" for kind, _ in outcomes) == 5
    total = Movement.objects.filter(lot=bags).aggregate(total=Sum("quantity"))["total"]
    assert Lot.objects.get(pk=bags.pk).quantity == total == 0
