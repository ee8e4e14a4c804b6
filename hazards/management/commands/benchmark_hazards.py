"""Time the register's reads on a big grid and write the figures to a JSON file.

    manage.py seed_scale --counties 10 --townships 30 --villages 40
    manage.py seed_hazards --count 1000000
    manage.py benchmark_hazards --output var/benchmarks/hazards.json

Each read runs as three people (a superuser, a county dispatcher, a township officer) through
the same selectors the pages use, ``--repeat`` times; the JSON holds the best and median
milliseconds and the number of queries of each.
"""

import json
import platform
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grids.models import GridUnit, Membership, Role, User
from hazards import selectors
from hazards.models import Hazard


def measure(call, repeat: int) -> dict:
    timings, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
    return {"best_ms": round(min(timings), 1), "median_ms": round(statistics.median(timings), 1), "queries": queries}


class Command(BaseCommand):
    help = "Benchmark the hazard list, map data, statistics and dashboard queries; write JSON."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.VAR_DIR / "benchmarks" / "hazards.json"))
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, output: str, repeat: int, **options):
        total = Hazard.objects.count()
        if not total:
            raise CommandError("The register is empty: run seed_scale and seed_hazards first.")
        administrator = User.objects.filter(is_superuser=True).first()  # access: data
        people = {"superuser": administrator or User(is_superuser=True, is_active=True)}  # access: data
        county = Membership.objects.filter(unit__level=0, role=Role.DISPATCHER).select_related("user").first()
        township = Membership.objects.filter(unit__level=1).select_related("user").first()
        if county:
            people["county_dispatcher"] = county.user
        if township:
            people["township_officer"] = township.user
        results = {}
        for label, user in people.items():
            user._grid_scope = None
            scope_units = GridUnit.objects.filter(level=0).first()
            bounds = (scope_units.boundary or {}) if scope_units else {}
            bbox = None
            if bounds:
                from shapely.geometry import shape

                bbox = shape(bounds).bounds
            page = lambda u=user: list(selectors.hazard_list(u, {})[:50])  # noqa: E731
            count = lambda u=user: selectors.hazard_list(u, {}).count()  # noqa: E731
            open_filtered = lambda u=user: list(selectors.hazard_list(u, {"state": "open", "level": "1"})[:50])  # noqa: E731
            results[label] = {
                "list_page": measure(page, repeat),
                "list_count": measure(count, repeat),
                "list_open_red_page": measure(open_filtered, repeat),
                "map_data_county_zoom9": measure(
                    lambda u=user, b=bbox: selectors.map_points(u, {}, bbox=b, zoom=9), repeat
                ),
                "map_data_whole_zoom6": measure(lambda u=user: selectors.map_points(u, {}, zoom=6), repeat),
                "statistics_table": measure(lambda u=user: selectors.statistics_table(u, {}), repeat),
                "dashboard_figures": measure(lambda u=user: selectors.dashboard_figures(u, {}), repeat),
                "monthly_trend": measure(lambda u=user: selectors.monthly_trend(u), repeat),
            }
            self.stdout.write(f"{label}: " + ", ".join(f"{k} {v['median_ms']} ms" for k, v in results[label].items()))
        report = {
            "benchmark": "hazards",
            "at": timezone.now().isoformat(),
            "database": connection.vendor,
            "python": platform.python_version(),
            "hazards": total,
            "units": GridUnit.objects.count(),
            "repeat": repeat,
            "results": results,
        }
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, ensure_ascii=False, indent=2))
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
