"""The case library (案例库) and the regulation library (法规库), the last two of "one network, five
libraries" (seed 002).

- A ``Case`` is what a closed incident (its final report) or a held drill (its evaluation and
  findings) teaches: cause, measures, handling, lessons, problems and suggestions. It is a draft
  until published. One case per incident and per drill at most.
- A ``Regulation`` is a law, rule, standard or local document with its number (文号), issuer,
  dates and status; the plans that cite it are linked, and replacing it raises a revision trigger
  on them (``library.services.regulations.regulation_replace``).
Files of both follow the plan documents' rules (``plans.files``): content checked, random names,
served after the access helper."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dispatch.models import Incident, IncidentType
from drills.models import Drill, DrillForm
from grids.files import RandomName
from grids.models import GridUnit
from hazards.models import HazardCategory
from plans.models import Plan

TEXT = 4000  # each of the six parts of a case


class Case(models.Model):
    class Source(models.TextChoices):
        INCIDENT = "incident", _("Incident")
        DRILL = "drill", _("Drill")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.OTHER)
    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("incident")
    )
    drill = models.ForeignKey(
        Drill, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("drill")
    )
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="cases", verbose_name=_("unit"))
    incident_type = models.ForeignKey(
        IncidentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("incident type")
    )
    drill_form = models.CharField(_("drill form"), max_length=10, choices=DrillForm.choices, blank=True)
    hazard_categories = models.ManyToManyField(HazardCategory, blank=True, verbose_name=_("hazard categories"))
    occurred_on = models.DateField(_("date"))
    cause = models.TextField(_("cause"), max_length=TEXT, blank=True)
    measures = models.TextField(_("measures taken"), max_length=TEXT, blank=True)
    handling = models.TextField(_("handling"), max_length=TEXT, blank=True)
    lessons = models.TextField(_("lessons"), max_length=TEXT, blank=True)
    problems = models.TextField(_("problems"), max_length=TEXT, blank=True)
    suggestions = models.TextField(_("suggestions"), max_length=TEXT, blank=True)
    expert_opinion = models.TextField(_("expert opinion"), max_length=TEXT, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident"], condition=Q(incident__isnull=False), name="case_one_per_incident"
            ),
            models.UniqueConstraint(fields=["drill"], condition=Q(drill__isnull=False), name="case_one_per_drill"),
        ]
        indexes = [models.Index(fields=["state", "occurred_on"], name="case_state_date")]

    def __str__(self) -> str:
        return self.title

    @property
    def type_label(self) -> str:
        if self.incident_type_id:
            return self.incident_type.display_name
        return self.get_drill_form_display() if self.drill_form else ""


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=RandomName("library/cases"))  # served by library:case_file
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return self.original_name


class Regulation(models.Model):
    class Kind(models.TextChoices):
        LAW = "law", _("Law (法律)")
        ADMINISTRATIVE = "administrative", _("Administrative regulation (行政法规)")
        DEPARTMENTAL = "departmental", _("Departmental rule (部门规章)")
        LOCAL = "local", _("Local regulation (地方性法规)")
        STANDARD = "standard", _("Standard (标准)")
        NORMATIVE = "normative", _("Normative document (规范性文件)")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force (现行有效)")
        REPLACED = "replaced", _("Revised or replaced (已修订/被替代)")
        REPEALED = "repealed", _("Repealed (已废止)")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("number (文号)"), max_length=100, blank=True)
    issuer = models.CharField(_("issuer"), max_length=100)
    issued_on = models.DateField(_("issued"), null=True, blank=True)
    effective_on = models.DateField(_("effective"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.IN_FORCE)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces", verbose_name=_("replaced by")
    )
    summary = models.TextField(_("summary"), max_length=TEXT, blank=True)
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="regulations", verbose_name=_("kept by"))
    plans = models.ManyToManyField(
        Plan, blank=True, related_name="cited_regulations", verbose_name=_("plans citing it")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")
        ordering = ["kind", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(replaced_by__isnull=True) | Q(status="replaced"),
                name="regulation_replaced_by_only_replaced",
            ),
            models.CheckConstraint(condition=~Q(replaced_by=models.F("id")), name="regulation_not_replaced_by_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）" if self.number else self.title


class RegulationFile(models.Model):
    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=RandomName("library/regulations"))  # library:regulation_file
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("regulation file")
        verbose_name_plural = _("regulation files")
        ordering = ["regulation_id", "id"]

    def __str__(self) -> str:
        return self.original_name
