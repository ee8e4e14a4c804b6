"""Celery tasks of the incident reports: take nothing or ids, call a service in dispatch.services.incidents.

Schedule (declared by the lead in emergency/schedules.py)::

    "dispatch.flag_late_incident_reports": {
        "task": "dispatch.tasks.flag_late_incident_reports",
        "schedule": crontab(),  # every minute
    },
"""

from __future__ import annotations

from celery import shared_task

__all__ = ["flag_late_incident_reports"]


@shared_task(name="dispatch.tasks.flag_late_incident_reports")
def flag_late_incident_reports() -> dict:
    """Every minute: flag tiers whose phone or written deadline passed without a time, and hand an
    incident to the tiers it has not reached once the written deadline passed. Idempotent."""
    from dispatch.services.incidents import incidents_flag_late

    return incidents_flag_late()
