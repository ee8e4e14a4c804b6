"""``manage.py seed_scale``: a large generated grid for benchmarks, bulk-inserted in minutes."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grids.demo import SeedError, build_scale


class Command(BaseCommand):
    help = gettext_lazy(
        "Generate counties × townships × villages grid units (county codes PP9901, PP9902 …) with people, "
        "for benchmarks. Refuses to run if one of those county codes exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--counties", type=int, default=10, help=gettext_lazy("Number of counties (1–99)."))
        parser.add_argument("--townships", type=int, default=30, help=gettext_lazy("Townships per county (1–500)."))
        parser.add_argument("--villages", type=int, default=40, help=gettext_lazy("Villages per township (1–399)."))
        parser.add_argument(
            "--people", type=int, default=2, help=gettext_lazy("People per village (0 for no people at all).")
        )
        parser.add_argument(
            "--prefix", default="45", help=gettext_lazy("Two-digit province prefix of the county codes.")
        )
        parser.add_argument(
            "--no-boundaries", action="store_true", help=gettext_lazy("Leave boundaries and locations empty.")
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            result = build_scale(
                counties=options["counties"],
                townships=options["townships"],
                villages=options["villages"],
                people=options["people"],
                prefix=options["prefix"],
                boundaries=not options["no_boundaries"],
            )
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Created %(units)d grid units in %(counties)d counties (%(first)s–%(last)s), "
                    "%(people)d people and %(memberships)d roles in %(seconds).1f s."
                )
                % {
                    "units": result.units,
                    "counties": len(result.county_codes),
                    "first": result.county_codes[0],
                    "last": result.county_codes[-1],
                    "people": result.people,
                    "memberships": result.memberships,
                    "seconds": time.monotonic() - started,
                }
            )
        )
