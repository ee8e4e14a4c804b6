"""``manage.py seed_demo_activity``: bring the demo county to life (hazards, reports, a warning,
incidents, the duty roster), through the services, once: nothing is done if the activity exists.

Each app contributes its own part (its ``demo.py``, registered with ``core.registry.register_demo``
from its ``AppConfig.ready()``); this command runs the registered steps in order
(``grids.demo_story.build_activity``) and imports none of them."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grids.demo_story import ActivityError, build_activity


class Command(BaseCommand):
    help = gettext_lazy(
        "Fill the demo county with activity — hazards in every state, last month's reports, this month's "
        "consultations, a warning in force, incidents and this week's duty roster — when there are no hazards yet."
    )

    def handle(self, *args, **options):
        try:
            story = build_activity()
        except ActivityError as exc:
            raise CommandError(str(exc)) from exc
        if story is None:
            self.stdout.write(_("Hazards already exist: no demo activity was added."))
            return
        self.stdout.write(self.style.SUCCESS(_("Demo activity in %(county)s:") % {"county": story.county.name}))
        for line in story.lines:
            self.stdout.write("  " + line)
