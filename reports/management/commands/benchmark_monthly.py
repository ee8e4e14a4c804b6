"""Time the monthly hazard-report job on a big grid and write the figures to a JSON file.

    manage.py seed_scale --counties 10 --townships 30 --villages 40
    manage.py seed_hazards --count 1000000
    manage.py benchmark_monthly --output var/benchmarks/monthly.json

The job runs for last month inside a transaction that is rolled back, so the database is left as
it was and the run can be repeated.
"""

import json
import platform
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.periods import previous_month
from grids.models import GridUnit
from hazards.models import Hazard
from reports import services
from reports.models import MonthlyReport


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark the monthly report job (open + compile + auto-submit) and write JSON."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.VAR_DIR / "benchmarks" / "monthly.json"))

    def handle(self, *args, output: str, **options):
        today = timezone.localdate()
        period = previous_month(today)
        result = {}
        try:
            with transaction.atomic():
                MonthlyReport.objects.filter(period=period).delete()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    opened = services.monthly_reports_open(period=period)
                    opened_at = time.perf_counter()
                    compiled = services.monthly_reports_compile(period=period)
                    compiled_at = time.perf_counter()
                    submitted = services.monthly_reports_auto_submit(today=today.replace(day=28))
                    submitted_at = time.perf_counter()
                result = {
                    "reports_opened": opened,
                    "reports_compiled": compiled,
                    "reports_auto_submitted": submitted,
                    "open_s": round(opened_at - started, 2),
                    "compile_s": round(compiled_at - opened_at, 2),
                    "auto_submit_s": round(submitted_at - compiled_at, 2),
                    "total_s": round(submitted_at - started, 2),
                    "queries": len(captured.captured_queries),
                }
                raise Rollback
        except Rollback:
            pass
        report = {
            "benchmark": "monthly_reports",
            "at": timezone.now().isoformat(),
            "period": period.isoformat(),
            "database": connection.vendor,
            "python": platform.python_version(),
            "hazards": Hazard.objects.count(),
            "units": GridUnit.objects.count(),
            "results": result,
        }
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, ensure_ascii=False, indent=2))
        self.stdout.write(json.dumps(result, ensure_ascii=False))
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
