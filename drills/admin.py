"""The drill admin: the rule tables (unit categories, requirements, evaluation indicators,
conclusion bands) are edited here; the register (annual plans, drills, findings, training) is
read-only and scoped — it changes only through the services, so state and history stay together.
Drills are scoped by ``drills.access.visible_drills`` (double-blind ones hidden as everywhere)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from drills import access
from drills.models import (
    AnnualDrillPlan,
    CategorisedUnit,
    ConclusionBand,
    Drill,
    DrillMedia,
    DrillRequirement,
    EvaluationIndicator,
    Finding,
    Training,
    UnitCategory,
)
from grids.admin.base import (
    ReadOnlyHistoryMixin,
    ReadOnlyInline,
    ScopedAdmin,
    ScopedReadOnlyAdmin,
    SuperuserDeletesMixin,
    superuser_only,
)


@admin.register(UnitCategory)
class UnitCategoryAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "name_en", "code", "order")


@admin.register(DrillRequirement)
class DrillRequirementAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = (
        "name",
        "name_en",
        "unit_group",
        "category",
        "plan_kind",
        "comprehensive_only",
        "times_per_year",
        "is_active",
    )
    list_filter = ("unit_group", "is_active")


@admin.register(EvaluationIndicator)
class EvaluationIndicatorAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "name_en", "form", "code", "weight", "order", "is_active")
    list_filter = ("form",)


@admin.register(ConclusionBand)
class ConclusionBandAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "name_en", "code", "min_score")


@admin.register(CategorisedUnit)
class CategorisedUnitAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "category")
    list_filter = ("category",)


superuser_only(CategorisedUnit)  # tags any unit of the county: the administrator's


class _ReadOnlyHistory(ReadOnlyHistoryMixin, ScopedReadOnlyAdmin, SimpleHistoryAdmin):
    grants_only = False  # the county's departments read the county's drills


@admin.register(AnnualDrillPlan)
class AnnualDrillPlanAdmin(_ReadOnlyHistory):
    list_display = ("title", "unit", "year", "state", "filed_at")
    list_filter = ("state", "year")
    list_select_related = ("unit",)
    fields = ("title", "unit", "year", "state", "filed_at")


class DrillMediaInline(ReadOnlyInline):
    model = DrillMedia
    fields = ("kind", "original_name", "caption", "size", "uploaded_by", "created_at")


@admin.register(Drill)
class DrillAdmin(_ReadOnlyHistory):
    inlines = (DrillMediaInline,)
    list_display = ("title", "unit", "organiser", "form", "scope", "double_blind", "planned_date", "state")
    list_filter = ("state", "form", "double_blind")
    list_select_related = ("unit", "organiser")
    search_fields = ("title",)
    fields = ("title", "unit", "organiser", "form", "scope", "purpose", "double_blind", "planned_date", "place",
              "state", "alarm_sent_at", "acknowledged_at", "first_on_scene_at", "assembled_at", "held_at",
              "headcount")  # fmt: skip

    def scoped_queryset(self, request):
        return access.visible_drills(request.user)


@admin.register(Finding)
class FindingAdmin(_ReadOnlyHistory):
    list_display = ("description", "kind", "owner_unit", "deadline", "state")
    list_filter = ("state", "kind")
    list_select_related = ("owner_unit", "drill")
    fields = ("drill", "kind", "description", "owner_unit", "deadline", "state", "closing_note", "closed_at")

    def scoped_queryset(self, request):
        return access.visible_findings(request.user)


@admin.register(Training)
class TrainingAdmin(_ReadOnlyHistory):
    list_display = ("topic", "unit", "held_on", "hours")
    list_select_related = ("unit",)
    fields = ("topic", "unit", "held_on", "hours")
