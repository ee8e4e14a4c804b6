"""Rescue teams: the county brigade (大队), township squadrons (中队), village vanguard teams (分队),
enterprise and social teams; their specialities (a value table), members, equipment (items of the
supplies catalogue held in a depot) and the required strength per kind (a rule table)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import RuleName
from dispatch.models import IncidentType
from grids.limits import LAT_RANGE, LNG_RANGE
from grids.models import GridUnit
from hazards.models import HazardCategory
from supplies.models import Depot, SupplyItem


class TeamKind(models.TextChoices):
    BRIGADE = "brigade", _("County comprehensive brigade (大队)")
    SQUADRON = "squadron", _("Township squadron (中队)")
    VANGUARD = "vanguard", _("Village vanguard team (分队)")
    ENTERPRISE = "enterprise", _("Enterprise team")
    SOCIAL = "social", _("Social team")


class Speciality(RuleName):
    """A rescue speciality (防汛抗洪, 森林灭火 …): the hazard categories and incident types it serves.
    A value table, seeded by a data migration and edited in the admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    hazard_categories = models.ManyToManyField(HazardCategory, blank=True, verbose_name=_("hazard categories"))
    incident_types = models.ManyToManyField(IncidentType, blank=True, verbose_name=_("incident types"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords(m2m_fields=[hazard_categories, incident_types])

    class Meta:
        verbose_name = _("rescue speciality")
        verbose_name_plural = _("rescue specialities")
        ordering = ["order", "code"]


class StrengthRule(models.Model):
    """The required strength of a team of one kind: members on the roster and on duty. A rule table."""

    kind = models.CharField(_("team kind"), max_length=12, choices=TeamKind.choices, unique=True)
    min_members = models.PositiveIntegerField(_("members at least"))
    min_on_duty = models.PositiveIntegerField(_("on duty at least"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("required team strength")
        verbose_name_plural = _("required team strengths")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.min_members}/{self.min_on_duty}"


class Team(models.Model):
    class Force(models.TextChoices):
        COMPREHENSIVE = "comprehensive", _("Comprehensive")
        MILITIA = "militia", _("Militia (民兵)")
        RESERVIST = "reservist", _("Reservists (预备役)")
        POLICE = "police", _("Police (公安)")
        MEDICAL = "medical", _("Medics (医疗)")
        FIRE = "fire", _("Fire brigade (消防)")
        VOLUNTEER = "volunteer", _("Volunteers")
        OTHER = "other", _("Other")

    class Readiness(models.TextChoices):
        READY = "ready", _("Ready")
        ON_MISSION = "on_mission", _("On a mission")
        RESTING = "resting", _("Resting")
        UNAVAILABLE = "unavailable", _("Unavailable")

    name = models.CharField(_("name"), max_length=100)
    unit = models.ForeignKey(
        GridUnit, on_delete=models.PROTECT, related_name="rescue_teams", verbose_name=_("owner unit")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=TeamKind.choices)
    force = models.CharField(_("force"), max_length=14, choices=Force.choices, default=Force.COMPREHENSIVE)
    specialities = models.ManyToManyField(Speciality, blank=True, related_name="teams", verbose_name=_("specialities"))
    on_duty = models.PositiveIntegerField(_("headcount on duty"), default=0)
    readiness = models.CharField(_("readiness"), max_length=12, choices=Readiness.choices, default=Readiness.READY)
    base_address = models.CharField(_("base"), max_length=200, blank=True)
    lng = models.FloatField(
        _("longitude"), null=True, blank=True,
        validators=[MinValueValidator(LNG_RANGE[0]), MaxValueValidator(LNG_RANGE[1])],
    )  # fmt: skip
    lat = models.FloatField(
        _("latitude"), null=True, blank=True,
        validators=[MinValueValidator(LAT_RANGE[0]), MaxValueValidator(LAT_RANGE[1])],
    )  # fmt: skip
    leader_name = models.CharField(_("leader"), max_length=50)
    leader_phone = models.CharField(_("leader's phone"), max_length=30)
    duty_phone = models.CharField(_("duty phone"), max_length=30, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[specialities])

    class Meta:
        verbose_name = _("rescue team")
        verbose_name_plural = _("rescue teams")
        ordering = ["unit__tree_id", "unit__lft", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="resources_team_unique_name"),
            models.CheckConstraint(
                condition=Q(lng__isnull=True) | Q(lng__gte=LNG_RANGE[0], lng__lte=LNG_RANGE[1]),
                name="resources_team_lng",
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True) | Q(lat__gte=LAT_RANGE[0], lat__lte=LAT_RANGE[1]),
                name="resources_team_lat",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    class Role(models.TextChoices):
        CAPTAIN = "captain", _("Captain")
        DEPUTY = "deputy", _("Deputy captain")
        MEMBER = "member", _("Member")
        MEDIC = "medic", _("Medic")
        DRIVER = "driver", _("Driver")
        LIAISON = "liaison", _("Liaison")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members", verbose_name=_("team"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="team_places",
        verbose_name=_("person of the grid"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    role = models.CharField(_("role in the team"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team_id", "role", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"], condition=Q(person__isnull=False), name="resources_member_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.get_role_display()}"


class TeamEquipment(models.Model):
    """Equipment of a team: an item of the supplies catalogue, how many, the depot it is held in."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="equipment", verbose_name=_("team"))
    item = models.ForeignKey(SupplyItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    quantity = models.PositiveIntegerField(_("quantity"))
    depot = models.ForeignKey(
        Depot, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("held in")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team equipment")
        verbose_name_plural = _("team equipment")
        ordering = ["team_id", "item__code", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "item"], name="resources_equipment_once")]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"
