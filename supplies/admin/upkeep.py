"""The admin of agreement reserves, maintenance records and stock-takes: read-only and scoped —
they change only through the services (``supplies.services``), which check the owner's rights."""

from __future__ import annotations

from django.contrib import admin

from grids.admin.base import ScopedReadOnlyAdmin
from supplies.admin.stock import _ReadOnly
from supplies.models import AgreementLine, AgreementReserve, MaintenanceRecord, StockTake, StockTakeLine


class AgreementLineInline(admin.TabularInline):
    model = AgreementLine
    extra = 0
    can_delete = False
    readonly_fields = ("item", "quantity")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AgreementReserve)
class AgreementReserveAdmin(_ReadOnly):
    list_display = (
        "supplier",
        "unit",
        "method",
        "contract_no",
        "valid_from",
        "valid_until",
        "response_hours",
        "is_active",
    )
    list_filter = ("method", "reserve_mode", "is_active")
    list_select_related = ("unit",)
    search_fields = ("supplier", "contract_no")
    inlines = [AgreementLineInline]


@admin.register(MaintenanceRecord)
class MaintenanceRecordAdmin(ScopedReadOnlyAdmin):
    grants_only = False
    unit_field = "lot__depot__unit"
    list_display = ("done_on", "lot", "kind", "result", "next_due", "by")
    list_filter = ("kind", "result")
    list_select_related = ("lot__item", "lot__depot", "by")


class StockTakeLineInline(admin.TabularInline):
    model = StockTakeLine
    extra = 0
    can_delete = False
    readonly_fields = ("lot", "expected", "counted")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StockTake)
class StockTakeAdmin(_ReadOnly):
    unit_field = "depot__unit"
    list_display = ("__str__", "depot", "state", "counted_by", "counted_at", "decided_by")
    list_filter = ("state",)
    list_select_related = ("depot", "counted_by", "decided_by")
    inlines = [StockTakeLineInline]
