"""The Chinese name and description of every periodic job of ``emergency/schedules.py``, for the
administrators who change or pause them in the admin (周期任务). Keyed by the schedule's name; a
job without an entry shows its code name."""

from django.utils.translation import gettext_lazy as _

JOB_TITLES: dict[str, tuple] = {
    "patrols.patrol_compliance_notices": (
        _("Tell townships of missed patrols"),
        _(
            "Daily 02:40: the patrols the rules asked for that were not made, told once to the township and its villages."
        ),
    ),
    "plans.plan_clock_notices": (
        _("Tell plan owners what falls due"),
        _(
            "Daily 02:20: evaluations, drills and filings of plans due within 30 days or overdue, told once to each owner."
        ),
    ),
    "supplies.flag_supplies_due": (
        _("Flag supplies due for maintenance or expiring"),
        _(
            "Daily 02:30: maintenance due or overdue, lots expiring and agreement reserves lapsing, told once to the owners."
        ),
    ),
    "drills.flag_drills_due": (
        _("Flag drills due and overdue findings"),
        _("Daily 02:10: drills due soon and problems found in drills past their deadline, told once to the owners."),
    ),
    "resources.escalate_roll_calls": (
        _("Escalate unanswered roll calls"),
        _(
            "Every minute: people who have not answered a roll call within ROLL_CALL_ESCALATE_MINUTES are reported to their unit leader, once."
        ),
    ),
    "core.sweep_outbox": (
        _("Send what waits in the outbox"),
        _("Every minute: jobs and e-mails left unsent while the message broker or mail server was away."),
    ),
    "grids.requeue_stale_imports": (
        _("Restart stalled imports"),
        _("Every 5 minutes: imports pending too long (their message was lost) or whose worker died are queued again."),
    ),
    "dispatch.remind_unacknowledged_warnings": (
        _("Remind units that have not acknowledged a warning"),
        _("Every minute: reminds the recipients of a warning not acknowledged in time, then tells the tier above."),
    ),
    "dispatch.escalate_warnings": (
        _("Escalate unanswered warnings and missing safety reports"),
        _(
            "Every minute: red and orange warnings not acknowledged, and villages without their daily safety report, get a text to the officers, then to the leader, then go on the township's call list."
        ),
    ),
    "delivery.resend_text_messages": (
        _("Send again the texts the SMS gateway did not take"),
        _("Every minute: text messages and calls left queued while the SMS gateway was down are tried again."),
    ),
    "dispatch.flag_late_incident_reports": (
        _("Flag late incident reports"),
        _(
            "Every minute: marks incident reports past their first-report or follow-up deadline and tells the tier above."
        ),
    ),
    "reports.monthly_reports": (
        _("Compile the monthly hazard reports"),
        _("On the 1st: opens and compiles the report of every township and village for the month that ended."),
    ),
    "reports.auto_submit_reports": (
        _("Submit overdue monthly reports automatically"),
        _("Daily: drafts past their deadline are submitted, marked automatic."),
    ),
    "reports.open_consultations": (
        _("Open the risk consultations"),
        _("On the 1st: opens the consultations whose period starts, with their briefing."),
    ),
    "reports.mark_overdue_countermeasures": (
        _("Mark overdue countermeasures"),
        _("Daily: countermeasures of the judgement lists past their deadline are marked overdue."),
    ),
    "hazards.mark_overdue_hazards": (
        _("Mark overdue hazards"),
        _("Daily: hazards under rectification past their deadline are marked overdue and their tier is told."),
    ),
    "hazards.process_pending_photos": (
        _("Process waiting hazard photos"),
        _(
            "Hourly: photos sent with a report whose processing (shrinking, removing location data, "
            "thumbnail) has not run yet are processed."
        ),
    ),
    "grids.purge_finished_import_files": (
        _("Delete old import files"),
        _("Daily: uploaded spreadsheets of finished imports are deleted after the days kept."),
    ),
}


def job_title(name: str) -> str:
    """The Chinese (current language) name of the job ``name``, else its code name."""
    entry = JOB_TITLES.get(name)
    return str(entry[0]) if entry else name


def job_description(name: str) -> str:
    """What the job does, in the site's language; empty when unknown."""
    from django.conf import settings
    from django.utils import translation

    entry = JOB_TITLES.get(name)
    if not entry:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        return f"{entry[0]}：{entry[1]}"
