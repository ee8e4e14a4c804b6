"""Warnings (预警), incident information reports (突发事件信息报送) and the duty desk (值班值守)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import ComposedTexts, RuleName
from grids.models import GridUnit


class Level(models.IntegerChoices):
    """Warning and incident levels: I is the highest. Colours as GB/T 35965.1 and the CMA signals."""

    I = 1, _("Level I (red)")  # noqa: E741
    II = 2, _("Level II (orange)")
    III = 3, _("Level III (yellow)")
    IV = 4, _("Level IV (blue)")


# The one map of level to colour: CSS classes, the API, CAP (capitalised) and headlines all derive from it.
LEVEL_COLOURS = {1: "red", 2: "orange", 3: "yellow", 4: "blue"}
LEVEL_COLOUR_WORDS = {1: "红色", 2: "橙色", 3: "黄色", 4: "蓝色"}  # GB/T 35965.1 headline words, not interface text
LEVEL_HELP = ", ".join(f"{level} {colour} ({Level(level).name})" for level, colour in LEVEL_COLOURS.items())
CAP_SEVERITY = {1: "Extreme", 2: "Severe", 3: "Moderate", 4: "Minor"}  # GB/T 35965.1 maps these to 红橙黄蓝


# --- warnings -------------------------------------------------------------------------------------


class WarningType(RuleName):
    """A kind of warning and the levels (colours) it may have (RULES.md §4.2). Provinces edit these."""

    class Source(models.TextChoices):
        METEOROLOGICAL = "met", _("Meteorological")
        FLOOD = "flood", _("Flood")
        FOREST_FIRE = "fire", _("Forest and grassland fire")
        GEOLOGICAL = "geo", _("Geological hazard")
        EARTHQUAKE = "quake", _("Earthquake")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=30)
    source = models.CharField(_("source"), max_length=6, choices=Source.choices)
    levels = models.JSONField(_("levels allowed"), default=list, help_text=_("1 = red (I) … 4 = blue (IV)."))
    feed_code = models.CharField(
        _("feed code"),
        max_length=4,
        blank=True,
        help_text=_("Two-digit type code of warning feeds, e.g. 02 for rainstorm."),
    )
    cap_category = models.CharField(_("CAP category"), max_length=10, default="Met")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("warning type")
        verbose_name_plural = _("warning types")
        ordering = ["source", "order", "code"]


class AcknowledgementRule(models.Model):
    """How long a unit of a tier has to acknowledge a warning before it is reminded and its parent told."""

    tier = models.PositiveSmallIntegerField(
        _("tier"), unique=True, choices=[(1, _("Tier 1")), (2, _("Tier 2")), (3, _("Tier 3"))]
    )
    remind_after_minutes = models.PositiveIntegerField(_("remind after (minutes)"), default=30)
    tell_parent_after_minutes = models.PositiveIntegerField(_("tell the parent after (minutes)"), default=60)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acknowledgement rule")
        verbose_name_plural = _("acknowledgement rules")
        ordering = ["tier"]

    def __str__(self) -> str:
        return f"{self.get_tier_display()}: {self.remind_after_minutes} / {self.tell_parent_after_minutes} min"


class Warning(ComposedTexts):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("In force")
        LIFTED = "lifted", _("Lifted")

    type = models.ForeignKey(WarningType, on_delete=models.PROTECT, verbose_name=_("type"))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    title = models.CharField(_("headline"), max_length=200)
    content = models.TextField(_("content"))
    instructions = models.TextField(_("instructions to the public"), blank=True)
    valid_from = models.DateTimeField(_("valid from"))
    valid_to = models.DateTimeField(_("valid to"))
    areas = models.ManyToManyField(
        GridUnit,
        related_name="warnings",
        verbose_name=_("target area"),
        help_text=_("Each unit stands for its whole subtree."),
    )
    issuer_unit = models.ForeignKey(
        GridUnit, on_delete=models.PROTECT, related_name="issued_warnings", verbose_name=_("issued by unit")
    )
    sender_name = models.CharField(_("issuing authority"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    identifier = models.CharField(_("CAP identifier"), max_length=64, blank=True, db_index=True)
    source_identifier = models.CharField(_("imported from CAP identifier"), max_length=200, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=0)
    report_evacuation = models.BooleanField(_("villages report people evacuated"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("drafted by")
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(
        "delivery.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[areas])

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["-issued_at", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gt=models.F("valid_from")), name="warning_valid_period")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def colour(self) -> str:
        return LEVEL_COLOURS[self.level]


class WarningMessage(models.Model):
    """Each CAP message sent for a warning: Alert, then Update(s), then Cancel; Update and Cancel
    reference the first Alert's identifier."""

    class MsgType(models.TextChoices):
        ALERT = "Alert", _("Issued")
        UPDATE = "Update", _("Updated")
        CANCEL = "Cancel", _("Lifted")

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="messages")
    msg_type = models.CharField(_("message type"), max_length=6, choices=MsgType.choices)
    identifier = models.CharField(_("identifier"), max_length=64, unique=True)
    sent_at = models.DateTimeField(_("sent"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    snapshot = models.JSONField(_("content as sent"), default=dict)

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"{self.msg_type} {self.identifier}"


class WarningSequence(models.Model):
    """The last CAP sequence digit used per (issuer code, second) — identifiers never collide."""

    key = models.CharField(max_length=40, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"


class LocalInstruction(models.Model):
    """What a township adds for its villages when it passes a warning on."""

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="local_instructions")
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("local instructions"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.warning_id} · {self.unit_id}"


class EvacuationReport(models.Model):
    """People evacuated and sheltered (转移/安置) in one unit for one warning; the latest figures."""

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="evacuations")
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="+")
    evacuated = models.PositiveIntegerField(_("people evacuated"), default=0)
    sheltered = models.PositiveIntegerField(_("people sheltered"), default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["warning", "unit"], name="evacuation_one_per_unit")]

    # --- incidents ------------------------------------------------------------------------------------

    def __str__(self) -> str:
        return f"{self.warning_id} · {self.unit_id}: {self.evacuated}/{self.sheltered}"


