"""The expert library (专家库): who can advise on which hazard categories and incident types."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dispatch.models import IncidentType
from grids.models import GridUnit
from hazards.models import HazardCategory


class Expert(models.Model):
    class Availability(models.TextChoices):
        AVAILABLE = "available", _("Available")
        BUSY = "busy", _("Busy")
        AWAY = "away", _("Away")

    name = models.CharField(_("name"), max_length=50)
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="experts", verbose_name=_("kept by"))
    speciality = models.CharField(_("speciality"), max_length=100)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30)
    phone_2 = models.CharField(_("other phone"), max_length=30, blank=True)
    hazard_categories = models.ManyToManyField(
        HazardCategory, blank=True, related_name="+", verbose_name=_("hazard categories")
    )
    incident_types = models.ManyToManyField(
        IncidentType, blank=True, related_name="+", verbose_name=_("incident types")
    )
    availability = models.CharField(
        _("availability"), max_length=10, choices=Availability.choices, default=Availability.AVAILABLE
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[hazard_categories, incident_types])

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["unit__tree_id", "unit__lft", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "name", "phone"], name="resources_expert_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.speciality}）"
