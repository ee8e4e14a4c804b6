"""Time the monthly hazard-report job against its SQL floor on a big grid; write the figures to JSON.

    manage.py seed_scale --counties 10 --townships 30 --villages 40
    manage.py seed_hazards --count 1000000
    manage.py benchmark_monthly --runs 7 --output var/benchmarks/monthly.json

Each run times the real job (``services.monthly_job`` on the first of this month: every report of
last month written, final, with its figures) inside a transaction that is rolled back, so the
database is left as it was; interleaved with it, the job's **SQL floor**: the one GROUP BY over
the hazards that computes the same counts (``reports.monthly.floor_sql``), its rows fetched.
Medians, p95 and the ratio job ÷ floor go to the JSON file.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.periods import month_start, previous_month
from grids.models import GridUnit
from hazards.models import Hazard
from reports import monthly, services
from reports.models import MonthlyReport


class Rollback(Exception):
    pass


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Benchmark the monthly report job against its SQL floor (interleaved) and write JSON."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=7, help="Runs of the job and of its floor (interleaved).")
        parser.add_argument("--output", default=str(settings.VAR_DIR / "benchmarks" / "monthly.json"))

    def handle(self, *args, runs: int, output: str, **options):
        today = timezone.localdate()
        period = previous_month(today)
        job_s: list[float] = []
        floor_s: list[float] = []
        job: dict = {}
        for run in range(runs):
            job = self._job(today=month_start(today), period=period)
            job_s.append(job["seconds"])
            floor_s.append(self._floor(period))
            self.stdout.write(f"run {run + 1}/{runs}: job {job_s[-1]:.2f} s, floor {floor_s[-1]:.2f} s")
        job_median, floor_median = statistics.median(job_s), statistics.median(floor_s)
        report = {
            "benchmark": "monthly_reports",
            "at": timezone.now().isoformat(),
            "period": period.isoformat(),
            "database": connection.vendor,
            "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg(), "python": platform.python_version()},
            "hazards": Hazard.objects.count(),
            "units": GridUnit.objects.count(),
            "runs": runs,
            "reports_written": job["opened"],
            "queries": job["queries"],
            "job_s": {"median": round(job_median, 3), "p95": round(p95(job_s), 3), "all": [round(s, 3) for s in job_s]},
            "floor_s": {
                "median": round(floor_median, 3),
                "p95": round(p95(floor_s), 3),
                "all": [round(s, 3) for s in floor_s],
                "rows": self._floor_rows,
            },
            "ratio": {"median": round(job_median / floor_median, 2), "p95": round(p95(job_s) / p95(floor_s), 2)},
        }
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, ensure_ascii=False, indent=2))
        self.stdout.write(json.dumps({k: report[k] for k in ("reports_written", "job_s", "floor_s", "ratio")}))
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))

    def _job(self, *, today, period) -> dict:
        result: dict = {}
        try:
            with transaction.atomic():
                MonthlyReport.objects.filter(period=period).delete()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    counts = services.monthly_job(today=today)
                    seconds = time.perf_counter() - started
                result = counts | {"seconds": seconds, "queries": len(captured.captured_queries)}
                raise Rollback
        except Rollback:
            pass
        return result

    _floor_rows = 0

    def _floor(self, period) -> float:
        sql, params = monthly.floor_sql(), monthly.floor_params(period)
        with transaction.atomic(), connection.cursor() as cursor:
            monthly.tune(cursor)  # the job's settings (memory, no JIT): the floor is the best the database does
            started = time.perf_counter()
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            seconds = time.perf_counter() - started
        self._floor_rows = len(rows)
        return seconds
