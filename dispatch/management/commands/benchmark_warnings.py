"""Time the delivery of a warning to every unit of a big county and write the figures to JSON.

    manage.py seed_scale --counties 1 --townships 25 --villages 399 --people 0   # or let --build do it
    manage.py benchmark_warnings --output var/benchmarks/warnings.json

The largest county (at least ``--min-units`` units) is used; with ``--build`` and none big enough,
the scale grid is generated first. Draft, issue (delivery), the board and a reminder run happen
inside a transaction that is rolled back, so the database is left as it was and the run repeats.
"""

import datetime
import json
import platform
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from delivery.models import Delivery
from dispatch.models import WarningType
from dispatch.selectors import warnings as warning_selectors
from dispatch.services import warning_reminders as reminders
from dispatch.services import warnings as services
from grids.models import GridUnit, User


class Rollback(Exception):
    pass


def biggest_county(min_units: int) -> GridUnit | None:
    counties = sorted(GridUnit.objects.filter(level=0, is_active=True), key=lambda u: u.rght - u.lft, reverse=True)
    return next((c for c in counties if c.descendant_total + 1 >= min_units), None)


class Command(BaseCommand):
    help = "Benchmark issuing a warning to every unit of a county of 10,000+ units; write JSON."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.VAR_DIR / "benchmarks" / "warnings.json"))
        parser.add_argument("--min-units", type=int, default=10_000)
        parser.add_argument(
            "--build", action="store_true", help="Generate the scale grid when no county is big enough."
        )
        parser.add_argument("--prefix", default="45", help="Province prefix for --build (seed_scale --prefix).")

    def handle(self, *args, output: str, min_units: int, build: bool, prefix: str, **options):
        county = biggest_county(min_units)
        if county is None and build:
            call_command(
                "seed_scale",
                counties=1,
                townships=25,
                villages=399,
                people=0,
                prefix=prefix,
                no_boundaries=True,
                stdout=self.stdout,
            )
            county = biggest_county(min_units)
        if county is None:
            raise CommandError(f"No county with {min_units} units: run seed_scale or pass --build.")
        admin = User(username="benchmark", is_superuser=True, is_active=True)  # access: data
        warning_type = WarningType.objects.filter(code="rainstorm").first() or WarningType.objects.first()
        result = {}
        try:
            with transaction.atomic():
                admin.save()
                now = timezone.now()
                warning = services.warning_draft(
                    by=admin,
                    type=warning_type,
                    level=warning_type.levels[0],
                    title="",
                    content="benchmark",
                    areas=[county],
                    issuer_unit=county,
                    valid_from=now,
                    valid_to=now + datetime.timedelta(hours=6),
                )
                with CaptureQueriesContext(connection) as issue_queries:
                    started = time.perf_counter()
                    warning = services.warning_issue(warning=warning, by=admin)
                    issued_at = time.perf_counter()
                deliveries = Delivery.objects.filter(document_id=warning.document_id).count()
                with CaptureQueriesContext(connection) as board_queries:
                    board_started = time.perf_counter()
                    board = warning_selectors.warning_board(admin, warning)
                    list(board.pending.object_list) if board.pending else None
                    board_done = time.perf_counter()
                with CaptureQueriesContext(connection) as remind_queries:
                    remind_started = time.perf_counter()
                    run = reminders.warning_reminders(now=warning.document.sent_at + datetime.timedelta(hours=2))
                    remind_done = time.perf_counter()
                result = {
                    "county": county.code,
                    "units": county.descendant_total + 1,
                    "deliveries": deliveries,
                    "issue_s": round(issued_at - started, 3),
                    "issue_queries": len(issue_queries.captured_queries),
                    "board_s": round(board_done - board_started, 3),
                    "board_queries": len(board_queries.captured_queries),
                    "reminders_s": round(remind_done - remind_started, 3),
                    "reminders_queries": len(remind_queries.captured_queries),
                    "reminded": run.reminded,
                    "parents_told": run.parents_told,
                    "notices": run.notices,
                }
                raise Rollback
        except Rollback:
            pass
        report = {
            "benchmark": "warnings",
            "at": timezone.now().isoformat(),
            "database": connection.vendor,
            "python": platform.python_version(),
            "results": result,
        }
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, ensure_ascii=False, indent=2))
        self.stdout.write(json.dumps(result, ensure_ascii=False))
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