class IncidentCategory(models.TextChoices):
    NATURAL = "natural", _("Natural disaster")
    ACCIDENT = "accident", _("Accident")
    HEALTH = "health", _("Public health event")
    SOCIAL = "social", _("Social security event")


class IncidentType(RuleName):
    category = models.CharField(_("category"), max_length=10, choices=IncidentCategory.choices)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    production_safety = models.BooleanField(
        _("production-safety accident"),
        default=False,
        help_text=_("Its level is computed from deaths, serious injuries and direct loss."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incident type")
        verbose_name_plural = _("incident types")
        ordering = ["category", "order", "code"]


class AccidentThreshold(models.Model):
    """Production-safety accident grading (国务院令第493号 Art 3): a level is reached when any one
    criterion reaches its threshold ("以上" includes the number); the highest level wins."""

    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, unique=True)
    min_deaths = models.PositiveIntegerField(_("deaths from"))
    min_serious_injuries = models.PositiveIntegerField(_("serious injuries from"))
    min_direct_loss = models.DecimalField(_("direct loss from (10,000 yuan)"), max_digits=12, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("accident grading threshold")
        verbose_name_plural = _("accident grading thresholds")
        ordering = ["level"]

    def __str__(self) -> str:
        return self.get_level_display()


class ReportingDeadline(models.Model):
    """Minutes from the incident for the phone and the written report, per level (seed 001: 20 / 40)."""

    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, unique=True)
    phone_minutes = models.PositiveIntegerField(_("by phone within (minutes)"))
    written_minutes = models.PositiveIntegerField(_("in writing within (minutes)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting deadline")
        verbose_name_plural = _("reporting deadlines")
        ordering = ["level"]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.phone_minutes} / {self.written_minutes} min"


class Incident(models.Model):
    number = models.CharField(_("number"), max_length=60, unique=True)
    type = models.ForeignKey(IncidentType, on_delete=models.PROTECT, verbose_name=_("type"))
    category = models.CharField(_("category"), max_length=10, choices=IncidentCategory.choices)
    title = models.CharField(_("title"), max_length=200)
    occurred_at = models.DateTimeField(_("happened at"))
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("grid unit"))
    place = models.CharField(_("place"), max_length=200)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("estimated level"), choices=Level.choices)
    level_computed = models.BooleanField(_("level computed from casualties and loss"), default=False)
    deaths = models.PositiveIntegerField(_("dead"), default=0)
    injured = models.PositiveIntegerField(_("injured"), default=0)
    serious_injuries = models.PositiveIntegerField(_("seriously injured"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)
    trapped = models.PositiveIntegerField(_("trapped"), default=0)
    direct_loss = models.DecimalField(_("direct loss (10,000 yuan)"), max_digits=12, decimal_places=2, default=0)
    description = models.TextField(_("what happened"), max_length=4000)
    measures = models.TextField(_("measures taken"), max_length=4000, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reporter")
    )
    reporter_phone = models.CharField(_("contact phone"), max_length=20)
    client_key = models.UUIDField(null=True, blank=True, editable=False)
    is_final = models.BooleanField(_("final report made"), default=False)
    phone_due = models.DateTimeField(
        _("phone report due"),
        null=True,
        blank=True,
        help_text=_("From the reporting deadline in force when it was reported or its level changed."),
    )
    written_due = models.DateTimeField(_("written report due"), null=True, blank=True)
    created_at = models.DateTimeField(_("first reported"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["reporter", "client_key"], name="incident_unique_submission")]
        indexes = [models.Index(fields=["occurred_at"]), models.Index(fields=["category", "level"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class IncidentReport(models.Model):
    """The first report (首报), follow-ups (续报一、二…) and the final report (终报) of an incident."""

    class Kind(models.TextChoices):
        FIRST = "first", _("First report")
        FOLLOW_UP = "follow_up", _("Follow-up report")
        FINAL = "final", _("Final report")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sequence = models.PositiveSmallIntegerField(
        _("number"), default=0, help_text=_("Follow-up reports are numbered 1, 2, …")
    )
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("from unit"))
    text = models.TextField(_("report"), max_length=8000)  # a follow-up: as long as a description
    figures = models.JSONField(_("figures at the time"), default=dict)
    names_plan_problem = models.BooleanField(
        _("names a problem in the emergency plan"),
        default=False,
        help_text=_("Final report: the response found a problem in the plan (修订情形)."),
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.get_kind_display()} {self.sequence or ''}".strip()


class IncidentTier(models.Model):
    """How an incident reached one tier: when it arrived in the system, when that tier was told by
    phone and in writing, who confirmed and forwarded it, and whether each was late (迟报)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tiers")
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="incident_tiers")
    received_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    phone_at = models.DateTimeField(_("told by phone"), null=True, blank=True)
    written_at = models.DateTimeField(_("received in writing"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    forwarded_at = models.DateTimeField(_("forwarded up"), null=True, blank=True)
    phone_late = models.BooleanField(_("phone report late"), default=False)
    written_late = models.BooleanField(_("written report late"), default=False)

    class Meta:
        ordering = ["incident", "-unit__level"]
        constraints = [models.UniqueConstraint(fields=["incident", "unit"], name="incident_tier_unique")]

    # --- duty desk ----------------------------------------------------------------------------------------

    def __str__(self) -> str:
        return f"{self.incident_id} · {self.unit_id}"


class DutyShift(models.Model):
    """A shift of a dispatch centre (tier 1 or 2): the leader on duty and the A and B posts (AB岗)."""

    unit = models.ForeignKey(
        GridUnit, on_delete=models.PROTECT, related_name="duty_shifts", verbose_name=_("dispatch centre")
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("leader on duty")
    )
    post_a = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("A post")
    )
    post_b = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("B post"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty roster")
        ordering = ["unit", "starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="duty_shift_period")]
        indexes = [models.Index(fields=["unit", "starts_at", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.starts_at:%Y-%m-%d %H:%M}"


class DutyLogEntry(ComposedTexts):
    """The written duty log (值班记录): calls, warnings passed on, incidents, handovers."""

    class Kind(models.TextChoices):
        CALL = "call", _("Call received")
        WARNING = "warning", _("Warning passed on")
        INCIDENT = "incident", _("Incident")
        HANDOVER = "handover", _("Handover")
        OTHER = "other", _("Other")

    unit = models.ForeignKey(
        GridUnit, on_delete=models.PROTECT, related_name="duty_log", verbose_name=_("dispatch centre")
    )
    at = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    summary = models.CharField(_("summary"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    caller = models.CharField(_("caller and number"), max_length=100, blank=True)
    warning = models.ForeignKey(Warning, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Empty for an entry the system wrote (a warning passed on automatically when it was delivered).
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("duty log entry")
        verbose_name_plural = _("duty log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.summary


from dispatch.callout_models import Escalation, EscalationRule, SafeReport  # noqa: E402, F401 - 叫应 and 平安
