"""Patrols (巡查), the village grid ledger (网格信息台账) and presence checks (到岗抽查).

Rule tables (seeded by a data migration, edited in the admin, with history):

- ``Season``: a county's flood season (汛期) and fire season (防火期), from a month-day to a
  month-day (a season may run over the new year);
- ``PatrolRule``: for a unit kind (village, community …), in a season or all year, and optionally
  only while a warning of a level or above is in force there, which points are patrolled
  (``point_source``) and how often (``interval_days``). The strictest rule that applies on a day
  sets that day's interval (``patrols.rules``).

Registers: ``PatrolPoint`` (a place of a village to patrol: from the hazard register, a danger zone
of an evacuation list, or drawn on the map), ``PatrolRoute`` and its ``RouteStop``s (a named, ordered
set of one village's points; a ``PatrolRule`` naming a route asks for the whole route to be
patrolled at its interval, by one patrol on the route checking in at every point in use), ``Patrol`` (one round of an officer), ``CheckIn`` (a
point visited: the phone's position and time, the server's time, the distance to the point, 正常
or a hazard reported), ``PresenceCheck`` and ``PresenceRequest`` (到岗抽查 during a warning)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import RuleName
from dispatch.models import Level, Warning
from grids.files import RandomName
from grids.models import GridUnit
from grids.rules import Kind
from hazards.models import Hazard

NOTE = 500


class Season(RuleName):
    class SeasonKind(models.TextChoices):
        FLOOD = "flood", _("Flood season")
        FIRE = "fire", _("Fire season")

    county = models.ForeignKey(
        GridUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("county"),
        help_text=_("Empty: every county without a season of this kind of its own."),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=30)
    kind = models.CharField(_("kind"), max_length=8, choices=SeasonKind.choices)
    start_month = models.PositiveSmallIntegerField(
        _("from month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    start_day = models.PositiveSmallIntegerField(
        _("from day"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    end_month = models.PositiveSmallIntegerField(
        _("to month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    end_day = models.PositiveSmallIntegerField(_("to day"), validators=[MinValueValidator(1), MaxValueValidator(31)])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("patrol season")
        verbose_name_plural = _("patrol seasons")
        ordering = ["kind", "start_month", "start_day"]
        constraints = [models.UniqueConstraint(fields=["county", "kind"], name="patrol_season_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.display_name} {self.start_month}-{self.start_day}～{self.end_month}-{self.end_day}"

    def clean(self) -> None:
        for month, day in ((self.start_month, self.start_day), (self.end_month, self.end_day)):
            try:
                datetime.date(2024, month or 1, day or 1)  # a leap year: 29 February is a day
            except ValueError:
                raise ValidationError(_("There is no such day in the year.")) from None

    def contains(self, day: datetime.date) -> bool:
        """Whether ``day`` falls in the season (both ends included; across the new year too)."""
        here = (day.month, day.day)
        start, end = (self.start_month, self.start_day), (self.end_month, self.end_day)
        if start <= end:
            return start <= here <= end
        return here >= start or here <= end


class PointSource(models.TextChoices):
    HAZARD = "hazard", _("Open natural-disaster hazards")
    DANGER_ZONE = "zone", _("Danger zones of the evacuation lists")
    DRAWN = "drawn", _("Drawn on the map")
    ANY = "any", _("Every point of the unit")


class PatrolRule(models.Model):
    county = models.ForeignKey(
        GridUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("county"),
        help_text=_("Empty: every county."),
    )  # fmt: skip
    unit_kind = models.CharField(_("unit kind"), max_length=12, choices=Kind.choices)
    season = models.ForeignKey(
        Season, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("season"),
        help_text=_("Empty: all year."),
    )  # fmt: skip
    warning_level = models.PositiveSmallIntegerField(
        _("only while a warning is in force of at least"), choices=Level.choices, null=True, blank=True,
        help_text=_("Empty: whether or not a warning is in force."),
    )  # fmt: skip
    point_source = models.CharField(_("points"), max_length=6, choices=PointSource.choices, default=PointSource.ANY)
    interval_days = models.PositiveSmallIntegerField(_("every (days)"), validators=[MinValueValidator(1)])
    route = models.ForeignKey(
        "PatrolRoute", on_delete=models.PROTECT, null=True, blank=True, related_name="rules",
        verbose_name=_("patrol route"),
        help_text=_("Empty: the rule asks for patrols of the village. A route: the whole route, by one patrol."),
    )  # fmt: skip
    active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("patrol rule")
        verbose_name_plural = _("patrol rules")
        ordering = ["unit_kind", "interval_days", "id"]
        constraints = [models.CheckConstraint(condition=Q(interval_days__gte=1), name="patrol_rule_interval_positive")]

    def __str__(self) -> str:
        return f"{self.get_unit_kind_display()} / {self.interval_days}"

    def clean(self) -> None:
        if self.route_id is None:
            return
        unit = self.route.unit
        if self.unit_kind != unit.kind:
            raise ValidationError({"unit_kind": _("A rule for a route must be of the kind of the route's unit.")})
        if self.county_id is not None and not self.county.contains(unit):
            raise ValidationError({"route": _("The route is not in the rule's county.")})


class PatrolPoint(models.Model):
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="patrol_points", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source"), max_length=6, choices=PointSource.choices, default=PointSource.DRAWN)
    hazard = models.ForeignKey(
        Hazard, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("hazard")
    )
    danger_zone = models.ForeignKey(
        "plans.DangerZone", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("danger zone"),
    )  # fmt: skip
    lng = models.FloatField(_("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    lat = models.FloatField(_("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    active = models.BooleanField(_("patrolled"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("patrol point")
        verbose_name_plural = _("patrol points")
        ordering = ["unit", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hazard"], condition=Q(hazard__isnull=False), name="patrol_point_one_per_hazard"
            ),
            models.UniqueConstraint(
                fields=["danger_zone"], condition=Q(danger_zone__isnull=False), name="patrol_point_one_per_zone"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PatrolRoute(models.Model):
    """A named, ordered set of one village's patrol points (its ``stops``)."""

    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="patrol_routes", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("in use"), default=True)
    notes = models.TextField(_("notes"), max_length=NOTE, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("patrol route")
        verbose_name_plural = _("patrol routes")
        ordering = ["unit", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="patrol_route_name_once_per_unit")]

    def __str__(self) -> str:
        return self.name


