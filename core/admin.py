"""The outbox in the admin, for administrators: what is waiting for the broker or the mail
server, and why (read-only; the sweep sends it when they are back)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.models import JobFailure, OutboxMessage


class SentFilter(admin.SimpleListFilter):
    title = _("sent")
    parameter_name = "sent"

    def lookups(self, request, model_admin):
        return [("no", _("Waiting")), ("yes", _("Sent"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(sent_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(sent_at__isnull=False)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("task_name", "kind", "created_at", "sent_at", "attempts", "last_error")
    list_filter = (SentFilter, "kind")
    search_fields = ("task_name",)
    readonly_fields = ("kind", "task_name", "args", "kwargs", "created_at", "sent_at", "attempts", "last_error")
    date_hierarchy = "created_at"
    # Seen by the administrator only, and changed by no one: ``grids.admin`` re-registers this
    # admin with ``superuser_only(OutboxMessage, read_only=True)``, since core imports no app and
    # access is decided in ``grids.scope``.


@admin.register(JobFailure)
class JobFailureAdmin(admin.ModelAdmin):
    """Background jobs that failed: administrators only, read-only."""

    list_display = ("task", "unit", "short_error", "occurred_at")
    list_filter = ("task",)
    list_select_related = ("unit",)
    search_fields = ("task", "error", "unit__name")
    date_hierarchy = "occurred_at"
    fields = ("task", "unit", "arguments", "error", "occurred_at")
    readonly_fields = fields

    @admin.display(description=_("error"))
    def short_error(self, failure: JobFailure) -> str:
        first = failure.error.splitlines()[0] if failure.error else ""
        return first[:160]

    # Administrators only and read-only: ``grids.admin`` re-registers it with
    # ``superuser_only(JobFailure, read_only=True, deletes=False)``, as it does the outbox.
