"""``manage.py benchmark_pages``: every page of the three personas through the request stack, with
its SQL floor and bare-view floor, written to JSON; the database is left as it was, and the
queries of each page do not grow with the number of hazards. Times are never asserted."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from dispatch.models import Warning
from hazards.tests import factories as hf

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the floors are PostgreSQL SQL")

PAGES = {"hazard_list", "map_data", "statistics", "dashboard", "warning_board"}


def _run(tmp_path, name: str) -> dict:
    output = tmp_path / f"{name}.json"
    call_command("benchmark_pages", runs=2, output=str(output), machine="test", stdout=io.StringIO())
    return json.loads(output.read_text())


def test_every_page_of_every_persona_beside_its_floors_in_constant_queries(world, tmp_path):
    hf.report(world, title="村后山体裂缝")
    few = _run(tmp_path, "few")
    assert few["benchmark"] == "pages" and few["runs"] == 2 and few["machine"] == "test"
    assert set(few["results"]) == {"county_dispatcher", "township_officer", "village_officer"}
    for pages in few["results"].values():
        assert set(pages) == PAGES
        for row in pages.values():
            assert row["queries"] > 0 and row["bytes"] > 0
            assert {"median_ms", "p95_ms", "best_ms"} <= set(row["page"]) | set(row["sql_floor"]) | set(
                row["bare_floor"]
            )
            assert row["ratio"] is not None
    assert not Warning.objects.exists()  # the run's warning was rolled back
    for n in range(30):
        unit, by = (world.village_a, world.village_officer_a) if n % 2 else (world.village_b, world.village_officer_b)
        hf.report(world, by=by, unit=unit, title=f"隐患{n}")
    many = _run(tmp_path, "many")
    queries = {p: {n: r["queries"] for n, r in pages.items()} for p, pages in many["results"].items()}
    assert queries == {p: {n: r["queries"] for n, r in pages.items()} for p, pages in few["results"].items()}
