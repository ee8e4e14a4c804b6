"""The patrol admin: the rule tables (seasons, patrol rules) editable with their history; points,
routes (with their stops), patrols and presence checks read-only and scoped (they change only
through the services)."""

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
from patrols.models import (
    CheckIn,
    Patrol,
    PatrolPoint,
    PatrolRoute,
    PatrolRule,
    PresenceCheck,
    PresenceRequest,
    RouteStop,
    Season,
)


@admin.register(Season)
class SeasonAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "name_en", "kind", "county", "start_month", "start_day", "end_month", "end_day")
    list_filter = ("kind",)
    fields = ("county", "name", "name_en", "kind", ("start_month", "start_day"), ("end_month", "end_day"))


@admin.register(PatrolRule)
class PatrolRuleAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = (
        "unit_kind", "season", "warning_level", "point_source", "route", "interval_days", "active", "county",
    )  # fmt: skip
    list_editable = ("interval_days", "active")
    list_filter = ("unit_kind", "active")
    list_select_related = ("season", "county", "route")


@admin.register(PatrolPoint)
class PatrolPointAdmin(ReadOnlyHistoryMixin, ScopedReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("name", "unit", "source", "lng", "lat", "active")
    list_filter = ("source", "active")
    list_select_related = ("unit",)
    search_fields = ("name",)


class RouteStopInline(ReadOnlyInline):
    model = RouteStop
    unit_field = "route__unit"
    fields = ("order", "point")


@admin.register(PatrolRoute)
class PatrolRouteAdmin(ReadOnlyHistoryMixin, ScopedReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("name", "unit", "active")
    list_filter = ("active",)
    list_select_related = ("unit",)
    search_fields = ("name",)
    inlines = [RouteStopInline]


class CheckInInline(ReadOnlyInline):
    model = CheckIn
    unit_field = "patrol__unit"
    fields = ("point", "outcome", "distance_m", "within_tolerance", "client_time", "server_time", "note")


@admin.register(Patrol)
class PatrolAdmin(ReadOnlyHistoryMixin, ScopedReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("unit", "route", "officer", "state", "started_at", "finished_at")
    list_filter = ("state",)
    list_select_related = ("unit", "officer", "route")
    inlines = [CheckInInline]


class PresenceRequestInline(ReadOnlyInline):
    model = PresenceRequest
    unit_field = "check_run__unit"
    fields = ("officer", "unit", "due_at", "answered_at", "client_time", "lng", "lat")


@admin.register(PresenceCheck)
class PresenceCheckAdmin(ReadOnlyHistoryMixin, ScopedReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("warning", "unit", "at", "minutes")
    list_select_related = ("warning", "unit")
    inlines = [PresenceRequestInline]
