"""Time the register's pages through the whole request stack, next to their floors, and write JSON.

    manage.py seed_scale --counties 10 --townships 30 --villages 40
    manage.py seed_hazards --count 300000          # or 1000000
    psql "$DATABASE_URL" -c ANALYZE
    manage.py benchmark_pages --runs 20 --output var/benchmarks/pages.json

Three people of the scale grid (a county dispatcher, a township grid officer, a village
information officer) open, through Django's test client (every middleware, the session, the
login, the template), the hazard list, the risk map's data, the statistics table, the dashboard
(its trend included) and the board of a warning issued to the county. Interleaved with each page
in the same run: its **SQL floor** (one hand-written query answering the same question, e.g. the
page of fifty with the total as a scalar subquery) and the **bare-view floor** (a view behind the same
middleware and login that returns as many bytes as the page did). Medians and p95 of ``--runs``
runs, queries per page, and the ratio page ÷ (SQL floor + bare view).

Everything happens in a transaction that is rolled back: the warning, its deliveries and the
sessions are gone afterwards, and nothing is sent (the outbox publishes only after a commit).
This module doubles as the URLconf of the run (the bare view beside the site's own URLs).
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path, reverse
from django.utils import timezone

from dispatch.models import WarningType
from dispatch.services import warnings as warning_services
from grids.models import GridUnit, Membership, Role, User
from hazards.models import Hazard

PERSONAS = {
    "county_dispatcher": (0, Role.DISPATCHER),
    "township_officer": (1, Role.GRID_OFFICER),
    "village_officer": (2, Role.INFORMATION_OFFICER),
}
OPEN = "('reported', 'confirmed', 'rectifying', 'awaiting')"
MAP_ZOOM = 9


@login_required
def bare(request, size: int):
    """The floor of the stack: the same middleware, session and login, no work, ``size`` bytes."""
    return HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")


urlpatterns = [
    path("__benchmark__/bare/<int:size>/", bare, name="benchmark_bare"),
    path("", include(settings.ROOT_URLCONF)),
]


class Rollback(Exception):
    pass


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _summary(timings: list[float]) -> dict:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {"median_ms": _ms(statistics.median(ordered)), "p95_ms": _ms(p95), "best_ms": _ms(ordered[0])}


# --- the SQL floors: one hand-written statement per page ---------------------------------------

SCOPE = "SELECT id FROM grids_gridunit WHERE tree_id = %(tree)s AND lft >= %(lft)s AND rght <= %(rght)s"

LIST_SQL = f"""
SELECT h.id, h.number, h.title, h.unit_id, u.name, c.name, h.grade, h.risk_level, h.state, h.deadline,
       h.overdue_since, h.supervised, (SELECT count(*) FROM hazards_hazard WHERE unit_id IN ({SCOPE})) AS total
FROM hazards_hazard h JOIN grids_gridunit u ON u.id = h.unit_id JOIN hazards_hazardcategory c ON c.id = h.category_id
WHERE h.unit_id IN ({SCOPE})
ORDER BY h.found_at DESC, h.id DESC LIMIT 50"""  # noqa: S608 (constant SQL, the values are parameters)

MAP_POINTS_SQL = f"""
SELECT id, number, title, risk_level, state, lng, lat, overdue_since FROM hazards_hazard
WHERE unit_id IN ({SCOPE}) AND lng IS NOT NULL AND lat IS NOT NULL LIMIT %(limit)s"""  # noqa: S608 (constant SQL, the values are parameters)

MAP_BUCKETS_SQL = f"""
SELECT floor(lng / %(cell)s), floor(lat / %(cell)s), count(*), min(risk_level), avg(lng), avg(lat)
FROM hazards_hazard WHERE unit_id IN ({SCOPE}) AND lng IS NOT NULL AND lat IS NOT NULL GROUP BY 1, 2"""  # noqa: S608 (constant SQL, the values are parameters)

STATISTICS_SQL = f"""
SELECT a.id, h.category_id, count(*), count(*) FILTER (WHERE h.state IN {OPEN}),
       count(*) FILTER (WHERE h.state = 'rectifying' AND h.overdue_since IS NOT NULL),
       count(*) FILTER (WHERE h.state = 'closed')
FROM hazards_hazard h JOIN grids_gridunit u ON u.id = h.unit_id
JOIN grids_gridunit a ON a.tree_id = u.tree_id AND u.lft BETWEEN a.lft AND a.rght
     AND (a.parent_id = %(root)s OR (a.id = %(root)s AND u.id = %(root)s))
