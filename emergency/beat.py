"""The beat scheduler: django-celery-beat's, installing ``emergency.schedules.BEAT_SCHEDULE``
once. The stock scheduler rewrites every declared entry at each start, which would undo what an
administrator changed in the admin (周期任务); this one only adds the entries that are missing."""

from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler


class EditableScheduler(DatabaseScheduler):
    def update_from_dict(self, mapping):
        existing = set(PeriodicTask.objects.filter(name__in=list(mapping)).values_list("name", flat=True))
        super().update_from_dict({name: entry for name, entry in mapping.items() if name not in existing})
