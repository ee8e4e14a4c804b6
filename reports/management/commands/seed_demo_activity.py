"""``manage.py seed_demo_activity``: bring the demo county to life (hazards, reports, a warning,
incidents, the duty roster), through the services, once: nothing is done if any hazard exists."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.demo_activity import ActivityError, build_activity, state_counts


class Command(BaseCommand):
    help = gettext_lazy(
        "Fill the demo county with activity — hazards in every state, last month's reports, this month's "
        "consultations, a warning in force, incidents and this week's duty roster — when there are no hazards yet."
    )

    def handle(self, *args, **options):
        try:
            result = build_activity()
        except ActivityError as exc:
            raise CommandError(str(exc)) from exc
        if result is None:
            self.stdout.write(_("Hazards already exist: no demo activity was added."))
            return
        states = "、".join(f"{label} {count}" for label, count in state_counts(result))
        lines = [
            _("Demo activity in %(county)s:") % {"county": result.county.name},
            _("hazards: %(total)d (%(states)s); %(overdue)d overdue, %(major)d major, %(supervised)d under supervision")
            % {
                "total": sum(result.hazards.values()),
                "states": states,
                "overdue": result.overdue,
                "major": result.major,
                "supervised": result.supervised,
            },
            _("last month's reports: %(drafts)d drafts, %(submitted)d submitted")
            % {"drafts": result.reports.get("draft", 0), "submitted": result.reports.get("submitted", 0)},
            _("consultations opened: %(count)d, countermeasures: %(measures)d")
            % {"count": result.consultations, "measures": result.countermeasures},
            _("warning in force: %(title)s, acknowledged by %(acknowledged)d of %(units)d units")
            % {
                "title": result.warning.title if result.warning else "—",
                "acknowledged": result.warning_acknowledged,
                "units": result.warning_units,
            },
            _("incidents: %(incidents)d; duty shifts: %(shifts)d; duty log entries: %(entries)d")
            % {"incidents": result.incidents, "shifts": result.shifts, "entries": result.log_entries},
        ]
        self.stdout.write(self.style.SUCCESS(lines[0]))
        for line in lines[1:]:
            self.stdout.write("  " + line)
