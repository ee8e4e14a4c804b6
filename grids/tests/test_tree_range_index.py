"""On PostgreSQL a scope's units are an index-only range scan of ``grid_unit_tree_range``.

Every register asks for ``unit_id IN (SELECT id FROM grids_gridunit WHERE tree_id = … AND lft >= …
AND rght <= …)`` (``GridScope.unit_in_q``). Without an index on the tree range PostgreSQL read the
unit table through its primary key and dropped every unit of the other counties (at 12,310 units
3.3 ms, three times on the warning board); the index (tree_id, lft, rght, id) answers it alone.
EXPLAIN shows which; SQLite has no such planner and skips."""

from __future__ import annotations

import pytest
from django.db import connection

from grids.models import GridUnit, Kind
from grids.scope import scope_for
from grids.tests.explain import plan_of

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN of PostgreSQL's planner")


def _other_counties(count: int) -> None:
    """``count`` counties of their own trees beside the world's, as on a province's grid."""
    GridUnit.objects.bulk_create(
        [
            GridUnit(name=f"外县{n:05d}", kind=Kind.COUNTY, code=f"9{n:05d}", tree_id=1000 + n, lft=1, rght=2, level=0)
            for n in range(count)
        ],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE grids_gridunit")


def test_the_units_of_a_scope_are_read_from_the_tree_range_index(world):
    _other_counties(6000)
    units = scope_for(world.county_dispatcher).units().values("pk")
    plan = plan_of(units)
    assert "using grid_unit_tree_range on grids_gridunit" in plan, plan
    assert "Seq Scan on grids_gridunit" not in plan, plan
    assert "grids_gridunit_pkey" not in plan, plan
    assert set(units.values_list("pk", flat=True)) == set(
        world.county.get_descendants(include_self=True).values_list("pk", flat=True)
    )
