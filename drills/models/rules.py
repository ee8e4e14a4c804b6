"""The drill rule tables: unit categories, who must drill what how often, evaluation indicators
and conclusion bands. All seeded by a data migration (``0002_seed_rules``), edited in the admin."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import RuleName
from grids.models import GridUnit


class DrillForm(models.TextChoices):
    LIVE = "live", _("Live exercise (实战)")
    TABLETOP = "tabletop", _("Tabletop exercise (桌面推演)")
    REMOTE = "remote", _("Remote command drill (远程指挥)")


class DrillScope(models.TextChoices):
    SINGLE = "single", _("Single-function (单项)")
    COMPREHENSIVE = "comprehensive", _("Comprehensive (综合)")


class DrillPurpose(models.TextChoices):
    TEST = "test", _("Testing (检验)")
    DEMONSTRATION = "demonstration", _("Demonstration (示范)")
    RESEARCH = "research", _("Research (研究)")


class UnitGroup(models.TextChoices):
    """The unit kinds a requirement row selects (grids.rules.Kind grouped as the county documents do)."""

    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township or subdistrict")
    PARK = "park", _("Industrial park")
    VILLAGE = "village", _("Village or community")
    ENTERPRISE = "enterprise", _("Enterprise or institution")


class UnitCategory(RuleName):
    """A category of enterprise or place that owes its own drills (危化品, 矿山, 学校 …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit category")
        verbose_name_plural = _("unit categories")
        ordering = ["order", "id"]


class CategorisedUnit(models.Model):
    """A unit placed in a category (an enterprise is 危化品, a village holds a school …)."""

    unit = models.ForeignKey(GridUnit, on_delete=models.CASCADE, related_name="drill_categories")
    category = models.ForeignKey(UnitCategory, on_delete=models.PROTECT, related_name="units")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("categorised unit")
        verbose_name_plural = _("categorised units")
        ordering = ["unit_id", "category_id"]
        constraints = [models.UniqueConstraint(fields=["unit", "category"], name="categorised_unit_unique")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.category}"


class DrillRequirement(RuleName):
    """Who must drill what, how often. A row applies to a unit of ``unit_group``; with a
    ``category`` only to units in it; with a ``plan_kind`` once per plan of that kind the unit
    owns (each plan drilled). ``times_per_year`` drills a year, one in each equal part of the year
    when it is more than one (twice a year: one per half-year)."""

    name = models.CharField(_("name"), max_length=100)
    unit_group = models.CharField(_("unit kind"), max_length=12, choices=UnitGroup.choices)
    category = models.ForeignKey(
        UnitCategory, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("unit category")
    )
    plan_kind = models.ForeignKey(
        "plans.PlanKind", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("plan kind")
    )
    comprehensive_only = models.BooleanField(_("comprehensive drills only"), default=False)
    times_per_year = models.PositiveSmallIntegerField(
        _("times a year"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    rule = models.CharField(_("rule"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("drill requirement")
        verbose_name_plural = _("drill requirements")
        ordering = ["order", "id"]

    @property
    def months_per_part(self) -> int:
        return 12 // self.times_per_year if 12 % self.times_per_year == 0 else 12


class EvaluationIndicator(RuleName):
    """An indicator of the evaluation form of a drill form, with its weight (GB/T 46792, AQ/T 9009)."""

    form = models.CharField(_("drill form"), max_length=10, choices=DrillForm.choices)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("indicator"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation indicator")
        verbose_name_plural = _("evaluation indicators")
        ordering = ["form", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "code"], name="evaluation_indicator_unique")]


class ConclusionBand(RuleName):
    """Scores → conclusion: the highest band whose ``min_score`` the weighted score reaches."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("conclusion"), max_length=10)
    min_score = models.DecimalField(
        _("lowest score"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conclusion band")
        verbose_name_plural = _("conclusion bands")
        ordering = ["-min_score"]
        constraints = [models.UniqueConstraint(fields=["min_score"], name="conclusion_band_score_unique")]

    def __str__(self) -> str:
        return f"{self.display_name} ≥ {self.min_score}"
