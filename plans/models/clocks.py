"""The plan clocks (评估 and 演练 intervals), the records that move them, the notices of the daily
job, and revision triggers (修订情形).

- ``ClockRule``: a rule table of intervals in months by clock, owner kind and/or plan kind, and
  whether it applies only to a unit on the high-risk enterprise list (RULES.md §5.1, §5.2;
  DOMAIN.md §5, §6). When several rows apply to a plan, the shortest interval wins (every row is a
  minimum).
- ``HighRiskUnit``: the county's high-risk enterprise list (矿山、金属冶炼、建筑施工、危险物品 …,
  RULES.md §5.2): the grid has no such flag, so the list is a small table of its own.
- ``PlanEvaluation``, ``PlanDrill``: what was done; the next due date is the later of the last
  record and the in-force date of the version in force, plus the interval.
- ``PlanClockNotice``: one row per (plan, clock, due date, kind of notice), so each is sent once.
- ``RevisionTrigger``: one of the eight cases of RULES.md §5.1, open until a new version of the
  plan comes into force (``closed_by_version``)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from grids.models import GridUnit
from plans.models.ledger import OwnerKind, Plan, PlanKind, PlanVersion


class Clock(models.TextChoices):
    EVALUATION = "evaluation", _("Evaluation")
    DRILL = "drill", _("Drill")
    FILING = "filing", _("Filing")


class ClockRule(models.Model):
    """How often a plan is evaluated or drilled: a rule table, seeded, edited in the admin."""

    clock = models.CharField(
        _("clock"), max_length=12, choices=[(c.value, c.label) for c in (Clock.EVALUATION, Clock.DRILL)]
    )
    owner_kind = models.CharField(
        _("owner kind"),
        max_length=12,
        choices=OwnerKind.choices,
        blank=True,
        help_text=_("Empty: any owner."),
    )
    plan_kind = models.ForeignKey(
        PlanKind,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("plan kind"),
        help_text=_("Empty: any kind."),
    )
    high_risk_only = models.BooleanField(
        _("high-risk enterprises only"),
        default=False,
        help_text=_("Applies only to plans of units on the high-risk enterprise list."),
    )
    months = models.PositiveSmallIntegerField(
        _("every (months)"), validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    rule = models.CharField(_("rule"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan clock rule")
        verbose_name_plural = _("plan clock rules")
        ordering = ["clock", "owner_kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clock", "owner_kind", "plan_kind", "high_risk_only"], name="clock_rule_unique"
            ),
            models.UniqueConstraint(
                fields=["clock", "owner_kind", "high_risk_only"],
                condition=Q(plan_kind__isnull=True),
                name="clock_rule_any_kind_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_clock_display()} {self.months}"


class HighRiskUnit(models.Model):
    """A unit on the county's high-risk enterprise list (RULES.md §5.2: evaluated every 3 years)."""

    unit = models.OneToOneField(
        GridUnit, on_delete=models.CASCADE, related_name="high_risk", verbose_name=_("enterprise")
    )
    reason = models.CharField(_("why on the list"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("high-risk enterprise")
        verbose_name_plural = _("high-risk enterprise list")
        ordering = ["unit__tree_id", "unit__lft"]

    def __str__(self) -> str:
        return self.unit.name


class PlanEvaluation(models.Model):
    """An evaluation (评估) of a plan: when, by whom, the conclusion, whether it calls for revision."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="evaluations")
    held_on = models.DateField(_("evaluated on"))
    evaluated_by = models.CharField(_("evaluated by"), max_length=100)
    conclusion = models.TextField(_("conclusion"), max_length=2000)
    calls_for_revision = models.BooleanField(_("calls for revision"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("plan evaluation")
        verbose_name_plural = _("plan evaluations")
        ordering = ["plan_id", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.held_on}"


class PlanDrill(models.Model):
    """A drill (演练) of a plan, recorded by hand or by the drills register later."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="drill_records")
    held_on = models.DateField(_("held on"))
    plan_problem = models.BooleanField(_("found a problem in the plan"), default=False)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("plan drill")
        verbose_name_plural = _("plan drills")
        ordering = ["plan_id", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.held_on}"


class PlanClockNotice(models.Model):
    """One notice of the daily job: a clock of a plan falls due soon or is overdue. The unique key
    makes each notice once; ``sent_at`` is set in the transaction that delivers it."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due within 30 days")
        OVERDUE = "overdue", _("Overdue")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="clock_notices")
    clock = models.CharField(_("clock"), max_length=12, choices=Clock.choices)
    due_on = models.DateField(_("due"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    document = models.ForeignKey(
        "delivery.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("plan clock notice")
        verbose_name_plural = _("plan clock notices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "clock", "due_on", "kind"], name="plan_clock_notice_once")
        ]
        indexes = [models.Index(fields=["sent_at"], name="plan_clock_notice_unsent")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.clock} {self.due_on} {self.kind}"


class TriggerCase(models.TextChoices):
    """The eight cases for revising a plan (RULES.md §5.1, 国办发〔2024〕5号)."""

    LAWS = "laws", _("Laws, regulations, standards or higher-level plans changed substantially")
    COMMAND = "command", _("The command body or its duties were adjusted substantially")
    RISKS = "risks", _("The risks faced changed substantially")
    RESOURCES = "resources", _("Key emergency resources changed substantially")
    INFORMATION = "information", _("Other key information in the plan changed")
    PRACTICE = "practice", _("A real response or a drill found problems needing major changes")
    UNITS = "units", _("The name or duties of a unit concerned changed")
    OTHER = "other", _("Another case the owner considers calls for revision")


class TriggerSource(models.TextChoices):
    MANUAL = "manual", _("By hand")
    DRILL = "drill", _("Drill")
    INCIDENT = "incident", _("Incident")
    LEADER_CHANGE = "leader_change", _("Leader changed")
    EVALUATION = "evaluation", _("Evaluation")
    REGULATION = "regulation", _("Regulation replaced or repealed")


class RevisionTrigger(models.Model):
    """A reason to revise a plan (修订情形), open until a new version comes into force."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revision_triggers")
    case = models.CharField(_("case"), max_length=12, choices=TriggerCase.choices)
    source = models.CharField(_("raised by"), max_length=14, choices=TriggerSource.choices)
    source_key = models.CharField(max_length=60, blank=True, editable=False)  # "drill:12", "incident:5" …
    note = models.TextField(_("note"), max_length=2000, blank=True)
    raised_at = models.DateTimeField(_("raised"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_by_version = models.ForeignKey(
        PlanVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="closed_triggers",
        verbose_name=_("closed by version"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("revision trigger")
        verbose_name_plural = _("revision triggers")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "source", "source_key"],
                condition=Q(closed_at__isnull=True) & ~Q(source_key=""),
                name="revision_trigger_open_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.get_case_display()}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