WHERE h.unit_id IN ({SCOPE})
GROUP BY 1, 2"""  # noqa: S608 (constant SQL, the values are parameters)

DASHBOARD_SQL = f"""
WITH s AS MATERIALIZED (
    SELECT state, grade, risk_level, supervised, overdue_since, found_at, closed_at
    FROM hazards_hazard WHERE unit_id IN ({SCOPE}))
SELECT 'figures', NULL, count(*), count(*) FILTER (WHERE state = 'rejected'), count(*) FILTER (WHERE state = 'closed'),
       count(*) FILTER (WHERE state IN {OPEN}), count(*) FILTER (WHERE state IN {OPEN} AND risk_level = 1),
       count(*) FILTER (WHERE state IN {OPEN} AND risk_level = 2), count(*) FILTER (WHERE state IN {OPEN} AND risk_level = 3),
       count(*) FILTER (WHERE state IN {OPEN} AND risk_level = 4), count(*) FILTER (WHERE state IN {OPEN} AND risk_level IS NULL),
       count(*) FILTER (WHERE state IN {OPEN} AND grade = 'major'), count(*) FILTER (WHERE state IN {OPEN} AND supervised),
       count(*) FILTER (WHERE state = 'rectifying' AND overdue_since IS NOT NULL),
       count(*) FILTER (WHERE found_at >= %(month)s), count(*) FILTER (WHERE state = 'closed' AND closed_at >= %(month)s)
FROM s
UNION ALL
SELECT 'reported', date_trunc('month', found_at AT TIME ZONE 'Asia/Shanghai'), count(*),
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM s WHERE found_at >= %(year)s GROUP BY 2
UNION ALL
SELECT 'closed', date_trunc('month', closed_at AT TIME ZONE 'Asia/Shanghai'), count(*),
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM s WHERE state = 'closed' AND closed_at >= %(year)s GROUP BY 2"""  # noqa: S608 (constant SQL, the values are parameters)

BOARD_SQL = f"""
SELECT u.level, count(*), count(*) FILTER (WHERE d.state = 'receipted'),
       (array_agg(u.code ORDER BY u.level, u.code) FILTER (WHERE d.state <> 'receipted'))[1:50]
