"""Emergency plans (应急预案): the register, its versions, documents, reviews and filings up a tier.

A ``Plan`` belongs to a grid unit of any tier (enterprises are units of kind enterprise) or to a
county department (``department`` set; ``unit`` is then the department's county, so the scope of
the tree decides who sees it). Each revision is a ``PlanVersion`` with its own documents, review
records, state and filings; the register shows ``Plan.current_version``, the version in force.
Rule tables: ``PlanKind``, ``FilingRoute`` (RULES.md §5.1, §5.2) and ``WorkdayAdjustment``."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import RuleName
from dispatch.models import IncidentType
from grids.files import RandomName
from grids.models import Department, GridUnit
from grids.rules import TOWNSHIP_KINDS, VILLAGE_KINDS, Kind
from hazards.models import HazardCategory


class OwnerKind(models.TextChoices):
    COUNTY = "county", _("County government")
    DEPARTMENT = "department", _("County department")
    TOWNSHIP = "township", _("Township or subdistrict")
    PARK = "park", _("Industrial park")
    VILLAGE = "village", _("Village or community")
    ENTERPRISE = "enterprise", _("Enterprise or institution")


def owner_kind_of(unit: GridUnit, department_id: int | None) -> str:
    if department_id:
        return OwnerKind.DEPARTMENT
    if unit.kind in TOWNSHIP_KINDS:
        return OwnerKind.TOWNSHIP
    if unit.kind in VILLAGE_KINDS:
        return OwnerKind.VILLAGE
    if unit.kind == Kind.ENTERPRISE:
        return OwnerKind.ENTERPRISE
    if unit.kind == Kind.PARK:
        return OwnerKind.PARK
    return OwnerKind.COUNTY


class PlanKind(RuleName):
    """A kind of plan (总体 / 专项 / 部门 / 乡镇 / 村 / 企业综合 …): a rule table, seeded."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    is_special = models.BooleanField(
        _("special plan"), default=False, help_text=_("Filed with the county's lead department (专项预案).")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("plan kind")
        verbose_name_plural = _("plan kinds")
        ordering = ["order", "id"]


