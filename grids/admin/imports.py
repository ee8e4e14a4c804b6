"""The admin of import jobs: the log of uploaded spreadsheets."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from grids.admin.base import ReadOnlyPermissionsMixin, ScopedAdmin
from grids.files import import_jobs_for
from grids.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyPermissionsMixin, ScopedAdmin):
    """The log of uploaded spreadsheets (uploads happen on the import page)."""

    list_display = ("dataset", "original_name", "status", "created_by", "created_at")
    list_filter = ("dataset", "status")
    list_select_related = ("created_by",)
    search_fields = ("original_name",)
    fields = (
        "dataset",
        "original_name",
        "file_link",
        "status",
        "created_by",
        "created_at",
        "finished_at",
        "summary",
        "errors_list",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return import_jobs_for(request.user).select_related("created_by")

    @admin.display(description=_("file"))
    def file_link(self, job: ImportJob):
        """The scoped download (never a MEDIA_URL), under the name it was uploaded with."""
        if not job.file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("grids:import_file", args=[job.pk]), job.original_name)

    @admin.display(description=_("errors"))
    def errors_list(self, job: ImportJob):
        if not job.errors:
            return "—"
        items = []
        for error in job.errors:
            if isinstance(error, dict):
                items.append("; ".join(f"{key}: {value}" for key, value in error.items()))
            else:
                items.append(str(error))
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((item,) for item in items)))
