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
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from grids.admin import ScopedAdmin, ScopedReadOnlyAdmin, ScopedTabularInline, SuperuserDeletesMixin
from grids.scope import is_administrator, scope_for
from reports.models import (
    Consultation,
    Countermeasure,
    Delivery,
    JobFailure,
    MonthlyReport,
    ReportingRule,
    SeasonalRisk,
)

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


class CountermeasureInline(ScopedTabularInline):
    model = Countermeasure
    extra = 0
    can_delete = False
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
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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


@admin.register(Delivery)
class DeliveryAdmin(ScopedReadOnlyAdmin):
    """Deliveries sent to, or sent from, the units in the person's grid."""

    list_display = ("document", "kind", "sender", "recipient", "state", "sent_at", "receipted_at", "emailed")
    list_filter = ("state", "document__kind", "emailed")
    list_select_related = ("document", "document__sender_unit", "recipient_unit", "recipient_department")
    search_fields = ("document__title", "recipient_unit__name", "recipient_department__name")
    fields = (
        "document",
        "recipient_unit",
        "recipient_department",
        "state",
        "read_at",
        "read_by",
        "receipted_at",
        "receipted_by",
        "emailed",
    )
    readonly_fields = fields

    def scoped_queryset(self, request):
        scope = scope_for(request.user)
        return scope.filter_q(
            Delivery.objects.all(),
            Q(scope.unit_q("recipient_unit__", grants_only=True))
            | Q(scope.unit_q("document__sender_unit__", grants_only=True)),
        )

    @admin.display(description=_("kind"), ordering="document__kind")
    def kind(self, delivery: Delivery) -> str:
        return delivery.document.get_kind_display()

    @admin.display(description=_("sender"), ordering="document__sender_unit__name")
    def sender(self, delivery: Delivery) -> str:
        return delivery.document.sender_unit.name

    @admin.display(description=_("recipient"))
    def recipient(self, delivery: Delivery) -> str:
        return str(delivery.recipient_unit or delivery.recipient_department)

    @admin.display(description=_("sent"), ordering="document__sent_at")
    def sent_at(self, delivery: Delivery):
        return delivery.document.sent_at


# --- failed jobs ----------------------------------------------------------------------------------


@admin.register(JobFailure)
class JobFailureAdmin(ScopedAdmin):
    """Background jobs that failed: administrators only, read-only."""

    list_display = ("task", "unit", "short_error", "occurred_at")
    list_filter = ("task",)
    list_select_related = ("unit",)
    search_fields = ("task", "error", "unit__name")
    date_hierarchy = "occurred_at"
    fields = ("task", "unit", "arguments", "error", "occurred_at")
    readonly_fields = fields

    @admin.display(description=_("error"))
    def short_error(self, failure: JobFailure) -> str:
        first = failure.error.splitlines()[0] if failure.error else ""
        return first[:160]

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