class Plan(models.Model):
    title = models.CharField(_("title"), max_length=200)
    kind = models.ForeignKey(PlanKind, on_delete=models.PROTECT, related_name="plans", verbose_name=_("kind"))
    unit = models.ForeignKey(
        GridUnit,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("owner unit"),
        help_text=_("For a department's plan: the department's county."),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("owner department"),
    )
    lead_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_plans",
        verbose_name=_("lead department"),
        help_text=_("Special plans are filed with it (牵头部门)."),
    )
    hazard_categories = models.ManyToManyField(HazardCategory, blank=True, verbose_name=_("hazard categories"))
    incident_types = models.ManyToManyField(IncidentType, blank=True, verbose_name=_("incident types"))
    linked_plans = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="linked_from", verbose_name=_("linked plans")
    )
    leader_name = models.CharField(_("main leader who signs"), max_length=50)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leader (person)"),
    )
    contacts = models.TextField(_("contacts"), max_length=2000, blank=True)
    current_version = models.ForeignKey(
        "PlanVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("in force")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("emergency plan")
        verbose_name_plural = _("emergency plans")
        ordering = ["unit__tree_id", "unit__lft", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_kind(self) -> str:
        return owner_kind_of(self.unit, self.department_id)

    @property
    def owner_name(self) -> str:
        return self.department.name if self.department_id else self.unit.name


class VersionState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("plan version", "Draft")
    REVIEW = "review", _("Under review")
    ISSUED = "issued", pgettext_lazy("plan version", "Issued")
    FILED = "filed", _("Filed, awaiting receipt")
    IN_FORCE = "in_force", pgettext_lazy("plan version", "In force")
    REVISING = "revising", _("In force, being revised")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATES = (VersionState.DRAFT, VersionState.REVIEW, VersionState.ISSUED, VersionState.FILED)


class PlanVersion(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"), validators=[MinValueValidator(1), MaxValueValidator(999)])
    state = models.CharField(_("state"), max_length=10, choices=VersionState.choices, default=VersionState.DRAFT)
    summary = models.TextField(_("what changed"), max_length=2000, blank=True)
    # A revision that touches none of these may be issued straight into force (plans.services.clocks).
    touches_command = models.BooleanField(_("touches the command system and duties"), default=False)
    touches_procedure = models.BooleanField(_("touches the response procedure"), default=False)
    touches_grading = models.BooleanField(_("touches the grading standard"), default=False)
    issue_number = models.CharField(_("document number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filing_due = models.DateField(_("filing due"), null=True, blank=True)
    in_force_since = models.DateField(_("in force since"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.plan.title} v{self.number}"


class PlanDocument(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL_TEXT = "official", _("Official text")
        EXPLANATION = "explanation", _("Drafting explanation (编制说明)")
        REVIEW_OPINION = "review", _("Review opinion")
        MANUAL = "manual", _("Operation manual or response card")
        RISK_MAP = "risk_map", _("Risk map")
        EVACUATION_MAP = "evacuation_map", _("Evacuation route map")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=RandomName("plans"))  # served by plans:document
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan document")
        verbose_name_plural = _("plan documents")
        ordering = ["version_id", "kind", "id"]

    def __str__(self) -> str:
        return self.original_name


class ReviewRecord(models.Model):
    """评审论证: who reviewed the draft, what they said, and how each opinion was handled."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField(_("held on"))
    experts = models.TextField(_("experts"), max_length=2000)
    opinions = models.TextField(_("opinions"), max_length=5000)
    handling = models.TextField(_("how each opinion was handled"), max_length=5000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review record")
        verbose_name_plural = _("review records")
        ordering = ["version_id", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.version_id} {self.held_on}"


class FilingRoute(models.Model):
    """Where a plan is filed (备案), by owner kind and, for a more specific row, plan kind."""

    class Receiver(models.TextChoices):
        COUNTY = "county", _("The county emergency bureau")
        PARENT = "parent", _("The owner's parent unit")
        LEAD_DEPARTMENT = "lead_department", _("The plan's lead department")

    owner_kind = models.CharField(_("owner kind"), max_length=12, choices=OwnerKind.choices)
    plan_kind = models.ForeignKey(
        PlanKind,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("plan kind"),
        help_text=_("Empty: every kind not named by another row."),
    )
    receiver = models.CharField(_("filed with"), max_length=16, choices=Receiver.choices)
    copy_to_county = models.BooleanField(_("copy to the county emergency bureau"), default=False)
    due_workdays = models.PositiveSmallIntegerField(
        _("working days to file"), default=20, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    rule = models.CharField(_("rule"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("filing route")
        verbose_name_plural = _("filing routes")
        ordering = ["owner_kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner_kind", "plan_kind"], name="filing_route_unique"),
            models.UniqueConstraint(
                fields=["owner_kind"], condition=Q(plan_kind__isnull=True), name="filing_route_default_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_owner_kind_display()} → {self.get_receiver_display()}"


class Filing(models.Model):
    """One filing of a version with its receiver: a 备案回执 with a number, or returned with reasons."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting check")
        RECEIPTED = "receipted", _("Receipt issued")
        RETURNED = "returned", _("Returned")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="filings")
    receiver_unit = models.ForeignKey(
        GridUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_filings"
    )
    receiver_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_filings"
    )
    document = models.ForeignKey(
        "delivery.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("filed"))
    late = models.BooleanField(_("late"), default=False)
    number = models.CharField(_("filing number"), max_length=40, null=True, blank=True, unique=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    return_reason = models.TextField(_("reasons for return"), max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(receiver_unit__isnull=False, receiver_department__isnull=True)
                | Q(receiver_unit__isnull=True, receiver_department__isnull=False),
                name="filing_one_receiver",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.version} → {self.receiver_name}"

    @property
    def receiver_name(self) -> str:
        return self.receiver_unit.name if self.receiver_unit_id else self.receiver_department.name


class FilingSequence(models.Model):
    """The last filing number a receiver gave in a year: allocated under a row lock."""

    receiver = models.CharField(max_length=30)  # "u<unit id>" or "d<department id>"
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["receiver", "year"], name="filing_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.receiver}/{self.year}: {self.last}"


class WorkdayAdjustment(models.Model):
    """A local change to the national working-day calendar (a day off declared by the county …)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("working-day adjustment")
        verbose_name_plural = _("working-day adjustments")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date} {'班' if self.is_workday else '休'}"
