"""The evacuation admin: the warning-type → hazard-category rule table is edited here; zones,
households and shelters are read-only and scoped (they change through the import and the services,
``plans.services``). Households' phones and vulnerable persons' notes are not shown in the admin:
they are on the village's own page, for the village and its township only."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from grids.admin.base import ReadOnlyHistoryMixin, ScopedAdmin, ScopedReadOnlyAdmin, SuperuserDeletesMixin
from plans.models import DangerZone, EvacuationTrigger, Household, Shelter


@admin.register(EvacuationTrigger)
class EvacuationTriggerAdmin(SuperuserDeletesMixin, ScopedAdmin):
    list_display = ("warning_type", "category")
    list_filter = ("warning_type",)


class _ReadOnlyHistory(ReadOnlyHistoryMixin, ScopedReadOnlyAdmin, SimpleHistoryAdmin):
    grants_only = False  # the county's departments read the county's lists (not the personal details)


@admin.register(DangerZone)
class DangerZoneAdmin(_ReadOnlyHistory):
    unit_field = "unit"
    list_display = ("name", "category", "unit", "duty_phone")
    list_filter = ("category",)
    list_select_related = ("category", "unit")
    search_fields = ("name",)
    fields = ("unit", "category", "name", "description", "duty_phone")


@admin.register(Shelter)
class ShelterAdmin(_ReadOnlyHistory):
    unit_field = "unit"
    list_display = ("name", "unit", "capacity", "is_open", "manager_name", "manager_phone")
    list_filter = ("is_open",)
    list_select_related = ("unit",)
    search_fields = ("name",)
    fields = (
        "unit",
        "name",
        "place",
        "lng",
        "lat",
        "capacity",
        "manager_name",
        "manager_phone",
        "facilities",
        "is_open",
    )


@admin.register(Household)
class HouseholdAdmin(_ReadOnlyHistory):
    unit_field = "zone__unit"
    list_display = ("head_name", "address", "zone", "persons", "vulnerable", "cadre_name", "shelter")
    list_select_related = ("zone__category", "shelter")
    search_fields = ("head_name", "address")
    fields = ("zone", "head_name", "address", "persons", "vulnerable", "cadre_name", "cadre_phone", "route",
              "shelter", "signal")  # fmt: skip
