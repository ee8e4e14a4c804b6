"""django-celery-beat's periodic-task admin with each job's Chinese name and description
(``emergency.job_titles``) beside its code name: administrators find 编译隐患月报 rather than
``reports.monthly_reports``."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import PeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask

from emergency.job_titles import job_title


class NamedPeriodicTaskAdmin(PeriodicTaskAdmin):
    list_display = ("job", "name", "enabled", "scheduler", "last_run_at", "total_run_count")
    search_fields = ("name", "description", "task")

    @admin.display(description=_("Job"), ordering="name")
    def job(self, obj: PeriodicTask) -> str:
        return job_title(obj.name)


def install(site) -> None:
    if site.is_registered(PeriodicTask):
        site.unregister(PeriodicTask)
    site.register(PeriodicTask, NamedPeriodicTaskAdmin)
