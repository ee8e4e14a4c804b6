"""The Django admin of the dispatch app.

- The rule tables are edited here, with their history (django-simple-history): this is how a
  county changes its numbers. Warning types (the levels each allows, as checkboxes),
  acknowledgement times per tier (the parent is told no earlier than the unit is reminded), accident grading thresholds (levels in order: every
  threshold of a higher level above the same threshold of a lower one), reporting deadlines
  (writing no earlier than the phone) and incident types. Only a superuser deletes a rule row.
- Warnings, incidents, the duty roster and the duty log are read-only lists scoped through
  ``grids.scope`` (warnings and incidents through their access rules in ``dispatch.access``,
  which build on it): they change only through their services (the pages and the API), which check
  the rules and write the delivery, the CAP messages and the timeline. Warnings and incidents show
  their change history (django-simple-history, without "revert").
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from dispatch.models import (
    AccidentThreshold,
    AcknowledgementRule,
    DutyLogEntry,
    DutyShift,
    EscalationRule,
    EvacuationReport,
    Incident,
    IncidentReport,
    IncidentTier,
    IncidentType,
    Level,
    LocalInstruction,
    ReportingDeadline,
    Warning,
    WarningMessage,
    WarningType,
)
from grids.admin.base import (
    ReadOnlyHistoryMixin,
    ReadOnlyInline,
    ScopedAdmin,
    SuperuserDeletesMixin,
    UnitTierListFilter,
)
from grids.admin.base import ScopedReadOnlyAdmin as GridScopedReadOnlyAdmin
from grids.scope import is_administrator

# --- rule tables ----------------------------------------------------------------------------------


class WarningTypeForm(forms.ModelForm):
    """The levels a type allows, ticked from the four colours and stored as a sorted list."""

    levels = forms.TypedMultipleChoiceField(
        label=_("levels allowed"),
        choices=Level.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The colours this kind of warning may be issued in."),
    )

    class Meta:
        model = WarningType
        fields = ("code", "name", "name_en", "source", "levels", "feed_code", "cap_category", "order", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["levels"] = [str(level) for level in self.instance.levels or []]

    def clean_levels(self) -> list[int]:
        levels = sorted(set(self.cleaned_data["levels"]))
        if not levels:
            raise forms.ValidationError(_("Tick at least one level."))
        return levels

    def clean_feed_code(self) -> str:
        code = self.cleaned_data.get("feed_code", "")
        if code and not code.isdigit():
            raise forms.ValidationError(_("A feed code is made of digits, e.g. 02."))
        return code


@admin.register(WarningType)
class WarningTypeAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    form = WarningTypeForm
    list_display = (
        "name",
        "name_en",
        "code",
        "source",
        "levels_display",
        "feed_code",
        "cap_category",
        "order",
        "is_active",
    )
    list_editable = ("order", "is_active")
    list_filter = ("source", "is_active")
    search_fields = ("name", "name_en", "code", "feed_code")
    ordering = ("source", "order", "code")

    @admin.display(description=_("levels allowed"))
    def levels_display(self, warning_type: WarningType) -> str:
        return "、".join(str(Level(level).label) for level in warning_type.levels or [] if level in Level.values)

    def get_readonly_fields(self, request, obj=None):
        # Imports (CAP) and issued warnings refer to the code.
        return ("code",) if obj is not None else ()


class AcknowledgementRuleForm(forms.ModelForm):
    class Meta:
        model = AcknowledgementRule
        fields = ("tier", "remind_after_minutes", "tell_parent_after_minutes")

    def clean(self):
        cleaned = super().clean()
        remind, parent = cleaned.get("remind_after_minutes"), cleaned.get("tell_parent_after_minutes")
        if remind is not None and remind < 1:
            self.add_error("remind_after_minutes", _("Give at least one minute."))
        if remind is not None and parent is not None and parent < remind:
            self.add_error(
                "tell_parent_after_minutes", _("The parent is told no earlier than the unit itself is reminded.")
            )
        return cleaned


@admin.register(AcknowledgementRule)
class AcknowledgementRuleAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    form = AcknowledgementRuleForm
    list_display = ("tier", "remind_after_minutes", "tell_parent_after_minutes")
    list_editable = ("remind_after_minutes", "tell_parent_after_minutes")
    ordering = ("tier",)

    def get_readonly_fields(self, request, obj=None):
        return ("tier",) if obj is not None else ()


class EscalationRuleForm(forms.ModelForm):
    class Meta:
        model = EscalationRule
        fields = ("subject", "officer_after_minutes", "leader_after_minutes", "call_after_minutes")

    def clean(self):
        cleaned = super().clean()
        steps = [cleaned.get(f) for f in ("officer_after_minutes", "leader_after_minutes", "call_after_minutes")]
        if None not in steps and steps != sorted(steps):
            self.add_error(None, _("The officers are texted first, then the leader, then the unit is called."))
        return cleaned


@admin.register(EscalationRule)
class EscalationRuleAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    """叫应: minutes after delivery (or the 平安 cut-off) of each step, per warning colour."""

    form = EscalationRuleForm
    list_display = ("subject", "officer_after_minutes", "leader_after_minutes", "call_after_minutes")
    list_editable = ("officer_after_minutes", "leader_after_minutes", "call_after_minutes")
    ordering = ("subject",)

    def get_readonly_fields(self, request, obj=None):
        return ("subject",) if obj is not None else ()


THRESHOLD_FIELDS = ("min_deaths", "min_serious_injuries", "min_direct_loss")


class AccidentThresholdForm(forms.ModelForm):
    """Each criterion must rise strictly from level IV to level I, so the highest level reached is
    well defined."""

    class Meta:
        model = AccidentThreshold
        fields = ("level", *THRESHOLD_FIELDS)

    def clean(self):
        cleaned = super().clean()
        level = cleaned.get("level", self.instance.level)
        if level is None:
            return cleaned
        others = AccidentThreshold.objects.exclude(pk=self.instance.pk)
        for field in THRESHOLD_FIELDS:
            value = cleaned.get(field)
            if value is None:
                continue
            label = AccidentThreshold._meta.get_field(field).verbose_name
            for other in others:
                theirs = getattr(other, field)
                if other.level < level and theirs <= value:
                    self.add_error(
                        field,
                        _("It must be below the %(criterion)s of %(level)s (%(value)s).")
                        % {"criterion": label, "level": other.get_level_display(), "value": theirs},
                    )
                elif other.level > level and theirs >= value:
                    self.add_error(
                        field,
                        _("It must be above the %(criterion)s of %(level)s (%(value)s).")
                        % {"criterion": label, "level": other.get_level_display(), "value": theirs},
                    )
        return cleaned


@admin.register(AccidentThreshold)
class AccidentThresholdAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    """Production-safety accident grading (国务院令第493号): a level is reached by any one criterion."""

    form = AccidentThresholdForm
    list_display = ("level", *THRESHOLD_FIELDS)
    ordering = ("level",)

    def get_readonly_fields(self, request, obj=None):
        return ("level",) if obj is not None else ()


class ReportingDeadlineForm(forms.ModelForm):
    class Meta:
        model = ReportingDeadline
        fields = ("level", "phone_minutes", "written_minutes")

    def clean(self):
        cleaned = super().clean()
        phone, written = cleaned.get("phone_minutes"), cleaned.get("written_minutes")
        if phone is not None and phone < 1:
            self.add_error("phone_minutes", _("Give at least one minute."))
        if phone is not None and written is not None and written < phone:
            self.add_error("written_minutes", _("The written report cannot be due before the phone report."))
        return cleaned


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    form = ReportingDeadlineForm
    list_display = ("level", "phone_minutes", "written_minutes")
    list_editable = ("phone_minutes", "written_minutes")
    ordering = ("level",)

    def get_readonly_fields(self, request, obj=None):
        return ("level",) if obj is not None else ()


@admin.register(IncidentType)
class IncidentTypeAdmin(SuperuserDeletesMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "name_en", "code", "category", "production_safety", "order")
    list_editable = ("production_safety", "order")
    list_filter = ("category", "production_safety")
    search_fields = ("name", "name_en", "code")
    ordering = ("category", "order", "code")

    def get_readonly_fields(self, request, obj=None):
        # Incidents copy the category; the code is what imports and statistics refer to.
        return ("code", "category") if obj is not None else ()


# --- read-only registers --------------------------------------------------------------------------


class ScopedReadOnlyAdmin(SuperuserDeletesMixin, GridScopedReadOnlyAdmin):
    """Dispatch registers: department staff see their county's (read-only); a superuser may delete."""

    grants_only = False


