"""Fill the register with many synthetic hazards for benchmarks (e.g. 1,000,000 in the scale grid).

    manage.py seed_scale --counties 10 --townships 30 --villages 40
    manage.py seed_hazards --count 1000000

Hazards are spread over the active tier-3 units, over the last two years, across categories,
states and risk levels, each with a point inside its unit's bounding box. Rows are bulk-inserted
(no history records) past the roll-ups, which are recounted once at the end; numbering sequences are set so later reports continue after them.
"""

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from grids.models import GridUnit, Membership
from hazards import rollup
from hazards.models import Grade, Hazard, HazardCategory, HazardSequence, RiskLevel, State

STATE_WEIGHTS = [
    (State.REPORTED, 8),
    (State.CONFIRMED, 6),
    (State.RECTIFYING, 16),
    (State.AWAITING_ACCEPTANCE, 5),
    (State.CLOSED, 60),
    (State.REJECTED, 5),
]


class Command(BaseCommand):
    help = "Bulk-insert synthetic hazards into the existing grid for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1_000_000)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--tree", type=int, nargs="*", help="Only the trees (counties) with these tree ids.")

    def handle(self, *args, count: int, batch: int, seed: int, tree=None, **options):
        rng = random.Random(seed)
        units = GridUnit.objects.filter(level=2, is_active=True)
        if tree:
            units = units.filter(tree_id__in=tree)
        units = list(units.values("id", "code", "parent_id", "boundary", "location"))
        if not units:
            raise CommandError("No tier-3 units: build a grid first (seed_demo or seed_scale).")
        categories = list(HazardCategory.objects.filter(is_active=True).values("id", "family"))
        reporters = dict(
            Membership.objects.filter(unit_id__in=[u["id"] for u in units]).values_list("unit_id", "user_id")
        )
        fallback_reporter = Membership.objects.values_list("user_id", flat=True).first()
        if fallback_reporter is None:
            raise CommandError("No person holds a role anywhere: seed the grid with people first.")
        boxes = [self._box(unit) for unit in units]
        now = timezone.now()
        states, weights = zip(*STATE_WEIGHTS, strict=True)
        sequences: dict[tuple[int, int], int] = {
            (unit_id, year): last
            for unit_id, year, last in HazardSequence.objects.values_list("unit_id", "year", "last")
        }
        started = time.monotonic()
        created = 0
        while created < count:
            rows = []
            for _ in range(min(batch, count - created)):
                index = rng.randrange(len(units))
                unit, (minx, miny, maxx, maxy) = units[index], boxes[index]
                found_at = now - timedelta(minutes=rng.randrange(0, 730 * 24 * 60))
                year = timezone.localtime(found_at).year
                key = (unit["id"], year)
                sequences[key] = sequences.get(key, 0) + 1
                category = rng.choice(categories)
                state = rng.choices(states, weights)[0]
                deadline = (found_at + timedelta(days=rng.randrange(7, 90))).date()
                overdue = state == State.RECTIFYING and deadline < now.date()
                grade = Grade.MAJOR if rng.random() < 0.03 else Grade.GENERAL
                rows.append(
                    Hazard(
                        number=f"{unit['code']}-{year}-{sequences[key]:06d}",
                        title=f"巡查发现隐患 {created + len(rows) + 1}",
                        family=category["family"],
                        category_id=category["id"],
                        unit_id=unit["id"],
                        owner_unit_id=unit["parent_id"] or unit["id"],
                        lng=rng.uniform(minx, maxx),
                        lat=rng.uniform(miny, maxy),
                        reporter_id=reporters.get(unit["id"], fallback_reporter),
                        found_at=found_at,
                        state=state,
                        grade=grade,
                        risk_level=None if state == State.REPORTED else rng.choice(RiskLevel.values),
                        deadline=deadline if state not in (State.REPORTED, State.CONFIRMED, State.REJECTED) else None,
                        overdue_since=deadline + timedelta(days=1) if overdue else None,
                        closed_at=found_at + timedelta(days=rng.randrange(1, 60))
                        if state in (State.CLOSED, State.REJECTED)
                        else None,
                    )
                )
            with transaction.atomic():
                # Past the roll-ups (a plain QuerySet): they are recounted once at the end, which at
                # a million rows is four times faster than keeping them batch by batch.
                QuerySet(Hazard).bulk_create(rows, batch_size=batch)
            created += len(rows)
            if created % (batch * 20) == 0 or created == count:
                self.stdout.write(f"{created:,} hazards ({time.monotonic() - started:.0f} s)")
        with transaction.atomic():
            for (unit_id, year), last in sequences.items():
                HazardSequence.objects.update_or_create(unit_id=unit_id, year=year, defaults={"last": last})
        counted = rollup.rebuild()
        self.stdout.write(f"Recounted the roll-ups ({counted.get('hazardtally', 0):,} kinds).")
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # the planner's statistics, and the visibility map without which the list's index
            # (hazard_unit_newest) is not read alone: as autovacuum would, some time later
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {Hazard._meta.db_table}")
            self.stdout.write("Vacuumed and analysed the register.")
        total = Hazard.objects.aggregate(n=Max("id"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Inserted {created:,} hazards in {time.monotonic() - started:.1f} s (max id {total['n']})."
            )
        )

    @staticmethod
    def _box(unit: dict) -> tuple[float, float, float, float]:
        from shapely.geometry import shape

        if unit["boundary"]:
            try:
                return shape(unit["boundary"]).bounds
            except (ValueError, TypeError, AttributeError):
                pass
        if unit["location"]:
            x, y = unit["location"]["coordinates"]
            return x - 0.01, y - 0.01, x + 0.01, y + 0.01
        return 106.4, 24.2, 106.8, 24.6
