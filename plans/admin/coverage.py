"""The required-plans rule table (横向到边、纵向到底), edited here with its history."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from grids.admin.base import ScopedAdmin, SuperuserDeletesMixin
from plans.models import RequiredPlan


@admin.register(RequiredPlan)
class RequiredPlanAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("unit_kind", "plan_kind", "only_hazardous", "is_active", "rule")
    list_editable = ("only_hazardous", "is_active")
    list_filter = ("unit_kind", "only_hazardous", "is_active")
    list_select_related = ("plan_kind",)