class WarningMessageInline(ReadOnlyInline):
    model = WarningMessage
    fields = ("msg_type", "identifier", "sent_at", "sent_by")


class LocalInstructionInline(ReadOnlyInline):
    """A county-wide warning gathers the instructions of every township: each viewer sees those of
    the units in their scope (the warning page also shows those from above)."""

    model = LocalInstruction
    fields = ("unit", "text", "by", "at")
    unit_field = "unit"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit", "by")


class EvacuationReportInline(ReadOnlyInline):
    """Evacuation figures of the units in the viewer's scope only."""

    model = EvacuationReport
    fields = ("unit", "evacuated", "sheltered", "by", "at")
    unit_field = "unit"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit", "by")


@admin.register(Warning)
class WarningAdmin(ReadOnlyHistoryMixin, ScopedReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("title", "type", "level", "state", "issuer_unit", "valid_from", "valid_to", "issued_at")
    list_filter = ("state", "level", "type")
    list_select_related = ("type", "issuer_unit")
    search_fields = ("title", "identifier", "source_identifier")
    date_hierarchy = "valid_from"
    inlines = (WarningMessageInline, LocalInstructionInline, EvacuationReportInline)

    def scoped_queryset(self, request) -> QuerySet[Warning]:
        from dispatch.access import visible_warnings  # the warnings' one access rule

        return visible_warnings(request.user)

    def has_delete_permission(self, request, obj=None):
        # Only drafts: an issued warning has reached the units and stays on the record.
        return is_administrator(request.user) and (obj is None or obj.state == Warning.State.DRAFT)


# The reports and tiers of an incident are those of its own chain (the unit where it happened and
# the units above it, up to the county): seen whole with the incident, so no ``unit_field``.
class IncidentReportInline(ReadOnlyInline):
    model = IncidentReport
    fields = ("kind", "sequence", "unit", "text", "by", "at")


class IncidentTierInline(ReadOnlyInline):
    model = IncidentTier
    fields = (
        "unit",
        "received_at",
        "phone_at",
        "written_at",
        "confirmed_at",
        "forwarded_at",
        "phone_late",
        "written_late",
    )


@admin.register(Incident)
class IncidentAdmin(ReadOnlyHistoryMixin, ScopedReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("number", "title", "category", "type", "level", "unit", "occurred_at", "deaths", "is_final")
    list_filter = ("category", "level", "is_final", "type", UnitTierListFilter)
    list_select_related = ("type", "unit")
    search_fields = ("number", "title", "place")
    date_hierarchy = "occurred_at"
    inlines = (IncidentReportInline, IncidentTierInline)

    def scoped_queryset(self, request) -> QuerySet[Incident]:
        from dispatch.access import visible_incidents  # the incidents' one access rule

        return visible_incidents(request.user)


@admin.register(DutyShift)
class DutyShiftAdmin(ScopedReadOnlyAdmin):
    """The roster is kept on the duty pages (overlaps, A/B posts and who may stand duty are checked there)."""

    list_display = ("unit", "starts_at", "ends_at", "leader", "post_a", "post_b", "note", "roster_link")
    list_filter = (UnitTierListFilter,)
    list_select_related = ("unit", "leader", "post_a", "post_b")
    search_fields = ("unit__name", "leader__real_name", "post_a__real_name", "post_b__real_name", "note")
    date_hierarchy = "starts_at"
    ordering = ("-starts_at",)

    @admin.display(description=_("roster"))
    def roster_link(self, shift: DutyShift):
        url = (
            reverse("dispatch:duty_calendar")
            + f"?unit={shift.unit_id}&week={timezone.localdate(shift.starts_at):%Y-%m-%d}"
        )
        return format_html('<a href="{}">{}</a>', url, _("Open the roster"))


@admin.register(DutyLogEntry)
class DutyLogEntryAdmin(ScopedReadOnlyAdmin):
    list_display = ("at", "unit", "kind", "summary", "caller", "by")
    list_filter = ("kind", UnitTierListFilter)
    list_select_related = ("unit", "by")
    search_fields = ("summary", "details", "caller")
    date_hierarchy = "at"
    ordering = ("-at", "-id")
