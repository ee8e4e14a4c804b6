"""The drill register: annual drill plans, drills with their mobilisation times and record,
sign-in, evaluation, findings (问题清单), training sessions, and the notices the daily job sent."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import ComposedTexts
from drills.models.rules import ConclusionBand, DrillForm, DrillPurpose, DrillScope, EvaluationIndicator
from grids.files import RandomName
from grids.models import GridUnit


class AnnualDrillPlan(models.Model):
    """年度演练计划 of a unit for a year, filed with the tier above through delivery."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("drill plan", "Draft")
        FILED = "filed", pgettext_lazy("drill plan", "Filed")

    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="annual_drill_plans")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    document = models.ForeignKey(
        "delivery.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("annual drill plan")
        verbose_name_plural = _("annual drill plans")
        ordering = ["-year", "unit__tree_id", "unit__lft"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="annual_drill_plan_unique")]

    def __str__(self) -> str:
        return self.title


class DrillState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("drill", "Planned")
    STARTED = "started", pgettext_lazy("drill", "Started")
    HELD = "held", pgettext_lazy("drill", "Held")
    EVALUATED = "evaluated", pgettext_lazy("drill", "Evaluated")


DONE_STATES = (DrillState.HELD, DrillState.EVALUATED)


class Drill(models.Model):
    title = models.CharField(_("title"), max_length=200)
    annual_plan = models.ForeignKey(
        AnnualDrillPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="drills"
    )
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="drills", verbose_name=_("drilled unit"))
    organiser = models.ForeignKey(
        GridUnit, on_delete=models.PROTECT, related_name="organised_drills", verbose_name=_("organiser")
    )
    linked_plans = models.ManyToManyField("plans.Plan", blank=True, related_name="drills", verbose_name=_("plans"))
    form = models.CharField(_("form"), max_length=10, choices=DrillForm.choices)
    scope = models.CharField(_("scope"), max_length=14, choices=DrillScope.choices)
    purpose = models.CharField(_("purpose"), max_length=14, choices=DrillPurpose.choices, default=DrillPurpose.TEST)
    double_blind = models.BooleanField(_("double-blind (双盲)"), default=False)
    scenario = models.TextField(_("scenario"), max_length=2000)
    subjects = models.TextField(_("subjects (科目)"), max_length=2000, blank=True)
    participating_units = models.ManyToManyField(
        GridUnit, blank=True, related_name="joined_drills", verbose_name=_("participating units")
    )
    teams = models.TextField(_("participating teams"), max_length=1000, blank=True)
    evaluation_team = models.TextField(_("evaluation team"), max_length=1000, blank=True)
    planned_date = models.DateField(_("planned date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=DrillState.choices, default=DrillState.PLANNED)
    # mobilisation (the alarm and who came when)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    alarm_sent_at = models.DateTimeField(_("alarm sent"), null=True, blank=True)
    alarm_document = models.ForeignKey(
        "delivery.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_on_scene_at = models.DateTimeField(_("first responders at the point"), null=True, blank=True)
    assembled_at = models.DateTimeField(_("everyone assembled"), null=True, blank=True)
    # the record of the drill held
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    held_place = models.CharField(_("where held"), max_length=200, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    participants = models.TextField(_("participants"), max_length=2000, blank=True)
    script = models.TextField(_("script"), max_length=10000, blank=True)
    narrative = models.TextField(_("what happened, in order"), max_length=10000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("drill")
        verbose_name_plural = _("drills")
        ordering = ["planned_date", "id"]
        indexes = [models.Index(fields=["planned_date"], name="drill_planned_date")]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """签到: a person signed in to a drill (the sign-in sheet)."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed in"))

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")
        ordering = ["drill_id", "signed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["drill", "person"], name="drill_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.drill_id} {self.person}"


class Evaluation(models.Model):
    """The evaluation of a drill: the weighted score, its conclusion and the written reports."""

    drill = models.OneToOneField(Drill, on_delete=models.CASCADE, related_name="evaluation")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    conclusion = models.ForeignKey(ConclusionBand, on_delete=models.PROTECT, verbose_name=_("conclusion"))
    report = models.TextField(_("evaluation report"), max_length=10000, blank=True)
    summary = models.TextField(_("summary report"), max_length=10000, blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    evaluated_at = models.DateTimeField(_("evaluated"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("drill evaluation")
        verbose_name_plural = _("drill evaluations")

    def __str__(self) -> str:
        return f"{self.drill} · {self.conclusion.display_name}"


class IndicatorScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(EvaluationIndicator, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])

    class Meta:
        ordering = ["evaluation_id", "indicator__order"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "indicator"], name="indicator_score_unique")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.score}"


class Finding(models.Model):
    """One problem a drill exposed (问题清单), with its owner, deadline and state until closed."""

    class Kind(models.TextChoices):
        PLAN_PROBLEM = "plan_problem", _("Plan problem")
        DANGER = "danger", _("Danger found")
        EQUIPMENT = "equipment", _("Equipment or stock problem")

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("finding", "Open")
        CLOSED = "closed", pgettext_lazy("finding", "Closed")

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    description = models.TextField(_("problem"), max_length=2000)
    owner_unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner"))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("plan")
    )
    hazard = models.ForeignKey(
        "hazards.Hazard", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("hazard")
    )
    closing_note = models.TextField(_("how it was fixed"), max_length=2000, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("drill finding")
        verbose_name_plural = _("drill findings")
        ordering = ["state", "deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="plan_problem") | Q(plan__isnull=False), name="finding_plan_problem_has_plan"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:50]


class Training(models.Model):
    """培训: a training session organised by a unit, attended by people of the grid."""

    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("organiser"))
    topic = models.CharField(_("topic"), max_length=200)
    held_on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"), max_digits=4, decimal_places=1, validators=[MinValueValidator(0.5), MaxValueValidator(99)]
    )
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="trainings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"], m2m_fields=[attendees])

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "id"]

    def __str__(self) -> str:
        return self.topic


class Notice(ComposedTexts):
    """A flag the daily job sent once (an overdue finding, a drill due): keyed, claimed, then sent."""

    key = models.CharField(max_length=80, unique=True)
    unit = models.ForeignKey(GridUnit, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.key


class DrillMedia(models.Model):
    """A photo or a video of a drill held, kept with its record: photos checked and re-encoded as
    hazards' are, videos checked by their content (``drills.media``); stored under random names and
    served only through the drill's scope (``drills:media``)."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        VIDEO = "video", _("Video")

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=RandomName("drills"))
    # a photo's 320 px thumbnail, made with it (drills.services.media); served by drills:media_thumb
    thumbnail = models.FileField(_("thumbnail"), upload_to=RandomName("drills/thumbs"), blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=40)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("drill photo or video")
        verbose_name_plural = _("drill photos and videos")
        ordering = ["drill_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.drill_id} {self.original_name}"
