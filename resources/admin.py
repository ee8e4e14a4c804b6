"""The resources admin: the rule tables (specialities, required strength, roles to be reachable)
are edited here; teams, experts and roll calls are read-only and scoped (they change through the
services and pages, each change with its history)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from grids.admin.base import (
    ReadOnlyHistoryMixin,
    ReadOnlyInline,
    ScopedAdmin,
    ScopedReadOnlyAdmin,
    SuperuserDeletesMixin,
)
from resources.models import Expert, RequiredRole, RollCall, Speciality, StrengthRule, Team, TeamEquipment, TeamMember


@admin.register(Speciality)
class SpecialityAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("code", "name", "name_en", "order")
    filter_horizontal = ("hazard_categories", "incident_types")


@admin.register(StrengthRule)
class StrengthRuleAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("kind", "min_members", "min_on_duty")


@admin.register(RequiredRole)
class RequiredRoleAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("tier", "role", "order")
    list_filter = ("tier",)


class MemberInline(ReadOnlyInline):
    model = TeamMember
    fields = ("name", "role", "phone", "person")
    unit_field = "team__unit"


class EquipmentInline(ReadOnlyInline):
    model = TeamEquipment
    fields = ("item", "quantity", "depot")
    unit_field = "team__unit"


@admin.register(Team)
class TeamAdmin(ReadOnlyHistoryMixin, ScopedReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("name", "unit", "kind", "force", "on_duty", "readiness", "leader_name", "leader_phone")
    list_filter = ("kind", "force", "readiness")
    list_select_related = ("unit",)
    search_fields = ("name", "leader_name")
    inlines = [MemberInline, EquipmentInline]


@admin.register(Expert)
class ExpertAdmin(ReadOnlyHistoryMixin, ScopedReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("name", "unit", "speciality", "employer", "title", "phone", "availability")
    list_filter = ("availability",)
    list_select_related = ("unit",)
    search_fields = ("name", "speciality", "employer")


@admin.register(RollCall)
class RollCallAdmin(ReadOnlyHistoryMixin, ScopedReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("unit", "message", "started_by", "started_at")
    list_select_related = ("unit", "started_by")
