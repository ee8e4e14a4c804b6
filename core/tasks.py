"""The task base every app's jobs use (``RecordedTask``: failures kept for administrators) and the
Celery tasks of the outbox. Schedule (emergency/schedules.py): ``sweep_outbox`` every minute."""

from __future__ import annotations

from celery import Task, shared_task

from core import services


class RecordedTask(Task):
    """A task whose failures are kept in the database (admin: 后台任务失败记录)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from core.models import JobFailure

        JobFailure.objects.create(
            task=self.name,
            unit_id=kwargs.get("unit_id"),
            arguments={"args": list(args), "kwargs": kwargs},
            error=f"{type(exc).__name__}: {exc}\n\n{einfo}",
        )


@shared_task(name="core.tasks.send_outbox_email")
def send_outbox_email(outbox_id: int) -> int:
    """Send one e-mail batch of the outbox; a second run sends nothing."""
    return services.send_email(outbox_id=outbox_id)


@shared_task(name="core.tasks.sweep_outbox")
def sweep_outbox() -> dict[str, int]:
    """Every minute: publish the jobs and send the e-mails left behind while the broker was away."""
    return services.sweep()
