"""First-run set-up used by ``make run``: an administrator and the demo county, once.

Creates the superuser ``admin`` when no superuser exists and prints its generated password once;
loads the demo county, with some months of activity in it, when the database holds no grid unit;
installs the periodic jobs declared in ``emergency/schedules.py`` that the database lacks, before
the worker and beat start (so beat's first start cannot lose one to ``database is locked``).
Running it again does nothing.
"""

import secrets

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from grids.models import GridUnit, User


class Command(BaseCommand):
    help = "Create the first administrator and load the demo county into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Do not load the demo county.")

    def handle(self, *args, no_demo: bool = False, **options):
        password = None
        if not User.objects.filter(is_superuser=True).exists():  # access: data
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser("admin", password=password, real_name="系统管理员")
            self.stdout.write(
                self.style.SUCCESS(
                    _("Administrator created — user name: admin  password: %(password)s") % {"password": password}
                )
            )
            self.stdout.write(
                _("This password is shown only once. Change it in the admin under People after logging in.")
            )
        from emergency.beat import install_schedules

        installed = install_schedules()
        if installed:
            self.stdout.write(_("Periodic jobs installed: %(count)d") % {"count": len(installed)})
        if not no_demo and not GridUnit.objects.exists():
            options = {"password": password} if password else {}
            call_command("seed_demo", stdout=self.stdout, **options)
            call_command("seed_demo_activity", stdout=self.stdout)
            if password:
                self.stdout.write(_("The demo accounts above log in with the administrator's password."))
