"""The Django admin of the tier reports.

- The rule tables (how often each tier reports and consults and by when; the seasonal risk
  calendar) are edited here: this is how a county changes its numbers.
- Reports, consultations, countermeasures and deliveries are read here, scoped like the pages
  (``scope_for(user).filter(qs, "unit", grants_only=True)``); they change only through the
  services (the pages and the jobs), so the admin shows them read-only.
- Failed background jobs are listed for administrators only (task, unit, error, when).
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from grids.admin.base import (
    ReadOnlyInline,
    ScopedAdmin,
    ScopedReadOnlyAdmin,
    SuperuserDeletesMixin,
)
from reports.models import Consultation, Countermeasure, MonthlyReport, ReportingRule, SeasonalRisk

# --- rule tables ----------------------------------------------------------------------------------


@admin.register(ReportingRule)
class ReportingRuleAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("kind", "tier", "period_months", "deadline_day", "is_active")
    list_editable = ("period_months", "deadline_day", "is_active")
    list_filter = ("kind", "is_active")
    ordering = ("kind", "tier")


@admin.register(SeasonalRisk)
class SeasonalRiskAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "category", "season", "advice")
    list_select_related = ("category",)
    list_filter = ("category",)
    search_fields = ("name", "advice")
    fields = ("name", "category", ("start_month", "start_day"), ("end_month", "end_day"), "advice")

    @admin.display(description=_("season"), ordering="start_month")
    def season(self, risk: SeasonalRisk) -> str:
        return f"{risk.start_month}.{risk.start_day} – {risk.end_month}.{risk.end_day}"


# --- registers: read here, changed by the services ------------------------------------------------


class CountermeasureInline(ReadOnlyInline):
    model = Countermeasure
    fields = (
        "risk",
        "category",
        "level",
        "trend",
        "measure",
        "responsible_unit",
        "deadline",
        "state",
        "overdue_since",
        "done_note",
    )


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ScopedReadOnlyAdmin):
    list_display = (
        "unit",
        "period",
        "version",
        "state",
        "auto_submitted",
        "late",
        "deadline",
        "submitted_at",
        "signer_name",
    )
    list_filter = ("state", "auto_submitted", "period", "unit__level")
    list_select_related = ("unit",)
    search_fields = ("unit__name", "unit__code", "signer_name")
    date_hierarchy = "period"
    fields = (
        "unit",
        "period",
        "version",
        "state",
        "deadline",
        "submitted_at",
        "submitted_by",
        "signer_name",
        "auto_submitted",
        "annotation",
        "correction_reason",
        "figures",
        "document",
        "page",
    )
    readonly_fields = fields

    @admin.display(description=_("late"), boolean=True)
    def late(self, report: MonthlyReport) -> bool:
        return report.is_late

    @admin.display(description=_("page"))
    def page(self, report: MonthlyReport) -> str:
        from django.urls import reverse

        return format_html(
            '<a href="{}">{}</a>', reverse("reports:monthly_detail", args=[report.pk]), _("Open the report page")
        )


@admin.register(Consultation)
class ConsultationAdmin(ScopedReadOnlyAdmin):
    list_display = ("unit", "period_start", "period_end", "state", "held_on", "completed_at")
    list_filter = ("state", "period_start", "unit__level")
    list_select_related = ("unit",)
    search_fields = ("unit__name", "unit__code")
    fields = (
        "unit",
        "period_start",
        "period_end",
        "state",
        "held_on",
        "participants",
        "summary",
        "briefing",
        "completed_at",
        "completed_by",
        "document",
    )
    readonly_fields = fields
    inlines = (CountermeasureInline,)


@admin.register(Countermeasure)
class CountermeasureAdmin(ScopedReadOnlyAdmin):
    unit_field = "consultation__unit"
    list_display = ("risk", "consultation", "level", "trend", "responsible_unit", "deadline", "state", "overdue_since")
    list_filter = ("state", "level", "trend")
    list_select_related = ("consultation__unit", "responsible_unit")
    search_fields = ("risk", "measure", "responsible_unit__name")
    readonly_fields = (
        "consultation",
        "risk",
        "category",
        "level",
        "trend",
        "measure",
        "responsible_unit",
        "deadline",
        "state",
        "done_at",
        "done_note",
        "overdue_since",
    )
    fields = readonly_fields
