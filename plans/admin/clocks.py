"""The clocks in the admin: the clock rules and the high-risk enterprise list are edited here (the
list by an administrator only: it names enterprises across the county); evaluations, drills and
revision triggers are read-only and scoped — they change only through ``plans.services.clocks``."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from grids.admin.base import ScopedAdmin, SuperuserDeletesMixin
from grids.scope import is_administrator
from plans.admin.ledger import _ReadOnlyHistory
from plans.models import ClockRule, HighRiskUnit, PlanDrill, PlanEvaluation, RevisionTrigger


@admin.register(ClockRule)
class ClockRuleAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("clock", "owner_kind", "plan_kind", "high_risk_only", "months", "rule", "is_active")
    list_filter = ("clock", "owner_kind", "high_risk_only", "is_active")
    list_editable = ("months", "is_active")
    list_select_related = ("plan_kind",)


@admin.register(HighRiskUnit)
class HighRiskUnitAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("unit", "reason")
    list_select_related = ("unit",)
    search_fields = ("unit__name", "unit__code")
    raw_id_fields = ("unit",)

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request):
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user)


@admin.register(PlanEvaluation)
class PlanEvaluationAdmin(_ReadOnlyHistory):
    unit_field = "plan__unit"
    list_display = ("plan", "held_on", "evaluated_by", "calls_for_revision")
    list_filter = ("calls_for_revision",)
    list_select_related = ("plan",)
    fields = ("plan", "held_on", "evaluated_by", "conclusion", "calls_for_revision")


@admin.register(PlanDrill)
class PlanDrillAdmin(_ReadOnlyHistory):
    unit_field = "plan__unit"
    list_display = ("plan", "held_on", "plan_problem")
    list_filter = ("plan_problem",)
    list_select_related = ("plan",)
    fields = ("plan", "held_on", "plan_problem", "note")


@admin.register(RevisionTrigger)
class RevisionTriggerAdmin(_ReadOnlyHistory):
    unit_field = "plan__unit"
    list_display = ("plan", "case", "source", "raised_at", "closed_by_version", "closed_at")
    list_filter = ("case", "source")
    list_select_related = ("plan", "closed_by_version")
    fields = ("plan", "case", "source", "note", "raised_at", "closed_by_version", "closed_at")
