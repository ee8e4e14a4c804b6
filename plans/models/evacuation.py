"""Evacuation (转移避险) per village and hazard category: danger zones (危险区) with the households
in them, the shelters (避灾安置点) they go to, and the rule table that says which warning types
call for which hazard categories' lists.

- ``DangerZone``: one village's (or community's) zone for one hazard category, with an optional
  GeoJSON polygon drawn on the map like a unit's boundary and the village's duty phone.
- ``Household``: a household in a zone: head, house number, persons, the vulnerable persons among
  them (老弱病残孕: a count for the figures, notes kept to the village and its township —
  ``plans.access.may_see_private``), the responsible cadre (转移责任人), the route, the shelter and
  the warning signal. Printed as its 明白卡.
- ``Shelter``: owned by a village or a township, with a place, capacity, manager and facilities;
  open or closed, with history.
- ``EvacuationTrigger``: warning type → hazard category (a rule row, seeded)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from dispatch.models import WarningType
from grids import rules
from grids.limits import LAT_RANGE, LNG_RANGE
from grids.models import GridUnit
from grids.rules import TOWNSHIP_KINDS, VILLAGE_KINDS
from hazards.models import HazardCategory

PERSONS_MAX = 200  # persons in one household (the column's own bound, not a rule)
CAPACITY_MAX = 100_000


class EvacuationTrigger(models.Model):
    """A warning of ``warning_type`` calls for the evacuation lists of ``category`` (暴雨 → 山洪、
    地质灾害、洪涝 …): a rule table, seeded, edited in the admin."""

    warning_type = models.ForeignKey(
        WarningType, on_delete=models.CASCADE, related_name="+", verbose_name=_("warning type")
    )
    category = models.ForeignKey(
        HazardCategory, on_delete=models.CASCADE, related_name="+", verbose_name=_("hazard category")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evacuation trigger")
        verbose_name_plural = _("evacuation triggers")
        ordering = ["warning_type", "category"]
        constraints = [models.UniqueConstraint(fields=["warning_type", "category"], name="evacuation_trigger_unique")]

    def __str__(self) -> str:
        return f"{self.warning_type} → {self.category}"


class DangerZone(models.Model):
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="danger_zones", verbose_name=_("village"))
    category = models.ForeignKey(
        HazardCategory, on_delete=models.PROTECT, related_name="danger_zones", verbose_name=_("hazard category")
    )
    name = models.CharField(_("danger zone"), max_length=100)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    boundary = models.JSONField(_("boundary"), null=True, blank=True, help_text=_("GeoJSON Polygon or MultiPolygon."))
    duty_phone = models.CharField(_("village duty phone"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("danger zone")
        verbose_name_plural = _("danger zones")
        ordering = ["unit", "category", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "category", "name"], name="danger_zone_unique_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.category}）"

    def clean(self) -> None:
        errors = {}
        if self.unit_id and self.unit.kind not in VILLAGE_KINDS:
            errors["unit"] = [ValidationError(_("A danger zone belongs to a village or community."))]
        try:
            rules.check_geometry(self.boundary, allowed=("Polygon", "MultiPolygon"))
        except ValidationError as exc:
            errors["boundary"] = [exc]
        if errors:
            raise ValidationError(errors)


class Shelter(models.Model):
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="shelters", verbose_name=_("owner unit"))
    name = models.CharField(_("shelter"), max_length=100)
    place = models.CharField(_("place"), max_length=200, blank=True)
    lng = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(LNG_RANGE[0]), MaxValueValidator(LNG_RANGE[1])],
    )
    lat = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(LAT_RANGE[0]), MaxValueValidator(LAT_RANGE[1])],
    )
    capacity = models.PositiveIntegerField(_("capacity (persons)"), validators=[MaxValueValidator(CAPACITY_MAX)])
    manager_name = models.CharField(_("manager"), max_length=50)
    manager_phone = models.CharField(_("manager's phone"), max_length=30)
    facilities = models.TextField(_("facilities"), max_length=2000, blank=True)
    is_open = models.BooleanField(pgettext_lazy("shelter", "open"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shelter")
        verbose_name_plural = _("shelters")
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="shelter_unique_name"),
            models.CheckConstraint(condition=Q(capacity__lte=CAPACITY_MAX), name="shelter_capacity_bound"),
            models.CheckConstraint(
                condition=(Q(lng__isnull=True) & Q(lat__isnull=True))
                | (Q(lng__gte=LNG_RANGE[0], lng__lte=LNG_RANGE[1], lat__gte=LAT_RANGE[0], lat__lte=LAT_RANGE[1])),
                name="shelter_point_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.unit_id and self.unit.kind not in VILLAGE_KINDS | TOWNSHIP_KINDS:
            raise ValidationError({"unit": [_("A shelter belongs to a village or a township.")]})


class Household(models.Model):
    zone = models.ForeignKey(
        DangerZone, on_delete=models.PROTECT, related_name="households", verbose_name=_("danger zone")
    )
    head_name = models.CharField(_("head of household"), max_length=50)
    address = models.CharField(_("house number or address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    persons = models.PositiveSmallIntegerField(
        _("persons"), validators=[MinValueValidator(1), MaxValueValidator(PERSONS_MAX)]
    )
    vulnerable = models.PositiveSmallIntegerField(
        _("vulnerable persons (老弱病残孕)"), default=0, validators=[MaxValueValidator(PERSONS_MAX)]
    )
    vulnerable_notes = models.TextField(_("vulnerable persons: who and what help"), max_length=2000, blank=True)
    cadre_name = models.CharField(_("responsible cadre (转移责任人)"), max_length=50)
    cadre_phone = models.CharField(_("responsible cadre's phone"), max_length=30)
    route = models.TextField(_("route"), max_length=2000)
    shelter = models.ForeignKey(
        Shelter, on_delete=models.PROTECT, null=True, blank=True, related_name="households", verbose_name=_("shelter")
    )
    signal = models.CharField(_("warning signal"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evacuation household")
        verbose_name_plural = _("evacuation households")
        ordering = ["zone", "address", "head_name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "head_name", "address"], name="household_unique_in_zone"),
            models.CheckConstraint(condition=Q(persons__gte=1, persons__lte=PERSONS_MAX), name="household_persons"),
            models.CheckConstraint(condition=Q(vulnerable__lte=F("persons")), name="household_vulnerable_le_persons"),
        ]

    def __str__(self) -> str:
        return f"{self.head_name}（{self.address}）"
