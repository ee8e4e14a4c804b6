"""The Django admin of hazards.

- The rule tables (categories with their supervising sector, the factor values of LEC and the
  matrix, the risk bands) are edited here: this is how a county changes its numbers. The bands
  are checked to stay in order, so every score still falls in exactly one level.
- The register is scoped through ``hazards.access.visible_hazards`` and read-only: its state moves
  only through the services (the pages and the API). A superuser may correct the descriptive
  fields of a record, never its number, state, owning tier or grading; only a superuser deletes.
  Timeline, photos and copies show as read-only inlines; the change history comes from
  django-simple-history (without "revert", which would write around the services).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from grids.admin.base import ReadOnlyHistoryMixin, ReadOnlyInline, ScopedAdmin, SuperuserDeletesMixin
from grids.scope import is_administrator
from hazards.access import can_see_hazard, visible_hazards
from hazards.models import (
    Hazard,
    HazardCategory,
    HazardCopy,
    HazardEvent,
    HazardPhoto,
    RiskBand,
    RiskFactorOption,
    RiskLevel,
)

# --- rule tables ----------------------------------------------------------------------------------


@admin.register(HazardCategory)
class HazardCategoryAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "name_en", "code", "family", "sector", "icon", "order", "is_active")
    list_editable = ("sector", "order", "is_active")
    list_filter = ("family", "sector", "is_active")
    list_select_related = ("sector",)
    search_fields = ("name", "name_en", "code")
    ordering = ("family", "order", "code")
    fields = ("code", "name", "name_en", "family", "sector", "icon", "order", "is_active")

    def get_readonly_fields(self, request, obj=None):
        # The code is what imports and other counties' data refer to; the family decides what a
        # hazard of the category is and is copied onto each hazard.
        return ("code", "family") if obj is not None else ()


@admin.register(RiskFactorOption)
class RiskFactorOptionAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    """The listed values of each factor, shown grouped by factor (highest value first)."""

    list_display = ("factor", "value", "label")
    list_display_links = ("value",)
    list_filter = ("factor",)
    search_fields = ("label",)
    ordering = ("factor", "-value")
    fields = ("factor", "value", "label")


class RiskBandForm(forms.ModelForm):
    """A band must keep the levels in order: red starts highest, blue starts at 0."""

    class Meta:
        model = RiskBand
        fields = ("method", "level", "min_score")

    def clean(self):
        cleaned = super().clean()
        # On change, method and level are read-only: they come from the band itself.
        method = cleaned.get("method", self.instance.method)
        level = cleaned.get("level", self.instance.level)
        min_score = cleaned.get("min_score")
        if method is None or level is None or min_score is None:
            return cleaned
        if min_score < 0:
            self.add_error("min_score", _("A band cannot start below 0."))
            return cleaned
        others = RiskBand.objects.filter(method=method).exclude(pk=self.instance.pk)
        lowest = max(RiskLevel.values)
        if level == lowest and min_score != 0:
            self.add_error("min_score", _("The lowest level starts at 0, so that every score has a level."))
        for other in others:
            if other.level < level and other.min_score <= min_score:
                self.add_error(
                    "min_score",
                    _("It must start below %(band)s, which starts at %(score)s.")
                    % {"band": other.get_level_display(), "score": other.min_score.normalize()},
                )
            elif other.level > level and other.min_score >= min_score:
                self.add_error(
                    "min_score",
                    _("It must start above %(band)s, which starts at %(score)s.")
                    % {"band": other.get_level_display(), "score": other.min_score.normalize()},
                )
        return cleaned


@admin.register(RiskBand)
class RiskBandAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    """From which score each level starts, per method (RULES.md §1)."""

    form = RiskBandForm
    list_display = ("method", "level", "min_score")
    list_display_links = ("level",)
    list_filter = ("method",)
    ordering = ("method", "-min_score")

    def get_readonly_fields(self, request, obj=None):
        return ("method", "level") if obj is not None else ()


# --- the register ---------------------------------------------------------------------------------


class OverdueListFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(overdue_since__isnull=False)
        if self.value() == "no":
            return queryset.filter(overdue_since__isnull=True)
        return queryset


class HazardPartInline(ReadOnlyInline):
    """A hazard's parts, visible to whoever may view the hazard, changed only by the services."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("hazards.view_hazard") or request.user.has_perm("hazards.change_hazard")


