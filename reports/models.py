"""Monthly hazard reports, risk consultations, their countermeasures, and their rule tables. The
documents they send up a tier are ``delivery.models.Document``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from delivery.models import Document
from grids.models import GridUnit
from hazards.models import HazardCategory, RiskLevel


class ReportingRule(models.Model):
    """How often a tier reports or consults, and by when. Other counties change these rows."""

    class Kind(models.TextChoices):
        MONTHLY_REPORT = "monthly_report", _("Monthly hazard report")
        CONSULTATION = "consultation", _("Risk consultation")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    tier = models.PositiveSmallIntegerField(_("tier"), choices=[(1, _("Tier 1")), (2, _("Tier 2")), (3, _("Tier 3"))])
    period_months = models.PositiveSmallIntegerField(
        _("every (months)"), default=1, help_text=_("1 = monthly, 3 = quarterly.")
    )
    deadline_day = models.PositiveSmallIntegerField(
        _("due by day of the next period"),
        default=5,
        help_text=_("Unsubmitted drafts are submitted automatically after this day."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()  # who changed a county's numbers, and when (admin: history)

    class Meta:
        verbose_name = _("reporting rule")
        verbose_name_plural = _("reporting rules")
        ordering = ["kind", "tier"]
        constraints = [models.UniqueConstraint(fields=["kind", "tier"], name="reporting_rule_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_tier_display()}"


class SeasonalRisk(models.Model):
    """The seasonal risk calendar shown in consultation briefings (flood season, fire seasons …)."""

    name = models.CharField(_("name"), max_length=50)
    category = models.ForeignKey(
        HazardCategory, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("category")
    )
    start_month = models.PositiveSmallIntegerField(_("from month"))
    start_day = models.PositiveSmallIntegerField(_("from day"), default=1)
    end_month = models.PositiveSmallIntegerField(_("to month"))
    end_day = models.PositiveSmallIntegerField(_("to day"), default=31)
    advice = models.TextField(_("what to watch"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("seasonal risk")
        verbose_name_plural = _("seasonal risk calendar")
        ordering = ["start_month", "start_day"]

    def __str__(self) -> str:
        return self.name

    def covers(self, month: int, day: int = 15) -> bool:
        start, end, point = (self.start_month, self.start_day), (self.end_month, self.end_day), (month, day)
        return start <= point <= end if start <= end else point >= start or point <= end


# --- monthly hazard reports -----------------------------------------------------------------------


class MonthlyReport(models.Model):
    """One unit's hazard report for one month (隐患月报表). Exactly one current version per unit and month."""

    class State(models.TextChoices):
        PENDING = "pending", _("Being compiled")
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        SUPERSEDED = "superseded", _("Replaced by a newer version")

    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="monthly_reports", verbose_name=_("unit"))
    period = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PENDING)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    annotation = models.TextField(_("notes of the unit"), blank=True)
    signer_name = models.CharField(_("signed by"), max_length=50, blank=True)
    auto_submitted = models.BooleanField(_("submitted automatically"), default=False)
    deadline = models.DateField(_("due"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    correction_reason = models.CharField(_("reason for the new version"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("monthly hazard report")
        verbose_name_plural = _("monthly hazard reports")
        ordering = ["-period", "unit__tree_id", "unit__lft"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "version"], name="monthly_report_unique_version"),
            models.UniqueConstraint(
                fields=["unit", "period"], condition=~Q(state="superseded"), name="monthly_report_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period:%Y-%m}"

    @property
    def is_late(self) -> bool:
        return bool(self.submitted_at) and not self.auto_submitted and self.submitted_at.date() > self.deadline


# --- risk consultations ---------------------------------------------------------------------------


class Consultation(models.Model):
    """A risk consultation (风险会商研判) of one unit for the coming period, with its briefing."""

    class State(models.TextChoices):
        OPEN = "open", _("To be held")
        COMPLETED = "completed", _("Completed and sent up")

    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("unit"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    briefing = models.JSONField(_("briefing"), default=dict, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    participants = models.TextField(
        _("participants"), blank=True, help_text=_("Departments, experts and lower governments present.")
    )
    summary = models.TextField(_("trend analysis"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("risk consultation")
        verbose_name_plural = _("risk consultations")
        ordering = ["-period_start", "unit__tree_id", "unit__lft"]
        constraints = [models.UniqueConstraint(fields=["unit", "period_start"], name="consultation_unique_period")]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start:%Y-%m}"


class Countermeasure(models.Model):
    """One line of the judgement list (研判一张单): a risk, its level and trend, and what is to be done."""

    class Trend(models.TextChoices):
        RISING = "rising", _("Rising")
        STEADY = "steady", _("Steady")
        FALLING = "falling", _("Falling")

    class State(models.TextChoices):
        OPEN = "open", _("In progress")
        DONE = "done", _("Done")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="countermeasures")
    risk = models.CharField(_("risk"), max_length=100)
    category = models.ForeignKey(
        HazardCategory, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("category")
    )
    level = models.PositiveSmallIntegerField(_("risk level"), choices=RiskLevel.choices)
    trend = models.CharField(_("trend"), max_length=8, choices=Trend.choices)
    measure = models.TextField(_("countermeasure"))
    responsible_unit = models.ForeignKey(
        GridUnit, on_delete=models.PROTECT, related_name="countermeasures", verbose_name=_("responsible unit")
    )
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=6, choices=State.choices, default=State.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    done_note = models.TextField(_("what was done"), blank=True)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)

    class Meta:
        verbose_name = _("countermeasure")
        verbose_name_plural = _("countermeasures")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.risk