class RouteStop(models.Model):
    route = models.ForeignKey(
        PatrolRoute, on_delete=models.CASCADE, related_name="stops", verbose_name=_("patrol route")
    )
    point = models.ForeignKey(
        PatrolPoint, on_delete=models.PROTECT, related_name="route_stops", verbose_name=_("point")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("route stop")
        verbose_name_plural = _("route stops")
        ordering = ["route", "order"]
        constraints = [
            models.UniqueConstraint(fields=["route", "point"], name="route_stop_point_once"),
            models.UniqueConstraint(fields=["route", "order"], name="route_stop_order_once"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.point}"

    def clean(self) -> None:
        if self.route_id and self.point_id and self.point.unit_id != self.route.unit_id:
            raise ValidationError({"point": _("Every point of a route must be a patrol point of the route's unit.")})


class Patrol(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Under way")
        FINISHED = "finished", _("Finished")

    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="patrols", verbose_name=_("unit"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patrols", verbose_name=_("officer")
    )
    route = models.ForeignKey(
        PatrolRoute,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="patrols",
        verbose_name=_("patrol route"),
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # the phone's own time of the start and the finish (a patrol queued offline arrives later)
    client_started_at = models.DateTimeField(_("started, on the phone"), null=True, blank=True)
    client_finished_at = models.DateTimeField(_("finished, on the phone"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=NOTE, blank=True)
    client_key = models.UUIDField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "client_key"], name="patrol_unique_submission"),
            models.CheckConstraint(condition=Q(state__in=["open", "finished"]), name="patrol_state_valid"),
        ]
        indexes = [models.Index(fields=["unit", "started_at"], name="patrol_unit_started")]

    def __str__(self) -> str:
        return f"{self.unit} {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"


class CheckIn(models.Model):
    class Outcome(models.TextChoices):
        NORMAL = "normal", _("Normal, nothing found")
        HAZARD = "hazard", _("Hazard reported")

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="checkins")
    point = models.ForeignKey(PatrolPoint, on_delete=models.PROTECT, related_name="checkins", verbose_name=_("point"))
    outcome = models.CharField(_("finding"), max_length=8, choices=Outcome.choices, default=Outcome.NORMAL)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("distance to the point (m)"), null=True, blank=True)
    within_tolerance = models.BooleanField(_("at the point"), null=True)
    client_time = models.DateTimeField(_("time on the phone"), null=True, blank=True)
    server_time = models.DateTimeField(_("time received"), default=timezone.now)
    note = models.TextField(_("note"), max_length=NOTE, blank=True)
    photo = models.ImageField(_("photo"), upload_to=RandomName("patrols"), blank=True)
    hazard_key = models.UUIDField(null=True, blank=True, editable=False, help_text="Hazard.client_key of its report")
    client_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["server_time", "id"]
        constraints = [
            models.UniqueConstraint(fields=["patrol", "point"], name="checkin_once_per_point"),
        ]

    def __str__(self) -> str:
        return f"{self.patrol_id} {self.point}"


class PresenceCheck(models.Model):
    """到岗抽查: a spot check of officers' presence while a warning of orange or above is in force."""

    warning = models.ForeignKey(Warning, on_delete=models.PROTECT, related_name="+", verbose_name=_("warning"))
    unit = models.ForeignKey(
        GridUnit, on_delete=models.PROTECT, related_name="presence_checks", verbose_name=_("checked by unit")
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("sent"), default=timezone.now)
    minutes = models.PositiveSmallIntegerField(_("minutes to answer"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("presence check")
        verbose_name_plural = _("presence checks")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"


class PresenceRequest(models.Model):
    class Answer(models.TextChoices):
        PENDING = "pending", _("Waiting")
        ANSWERED = "answered", _("Answered in time")
        LATE = "late", _("Answered late")
        UNANSWERED = "unanswered", _("Not answered")

    check_run = models.ForeignKey(PresenceCheck, on_delete=models.CASCADE, related_name="requests")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="presence_requests")
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    due_at = models.DateTimeField(_("answer by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    client_time = models.DateTimeField(_("time on the phone"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("presence request")
        verbose_name_plural = _("presence requests")
        ordering = ["due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["check_run", "officer"], name="presence_once_per_officer")]

    def __str__(self) -> str:
        return f"{self.check_run_id} {self.officer}"

    def answer_at(self, now: datetime.datetime) -> str:
        """The request's answer as seen at ``now``."""
        if self.answered_at is not None:
            return self.Answer.ANSWERED if self.answered_at <= self.due_at else self.Answer.LATE
        return self.Answer.PENDING if now <= self.due_at else self.Answer.UNANSWERED


class ComplianceNotice(models.Model):
    """The daily job's key: a township told once per day of its villages' missed patrols."""

    unit = models.ForeignKey(GridUnit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    missed = models.PositiveIntegerField(default=0)
    document = models.ForeignKey(
        "delivery.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="patrol_notice_once_per_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"