class HazardEventInline(HazardPartInline):
    model = HazardEvent
    verbose_name_plural = _("timeline")
    fields = ("at", "action", "from_state", "to_state", "from_unit", "to_unit", "by", "note")
    ordering = ("at", "id")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("from_unit", "to_unit", "by")


class HazardPhotoInline(HazardPartInline):
    model = HazardPhoto
    fields = ("preview", "kind", "processing", "width", "height", "uploaded_by", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=_("photo"))
    def preview(self, photo: HazardPhoto):
        url = reverse("hazards:photo", args=[photo.pk])  # scoped view, never MEDIA_URL
        return format_html('<a href="{}"><img src="{}" alt="" style="max-height:80px"></a>', url, url)


class HazardCopyInline(HazardPartInline):
    model = HazardCopy
    fields = ("department", "created_at", "feedback", "feedback_by", "feedback_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department", "feedback_by")


@admin.register(Hazard)
class HazardAdmin(ReadOnlyHistoryMixin, SimpleHistoryAdmin):
    list_display = ("number", "title", "unit", "state", "grade", "risk_level", "is_overdue", "supervised", "found_at")
    list_filter = ("state", "grade", "risk_level", OverdueListFilter, "supervised", "family", "category", "source")
    list_select_related = ("unit",)
    search_fields = ("number", "title", "address")
    inlines = (HazardEventInline, HazardPhotoInline, HazardCopyInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "number",
                    "title",
                    "description",
                    "family",
                    "category",
                    "root_cause",
                    "source",
                    "state",
                    "unit",
                    "owner_unit",
                    "reporter",
                    "found_at",
                    "closed_at",
                )
            },
        ),
        (_("Place"), {"fields": ("address", "lng", "lat")}),
        (_("Grading"), {"fields": ("grade", "risk_level", "risk_method", "risk_score", "risk_inputs", "risk_reason")}),
        (
            _("Five-in-place"),
            {
                "fields": (
                    "measures",
                    "responsible_unit",
                    "responsible_person",
                    "responsible_phone",
                    "funds",
                    "deadline",
                    "contingency",
                    "overdue_since",
                )
            },
        ),
        (
            _("Listed supervision"),
            {
                "fields": (
                    "supervised",
                    "supervising_department",
                    "supervision_deadline",
                    "supervision_order_no",
                    "supervision_requirements",
                )
            },
        ),
    )
    # Moved only by the services (they write the timeline and check the rules): never edited here.
    WORKFLOW_FIELDS = (
        "number",
        "state",
        "unit",
        "owner_unit",
        "reporter",
        "family",
        "category",
        "grade",
        "risk_level",
        "risk_method",
        "risk_score",
        "risk_inputs",
        "closed_at",
        "overdue_since",
        "supervised",
        "supervising_department",
        "supervision_deadline",
        "supervision_order_no",
    )

    @admin.display(description=_("overdue"), boolean=True, ordering="overdue_since")
    def is_overdue(self, hazard: Hazard) -> bool:
        return hazard.overdue_since is not None

    # --- scope ------------------------------------------------------------------------------
    def get_queryset(self, request) -> QuerySet[Hazard]:
        queryset = visible_hazards(request.user).select_related("unit", "owner_unit", "category", "reporter")
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or can_see_hazard(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return False  # a hazard is reported on the report page or through the API

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)  # every field on a past version
        if readonly or not self.has_change_permission(request, obj):
            return readonly or [name for fieldset in self.fieldsets for name in fieldset[1]["fields"]]
        return self.WORKFLOW_FIELDS
