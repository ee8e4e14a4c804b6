"""The supplies admin: the rule tables (catalogue, categories, classes, norms) are edited here, and
depots (the register of places); lots, the ledger and transfers are read-only and scoped — stock
changes only through the services, each change with its ledger row."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from grids.admin.base import ReadOnlyHistoryMixin, ScopedAdmin, ScopedReadOnlyAdmin, SuperuserDeletesMixin
from grids.scope import scope_for
from supplies.models import Depot, Lot, Movement, ReserveNorm, SupplyCategory, SupplyClass, SupplyItem, Transfer


@admin.register(SupplyClass)
class SupplyClassAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("code", "name", "name_en")


@admin.register(SupplyCategory)
class SupplyCategoryAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "name_en", "order")
    list_editable = ("order",)


@admin.register(SupplyItem)
class SupplyItemAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("code", "name", "spec", "unit_of_measure", "category", "group", "shelf_life_days",
                    "maintenance_interval_days", "is_active")  # fmt: skip
    list_filter = ("supply_class", "category", "group", "needs_maintenance", "is_active")
    list_select_related = ("category",)
    search_fields = ("code", "name")


@admin.register(ReserveNorm)
class ReserveNormAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("tier", "unit_kind", "item", "quantity", "per_thousand", "rule")
    list_filter = ("tier",)
    list_select_related = ("item",)


@admin.register(Depot)
class DepotAdmin(ReadOnlyHistoryMixin, SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    """Depots of the units the person holds roles over (department staff see none here); the
    owner unit's choices are scoped (``ScopedChoicesMixin``)."""

    def get_queryset(self, request):
        return scope_for(request.user).filter(super().get_queryset(request), "unit", grants_only=True)

    list_display = ("name", "unit", "kind", "reserve_mode", "manager_name", "phone", "is_active")
    list_filter = ("kind", "reserve_mode", "is_active")
    list_select_related = ("unit",)
    search_fields = ("name", "manager_name")


class _ReadOnly(ReadOnlyHistoryMixin, ScopedReadOnlyAdmin, SimpleHistoryAdmin):
    grants_only = False  # the county's departments read the county's stock


@admin.register(Lot)
class LotAdmin(_ReadOnly):
    unit_field = "depot__unit"
    list_display = ("item", "depot", "quantity", "expiry_date", "source", "under_maintenance")
    list_filter = ("source", "under_maintenance")
    list_select_related = ("item", "depot")


@admin.register(Movement)
class MovementAdmin(ScopedReadOnlyAdmin):
    grants_only = False
    unit_field = "depot__unit"
    list_display = ("at", "depot", "item", "kind", "quantity", "balance", "by", "document_no")
    list_filter = ("kind",)
    list_select_related = ("depot", "item", "by")


@admin.register(Transfer)
class TransferAdmin(_ReadOnly):
    unit_field = "to_unit"
    list_display = ("number", "source_unit", "to_unit", "state", "urgency", "requested_at")
    list_filter = ("state", "urgency")
    list_select_related = ("source_unit", "to_unit")
