"""System check (``manage.py check``): every periodic job declared for beat is in the database.

Beat installs the declared schedules (``emergency/beat.py``), and so does ``setup_site``; a job
that failed to install (SQLite's ``database is locked`` on a first start) would otherwise never
run, silently. Skipped when the database is unreachable or not migrated yet."""

from __future__ import annotations

from django.core import checks
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

BEAT_TABLE = "django_celery_beat_periodictask"


@checks.register("celery")
def declared_schedules_installed(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from celery import current_app

    app = current_app._get_current_object()
    app.finalize()  # the project's Celery app reads its declared schedules when finalized
    declared = set(app.conf.beat_schedule or {})
    if not declared:
        return []
    try:
        if BEAT_TABLE not in connection.introspection.table_names():
            return []
        from django_celery_beat.models import PeriodicTask

        installed = set(PeriodicTask.objects.filter(name__in=sorted(declared)).values_list("name", flat=True))
    except (DatabaseError, RuntimeError):  # unreachable, or not to be touched (pytest-django)
        return []
    return [
        checks.Warning(
            _("The periodic job %(name)s is declared but not installed in the database: it never runs.")
            % {"name": name},
            hint=_("Run “manage.py setup_site” or start beat again: both install the missing jobs."),
            obj=name,
            id="core.W001",
        )
        for name in sorted(declared - installed)
    ]
