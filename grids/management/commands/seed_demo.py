"""``manage.py seed_demo``: build the demo county 凌云县 when the grid is empty."""

import secrets

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grids.demo import SeedError, build_demo


class Command(BaseCommand):
    help = gettext_lazy(
        "Build the demo county (凌云县: townships, an industrial park, villages, departments and people) "
        "when there are no grid units yet. Always builds the same county."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default="",
            help=gettext_lazy("Password of the demo accounts; a random one is generated and printed if omitted."),
        )

    def handle(self, *args, password: str = "", **options):
        generated = not password
        if generated:
            password = secrets.token_urlsafe(9)
        try:
            result = build_demo(password=password)
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        if result is None:
            self.stdout.write(_("Grid units already exist: the demo county was not built."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Built %(county)s: %(units)d grid units, %(departments)d departments, "
                    "%(people)d people, %(memberships)d roles."
                )
                % {
                    "county": result.county.name,
                    "units": result.units,
                    "departments": result.departments,
                    "people": result.people,
                    "memberships": result.memberships,
                }
            )
        )
        self.stdout.write(_("Demo accounts:"))
        for username, role, where in result.personas:
            self.stdout.write(f"  {username:<20} {role} · {where}")
        if generated:
            self.stdout.write(_("Their password (shown once): %(password)s") % {"password": password})
