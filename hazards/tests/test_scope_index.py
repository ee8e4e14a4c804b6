"""On PostgreSQL the register's scope is a filter the planner answers from the unit index.

A township's list page used to walk the ``found_at`` index through the whole county's hazards
(the scope, a tree range on the joined unit, cannot be estimated) to find fifty of its own; written
``unit_id IN (units of the scope)`` (``GridScope.unit_in_q``) it reads the township's rows through
the index on ``unit_id``. EXPLAIN shows which; SQLite has no such planner and skips."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from grids.models import Kind
from grids.tests.explain import plan_of
from grids.tests.factories import make_unit
from hazards import selectors
from hazards.models import Hazard
from hazards.tests import factories as hf

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN of PostgreSQL's planner")


def _many_hazards_elsewhere(world, count: int) -> None:
    """``count`` hazards in 300 villages of the other township, one in a hundred in the township's
    own: a township of a large county, as in the scale grid."""
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            # held to the test's rollback: autovacuum (after 2 % of rows changed, hazards 0010) must
            # not ANALYZE the table meanwhile, counting none of the uncommitted rows below
            cursor.execute("ALTER TABLE hazards_hazard SET (autovacuum_enabled = false)")
    villages = [
        make_unit(world.other_township, Kind.VILLAGE, f"451027101{300 + n}", f"逻楼{n:03d}村") for n in range(300)
    ]
    model = hf.report(world, title="样本隐患")  # village A
    now = timezone.now()
    fields = {f.attname: getattr(model, f.attname) for f in Hazard._meta.concrete_fields if not f.primary_key}
    rows = []
    for n in range(count):
        unit = villages[n % len(villages)] if n % 100 else world.village_b
        rows.append(
            Hazard(
                **{
                    **fields,
                    "number": f"T-{n:06d}",
                    "unit_id": unit.pk,
                    "owner_unit_id": unit.parent_id,
                    "found_at": now - datetime.timedelta(minutes=n),
                    "client_key": None,
                }
            )
        )
    Hazard.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE hazards_hazard")
        cursor.execute("ANALYZE grids_gridunit")


def test_the_township_list_reads_its_hazards_through_the_unit_index(world):
    _many_hazards_elsewhere(world, 20_000)
    page = selectors.hazard_list(world.township_officer, {})[:50]
    plan = plan_of(page)
    hazard_scans = [line for line in plan.splitlines() if re.search(r"(Index|Seq) Scan.* on hazards_hazard\b", line)]
    assert hazard_scans, plan
    assert all("unit_id" in line or "unit_id" in _index_columns(line) for line in hazard_scans), plan
    assert not any("found_a" in line for line in hazard_scans), plan  # not the walk through the dates
    assert "Seq Scan on hazards_hazard" not in plan, plan
    assert len(list(page)) == 50 and {h.unit_id for h in page} <= {world.village_a.pk, world.village_b.pk}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_page_of_fifty_is_found_on_the_units_newest_index(world):
    """The list's page as ``PagesById`` asks for it (the fifty ids first): a township's newest
    fifty read from ``hazard_unit_newest`` (unit, found_at, id) per unit of the scope, not by walking
    the county's dates (at 1,000,000 hazards: 88 ms → 2 ms). VACUUM sets the visibility map, as
    autovacuum does (hazards 0010), so that the index alone answers."""
    _many_hazards_elsewhere(world, 20_000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE hazards_hazard")
    listed = selectors.hazard_list(world.township_officer, {})
    page = listed.filter(pk__in=listed.values("pk")[:50])
    plan = plan_of(page)
    assert "hazard_unit_newest" in plan, plan
    assert not re.search(r"Scan.* using \S*found_a\S* on hazards_hazard", plan), plan
    assert len(list(page)) == 50 and {h.unit_id for h in page} <= {world.village_a.pk, world.village_b.pk}


def test_the_scope_is_a_set_of_unit_ids_not_a_join_of_the_register_to_its_units(world):
    sql = str(selectors.hazard_list(world.township_officer, {}).query)
    assert re.search(r'"hazards_hazard"\."unit_id" IN \(SELECT', sql), sql


def _index_columns(line: str) -> str:
    """The columns of the index a plan line scans (from the catalogue)."""
    found = re.search(r"using (\S+) on", line) or re.search(r"on (\S+)\s", line)
    if not found:
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [found.group(1)])
        row = cursor.fetchone()
    return row[0] if row else ""