FROM delivery_delivery d JOIN grids_gridunit u ON u.id = d.recipient_unit_id
WHERE d.document_id = %(document)s AND d.recipient_unit_id IN ({SCOPE})
GROUP BY 1"""  # noqa: S608 (constant SQL, the values are parameters)


class Command(BaseCommand):
    help = "Benchmark the register's pages through the full request stack beside their SQL and bare-view floors."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.VAR_DIR / "benchmarks" / "pages.json"))
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--machine", default="", help="A description of the machine for the report.")
        parser.add_argument(
            "--pages",
            nargs="*",
            default=[],
            help="Only these pages (hazard_list map_data statistics dashboard warning_board).",
        )

    def handle(self, *args, output: str, runs: int, machine: str, pages: list[str], **options):
        if connection.vendor != "postgresql":
            raise CommandError("The page benchmark needs PostgreSQL (the floors are PostgreSQL SQL).")
        hazards = Hazard.objects.count()
        if not hazards:
            raise CommandError("The register is empty: run seed_scale and seed_hazards first.")
        people = self._personas()
        report = {}
        try:
            with (
                override_settings(ROOT_URLCONF=__name__, DEBUG=False, ALLOWED_HOSTS=["testserver"]),
                transaction.atomic(),
            ):
                warning = self._warning(people["county_dispatcher"][1])
                with connection.cursor() as cursor:  # the run's deliveries counted (a seeded grid has none
                    # until this warning; production's tables have their statistics), as autovacuum would
                    cursor.execute("ANALYZE delivery_delivery, delivery_document, dispatch_warning")
                report = self._run(people, warning, runs, only=set(pages))
                raise Rollback
        except Rollback:
            pass
        result = {
            "benchmark": "pages",
            "at": timezone.now().isoformat(),
            "machine": machine or f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
            "database": f"PostgreSQL {connection.pg_version // 10000}",
            "python": platform.python_version(),
            "hazards": hazards,
            "units": GridUnit.objects.count(),
            "runs": runs,
            "results": report,
        }
        target = Path(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(result, ensure_ascii=False, indent=2))
        for persona, pages in report.items():
            for name, row in pages.items():
                self.stdout.write(
                    f"{persona:18} {name:13} page {row['page']['median_ms']:8} ms ({row['queries']} queries)  "
                    f"SQL {row['sql_floor']['median_ms']:7} ms  bare {row['bare_floor']['median_ms']:6} ms  "
                    f"ratio {row['ratio']}"
                )
        self.stdout.write(self.style.SUCCESS(f"Wrote {target}"))

    # --- set-up ---------------------------------------------------------------------------------

    def _personas(self) -> dict[str, tuple[User, GridUnit]]:
        people = {}
        for persona, (level, role) in PERSONAS.items():
            membership = (
                Membership.objects.active()
                .filter(unit__level=level, role=role, unit__is_active=True, user__is_active=True)
                .select_related("user", "unit")
                .order_by("unit__tree_id", "unit__lft")
                .first()
            )
            if membership is None:
                raise CommandError(f"No {role} at tier {level + 1}: build the grid with seed_scale.")
            people[persona] = (membership.user, membership.unit)
        return people

    def _warning(self, county: GridUnit):
        administrator = {"is_superuser": True}  # access: data (the run's issuer, rolled back with it)
        issuer = User.objects.create(username=f"benchmark-{time.time_ns()}", is_active=True, **administrator)
        kind = WarningType.objects.filter(code="rainstorm").first() or WarningType.objects.first()
        now = timezone.now()
        draft = warning_services.warning_draft(
            by=issuer,
            type=kind,
            level=kind.levels[0],
            title="",
            content="benchmark",
            areas=[county],
            issuer_unit=county,
            valid_from=now,
            valid_to=now + datetime.timedelta(hours=6),
        )
        return warning_services.warning_issue(warning=draft, by=issuer)

    def _pages(self, unit: GridUnit, warning) -> dict[str, str]:
        return {
            "hazard_list": reverse("hazards:list"),
            "map_data": f"{reverse('hazards:map_data')}?zoom={MAP_ZOOM}",
            "statistics": reverse("hazards:statistics"),
            "dashboard": reverse("hazards:dashboard"),
            "warning_board": reverse("dispatch:warning_board", args=[warning.pk]),
        }

    def _floor(self, name: str, unit: GridUnit, warning, mode: str | None):
        from hazards.selectors import bucket_size, map_point_limit

        local = timezone.localtime()
        month = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        year = (month - datetime.timedelta(days=335)).replace(day=1)
        params = {
            "tree": unit.tree_id,
            "lft": unit.lft,
            "rght": unit.rght,
            "root": unit.pk,
            "limit": map_point_limit() + 1,
            "cell": bucket_size(MAP_ZOOM),
            "month": month,
            "year": year,
            "document": warning.document_id,
        }
        sql = {
            "hazard_list": LIST_SQL,
            "map_data": MAP_BUCKETS_SQL if mode == "clusters" else MAP_POINTS_SQL,
            "statistics": STATISTICS_SQL,
            "dashboard": DASHBOARD_SQL,
            "warning_board": BOARD_SQL,
        }[name]

        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        return run

    # --- the run --------------------------------------------------------------------------------

    def _run(self, people, warning, runs: int, only: set[str] = frozenset()) -> dict:
        clients, plan = {}, []
        for persona, (user, unit) in people.items():
            client = Client()
            client.force_login(user)
            clients[persona] = client
            for name, url in self._pages(unit, warning).items():
                if only and name not in only:
                    continue
                first = client.get(url)  # warm: templates, the scope, the plan cache
                if first.status_code != 200:
                    raise CommandError(f"{persona} {url}: {first.status_code}")
                with CaptureQueriesContext(connection) as counted:
                    response = client.get(url)
                mode = response.json().get("mode") if name == "map_data" else None
                plan.append(
                    {
                        "persona": persona,
                        "name": name,
                        "url": url,
                        "bytes": len(response.content),
                        "queries": len(counted.captured_queries),
                        "mode": mode,
                        "floor": self._floor(name, unit, warning, mode),
                        "bare": f"/__benchmark__/bare/{len(response.content)}/",
                        "timings": {"page": [], "sql_floor": [], "bare_floor": []},
                    }
                )
        for _run in range(runs):  # interleaved: page, its SQL floor, its bare view, next page …
            for row in plan:
                client = clients[row["persona"]]
                for kind, call in (
                    ("page", lambda c=client, u=row["url"]: c.get(u)),
                    ("sql_floor", row["floor"]),
                    ("bare_floor", lambda c=client, u=row["bare"]: c.get(u)),
                ):
                    started = time.perf_counter()
                    call()
                    row["timings"][kind].append(time.perf_counter() - started)
        report: dict[str, dict] = {}
        for row in plan:
            page, sql, bare_view = (_summary(row["timings"][k]) for k in ("page", "sql_floor", "bare_floor"))
            floor = sql["median_ms"] + bare_view["median_ms"]
            report.setdefault(row["persona"], {})[row["name"]] = {
                "url": row["url"],
                "bytes": row["bytes"],
                "queries": row["queries"],
                **({"map_mode": row["mode"]} if row["mode"] else {}),
                "page": page,
                "sql_floor": sql,
                "bare_floor": bare_view,
                "ratio": round(page["median_ms"] / floor, 2) if floor else None,
            }
        return report
