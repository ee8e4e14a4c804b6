"""The library admin: cases and regulations read-only and scoped (they change only through the
services, each change with its history); files are reached through the pages."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from grids.admin.base import ReadOnlyHistoryMixin, ScopedReadOnlyAdmin
from library.models import Case, Regulation


@admin.register(Case)
class CaseAdmin(ReadOnlyHistoryMixin, ScopedReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("title", "unit", "source", "incident_type", "drill_form", "occurred_on", "state")
    list_filter = ("state", "source", "drill_form")
    list_select_related = ("unit", "incident_type")
    search_fields = ("title",)


@admin.register(Regulation)
class RegulationAdmin(ReadOnlyHistoryMixin, ScopedReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("title", "kind", "number", "issuer", "issued_on", "status", "unit")
    list_filter = ("kind", "status")
    list_select_related = ("unit",)
    search_fields = ("title", "number", "issuer")
