"""The plan admin: the rule tables (kinds, filing routes, working-day adjustments) are edited here;
the register (plans, versions, filings) is read-only and scoped — it changes only through the
services (``plans.services``), so its state and history stay together."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from grids.admin.base import ReadOnlyHistoryMixin, ScopedAdmin, ScopedReadOnlyAdmin, SuperuserDeletesMixin
from plans.models import Filing, FilingRoute, Plan, PlanKind, PlanVersion, WorkdayAdjustment


@admin.register(PlanKind)
class PlanKindAdmin(SuperuserDeletesMixin, ScopedAdmin):
    list_display = ("name", "name_en", "code", "is_special", "order", "is_active")
    list_editable = ("order", "is_active")


@admin.register(FilingRoute)
class FilingRouteAdmin(SuperuserDeletesMixin, ScopedAdmin):
    list_display = ("owner_kind", "plan_kind", "receiver", "copy_to_county", "due_workdays", "rule")
    list_filter = ("owner_kind", "receiver")


@admin.register(WorkdayAdjustment)
class WorkdayAdjustmentAdmin(SuperuserDeletesMixin, ScopedAdmin):
    list_display = ("date", "is_workday", "note")
    date_hierarchy = "date"


class _ReadOnlyHistory(ReadOnlyHistoryMixin, ScopedReadOnlyAdmin, SimpleHistoryAdmin):
    grants_only = False  # the county's departments read the county's plans


@admin.register(Plan)
class PlanAdmin(_ReadOnlyHistory):
    unit_field = "unit"
    list_display = ("title", "kind", "unit", "department", "leader_name", "current_version")
    list_filter = ("kind",)
    list_select_related = ("kind", "unit", "department", "current_version")
    search_fields = ("title", "leader_name")
    fields = ("title", "kind", "unit", "department", "lead_department", "leader_name", "contacts", "current_version")


@admin.register(PlanVersion)
class PlanVersionAdmin(_ReadOnlyHistory):
    unit_field = "plan__unit"
    list_display = ("plan", "number", "state", "issued_on", "filing_due", "in_force_since")
    list_filter = ("state",)
    list_select_related = ("plan",)
    fields = ("plan", "number", "state", "summary", "issue_number", "issued_on", "filing_due", "in_force_since",
              "withdrawn_reason")  # fmt: skip


@admin.register(Filing)
class FilingAdmin(_ReadOnlyHistory):
    unit_field = "version__plan__unit"
    list_display = ("version", "receiver_unit", "receiver_department", "state", "number", "late", "filed_at")
    list_filter = ("state", "late")
    list_select_related = ("version__plan", "receiver_unit", "receiver_department")
    fields = ("version", "receiver_unit", "receiver_department", "state", "number", "late", "filed_at",
              "decided_at", "return_reason")  # fmt: skip
