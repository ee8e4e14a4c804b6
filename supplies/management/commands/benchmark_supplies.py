"""Add a million ledger rows to the scale grid and time the readiness table through the real view,
next to the one SQL query that computes it; write the figures to JSON.

    manage.py seed_scale --counties 10 --townships 30 --villages 40
    manage.py benchmark_supplies --output var/benchmarks/supplies.json

The largest county of the grid gets a depot at the county, at every township and at every
village (with a location), ten items in a lot each, and ``--rows`` ledger rows spread over those
lots (each a receipt of one piece, the lots' quantities kept equal to their ledger). A second run
adds only what is missing. The readiness table (townships and villages), a depot's page with its
ledger and the nearest usable stock are then timed as the county's dispatcher through the test
client (middleware, view, template), ``--repeat`` times; the JSON holds the median and best
milliseconds and the number of queries of each, and the time of the stock query alone.
"""

from __future__ import annotations

import datetime
import json
import platform
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from grids.models import GridUnit, Membership, Role, User
from supplies.models import Depot, Lot, Movement, SupplyItem
from supplies.selectors.readiness import usable_stock_query

MARK = "benchmark"
ITEMS = ["救生衣", "编织袋", "帐篷", "棉被", "手电", "急救包", "抽水泵", "发电机组", "应急广播", "饮用水"]


def biggest_county() -> GridUnit | None:
    counties = sorted(GridUnit.objects.filter(level=0, is_active=True), key=lambda u: u.rght - u.lft, reverse=True)
    return counties[0] if counties else None


def measure(call, repeat: int) -> dict:
    timings, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
    return {"median_ms": round(statistics.median(timings), 1), "best_ms": round(min(timings), 1), "queries": queries}


