"""Every periodic Celery job, declared in one place.

``setup_site`` and beat (``emergency.beat``) copy the missing ones into django-celery-beat's
tables; from then on an administrator can change a schedule (or disable it) in the admin under
周期任务. ``manage.py check`` warns about a declared job missing from the database.
"""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    "core.sweep_outbox": {
        "task": "core.tasks.sweep_outbox",
        "schedule": crontab(),  # every minute: jobs and e-mails left unsent while the broker was away
    },
    "grids.requeue_stale_imports": {
        "task": "grids.tasks.requeue_stale_imports",
        "schedule": crontab(minute="*/5"),
    },
    "dispatch.remind_unacknowledged_warnings": {
        "task": "dispatch.tasks.remind_unacknowledged_warnings",
        "schedule": crontab(),  # every minute: reminders are due 15–60 minutes after delivery
    },
    "dispatch.escalate_warnings": {
        "task": "dispatch.tasks.escalate_warnings",
        "schedule": crontab(),  # every minute: 叫应 steps fall due 10–90 minutes after delivery or the 平安 cut-off
    },
    "delivery.resend_text_messages": {
        "task": "delivery.tasks.resend_text_messages",
        "schedule": crontab(),  # every minute: texts the SMS gateway did not take (it was down)
    },
    "dispatch.flag_late_incident_reports": {
        "task": "dispatch.tasks.flag_late_incident_reports",
        "schedule": crontab(),  # every minute: deadlines are 20 and 40 minutes
    },
    "reports.monthly_reports": {
        "task": "reports.tasks.monthly_reports",
        "schedule": crontab(day_of_month=1, hour=0, minute=20),
    },
    "reports.auto_submit_reports": {
        "task": "reports.tasks.auto_submit_reports",
        "schedule": crontab(hour=0, minute=40),
    },
    "reports.open_consultations": {
        "task": "reports.tasks.open_consultations",
        "schedule": crontab(day_of_month=1, hour=1, minute=0),
    },
    "reports.mark_overdue_countermeasures": {
        "task": "reports.tasks.mark_overdue_countermeasures",
        "schedule": crontab(hour=1, minute=45),
    },
    "hazards.mark_overdue_hazards": {
        "task": "hazards.tasks.mark_overdue_hazards",
        "schedule": crontab(hour=1, minute=30),  # Asia/Shanghai
    },
    "hazards.process_pending_photos": {
        "task": "hazards.tasks.process_pending_photos",
        "schedule": crontab(minute=20),  # hourly: photos whose processing job was lost
    },
    "drills.flag_drills_due": {
        "task": "drills.tasks.flag_drills_due",
        "schedule": crontab(hour=2, minute=10),  # Asia/Shanghai: overdue findings, drills due soon
    },
    "supplies.flag_supplies_due": {
        "task": "supplies.tasks.flag_supplies_due",
        "schedule": crontab(hour=2, minute=30),  # daily: maintenance due, lots expiring, agreements lapsing
    },
    "plans.plan_clock_notices": {
        "task": "plans.tasks.plan_clock_notices",
        "schedule": crontab(hour=2, minute=20),  # daily: evaluations, drills and filings due in 30 days or overdue
    },
    "patrols.patrol_compliance_notices": {
        "task": "patrols.tasks.patrol_compliance_notices",
        "schedule": crontab(hour=2, minute=40),  # daily: patrol windows missed yesterday, to township and village
    },
    "resources.escalate_roll_calls": {
        "task": "resources.tasks.escalate_roll_calls",
        "schedule": crontab(),  # every minute: an unanswered 点名 goes to the unit leader after ROLL_CALL_ESCALATE_MINUTES
    },
    "grids.purge_finished_import_files": {
        "task": "grids.tasks.purge_old_import_files",
        "schedule": crontab(hour=3, minute=17),
    },
}
