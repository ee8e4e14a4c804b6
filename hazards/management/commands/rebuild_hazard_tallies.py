"""Recount the hazard roll-ups (``hazards.rollup``) from the register, or check them.

manage.py rebuild_hazard_tallies           # recount both tables in one transaction
manage.py rebuild_hazard_tallies --check   # list what the stored counts get wrong; exit 1 if any
"""

import sys
import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hazards import rollup


class Command(BaseCommand):
    help = "Recount the hazard roll-ups from the register (or, with --check, compare them with it)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help=gettext_lazy("Compare only; exit 1 when a count is wrong.")
        )

    def handle(self, *args, check: bool = False, **options):
        started = time.monotonic()
        if check:
            wrong = rollup.differences()
            for line in wrong[:200]:
                self.stdout.write(line)
            if wrong:
                self.stdout.write(
                    self.style.ERROR(_("%(count)s roll-up rows differ from the register.") % {"count": len(wrong)})
                )
                sys.exit(1)
            self.stdout.write(self.style.SUCCESS(_("The roll-ups match the register.")))
            return
        written = rollup.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                _("Recounted the roll-ups: %(tally)s kinds, %(months)s months, %(cells)s map cells in %(seconds).1f s.")
                % {
                    "tally": written.get("hazardtally", 0),
                    "months": written.get("hazardmonthtally", 0),
                    "cells": written.get("hazardmaptally", 0),
                    "seconds": time.monotonic() - started,
                }
            )
        )