class Command(BaseCommand):
    help = "Benchmark the readiness table, a depot's ledger and nearest usable on 1,000,000 ledger rows; write JSON."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.VAR_DIR / "benchmarks" / "supplies.json"))
        parser.add_argument("--rows", type=int, default=1_000_000)
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--build", action="store_true", help="Generate the scale grid when there is none.")

    def handle(self, *args, output: str, rows: int, repeat: int, build: bool, **options):
        county = biggest_county()
        if county is None and build:
            call_command("seed_scale", counties=1, townships=30, villages=40, people=0, no_boundaries=True,
                         stdout=self.stdout)  # fmt: skip
            county = biggest_county()
        if county is None:
            raise CommandError("No grid: run seed_scale first, or pass --build.")
        dispatcher = self._dispatcher(county)
        started = time.perf_counter()
        depots = self._depots(county, dispatcher)
        added = self._ledger(depots, dispatcher, rows)
        fill_seconds = round(time.perf_counter() - started, 1)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE supplies_movement; ANALYZE supplies_lot; ANALYZE supplies_depot")
        self.stdout.write(f"{county.name}: {len(depots)} depots, {added} ledger rows added in {fill_seconds} s")
        results = self._time(county, dispatcher, depots, repeat)
        report = {
            "benchmark": "supplies",
            "at": timezone.now().isoformat(),
            "database": connection.vendor,
            "python": platform.python_version(),
            "county": county.name,
            "units_in_county": county.descendant_total + 1,
            "depots": Depot.objects.filter(unit__tree_id=county.tree_id).count(),
            "lots": Lot.objects.filter(depot__unit__tree_id=county.tree_id).count(),
            "ledger_rows": Movement.objects.count(),
            "ledger_rows_added": added,
            "fill_seconds": fill_seconds,
            "repeat": repeat,
            "results": results,
        }
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, ensure_ascii=False, indent=2))
        for name, figures in results.items():
            self.stdout.write(f"{name}: {figures}")
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))

    def _dispatcher(self, county: GridUnit) -> User:
        found = Membership.objects.filter(unit=county, role=Role.DISPATCHER).select_related("user").first()
        if found:
            return found.user
        user, _created = User.objects.get_or_create(username=f"{MARK}_dispatcher", defaults={"real_name": "压测调度"})
        Membership.objects.get_or_create(user=user, unit=county, role=Role.DISPATCHER)
        return user

    def _depots(self, county: GridUnit, keeper: User) -> list[Depot]:
        """A located depot at the county and at each of its townships and villages (made once)."""
        units = list(GridUnit.objects.within(county).filter(is_active=True, level__lte=2).order_by("tree_id", "lft"))
        have = set(Depot.objects.filter(unit__in=units, capacity_notes=MARK).values_list("unit_id", flat=True))
        new = []
        for n, unit in enumerate(u for u in units if u.pk not in have):
            new.append(Depot(unit=unit, name=f"{unit.name}储备点", kind=Depot.Kind.DEPOT if unit.level == 0 else Depot.Kind.POINT,
                             manager_name="保管员", phone="0776-0000000", capacity_notes=MARK,
                             lat=22 + (n % 300) / 100, lng=105 + (n // 300) / 100))  # fmt: skip
        Depot.objects.bulk_create(new, batch_size=2000)
        depots = list(Depot.objects.filter(unit__in=units, capacity_notes=MARK))
        items = list(SupplyItem.objects.filter(name__in=ITEMS))
        have_lots = set(Lot.objects.filter(depot__in=depots, storage_place=MARK).values_list("depot_id", "item_id"))
        today = timezone.localdate()
        lots = [
            Lot(item=item, depot=depot, quantity=0, storage_place=MARK, received_at=timezone.now(),
                expiry_date=today + datetime.timedelta(days=30 + (depot.pk + item.pk) % 700) if item.shelf_life_days else None)
            for depot in depots for item in items if (depot.pk, item.pk) not in have_lots
        ]  # fmt: skip
        Lot.objects.bulk_create(lots, batch_size=5000)
        return depots

    def _ledger(self, depots: list[Depot], by: User, rows: int) -> int:
        """Receipts of one piece each until the benchmark lots have ``rows`` ledger rows."""
        lots = list(
            Lot.objects.filter(depot__in=depots, storage_place=MARK).order_by("pk").values_list("pk", flat=True)
        )
        have = Movement.objects.filter(document_no=MARK).count()
        missing = rows - have
        if missing <= 0 or not lots:
            return 0
        per_lot = -(-missing // len(lots))
        lots = lots[: -(-missing // per_lot)]
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        """
                        INSERT INTO supplies_movement (lot_id, depot_id, item_id, kind, quantity, balance, by_id, at,
                                                       reason, document_no, recipient)
                        SELECT l.id, l.depot_id, l.item_id, 'in', 1, l.quantity + g, %s,
                               now() - make_interval(mins => (%s - g)), '', %s, ''
                        FROM supplies_lot l CROSS JOIN generate_series(1, %s) g
                        WHERE l.id = ANY(%s)
                        """,
                        [by.pk, per_lot, MARK, per_lot, lots],
                    )
                    added = cursor.rowcount
            else:
                now, added = timezone.now(), 0
                quantities = dict(Lot.objects.filter(pk__in=lots).values_list("pk", "quantity"))
                batch = []
                for lot in Lot.objects.filter(pk__in=lots).only("pk", "depot_id", "item_id"):
                    for g in range(1, per_lot + 1):
                        batch.append(Movement(lot_id=lot.pk, depot_id=lot.depot_id, item_id=lot.item_id, kind="in",
                                              quantity=1, balance=quantities[lot.pk] + g, by=by,
                                              at=now - datetime.timedelta(minutes=per_lot - g), document_no=MARK))  # fmt: skip
                        if len(batch) >= 10_000:
                            Movement.objects.bulk_create(batch)
                            added, batch = added + len(batch), []
                Movement.objects.bulk_create(batch)
                added += len(batch)
            from django.db.models import F

            Lot.objects.filter(pk__in=lots).update(quantity=F("quantity") + per_lot)
        return added

    def _time(self, county: GridUnit, dispatcher: User, depots: list[Depot], repeat: int) -> dict:
        client = Client()
        client.force_login(dispatcher)
        depot = max(depots, key=lambda d: d.movements.count() if d.unit_id == county.pk else -1)
        results = {}
        with override_settings(ALLOWED_HOSTS=["*"]):
            for name, url in (
                ("readiness_townships_view", reverse("supplies:readiness") + "?tier=2"),
                ("readiness_villages_view", reverse("supplies:readiness") + "?tier=3"),
                ("depot_page_with_ledger_view", reverse("supplies:depot_detail", args=[depot.pk])),
                ("nearest_usable_view", reverse("supplies:nearest") + "?lat=23&lng=105.5"),
                ("readiness_map_view", reverse("supplies:map")),
            ):

                def get(url=url):
                    response = client.get(url)
                    if response.status_code != 200:
                        raise CommandError(f"{url} answered {response.status_code}")

                results[name] = measure(get, repeat)
        dispatcher._grid_scope = None
        for tier in (2, 3):
            lots = usable_stock_query(dispatcher, level=tier - 1)
            sql, params = lots.query.sql_with_params()

            def run(sql=sql, params=params):
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    cursor.fetchall()

            results[f"readiness_{'townships' if tier == 2 else 'villages'}_stock_sql"] = {
                **measure(run, repeat),
                "sql": sql,
            }
        return results
