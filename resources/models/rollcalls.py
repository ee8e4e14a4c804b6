"""Reachability of the contact network: the roles each tier's units must have filled (a rule
table), and roll calls (点名): a test call sent down the chain from a unit through the delivery
mechanism, acknowledged by each person called; the unacknowledged are escalated to their unit's
leader after ``settings.ROLL_CALL_ESCALATE_MINUTES``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from delivery.models import Document
from grids.models import GridUnit, Role


class RequiredRole(models.Model):
    """A role that every unit of a tier must have filled and reachable. A rule table."""

    tier = models.PositiveSmallIntegerField(_("tier"), choices=[(1, _("Tier 1")), (2, _("Tier 2")), (3, _("Tier 3"))])
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role to be reachable")
        verbose_name_plural = _("roles to be reachable")
        ordering = ["tier", "order", "role"]
        constraints = [models.UniqueConstraint(fields=["tier", "role"], name="resources_required_role_once")]

    def __str__(self) -> str:
        return f"{self.get_tier_display()} · {self.get_role_display()}"


class RollCall(models.Model):
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="roll_calls", verbose_name=_("called by"))
    message = models.CharField(_("message"), max_length=200)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started"))
    document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roll call")
        verbose_name_plural = _("roll calls")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.message}"


class RollCallEntry(models.Model):
    """One person called in one unit, and whether (and when) they answered."""

    roll_call = models.ForeignKey(RollCall, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    township = models.ForeignKey(
        GridUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("township")
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="roll_call_entries")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("roll-call entry")
        verbose_name_plural = _("roll-call entries")
        ordering = ["roll_call_id", "unit__tree_id", "unit__lft", "id"]
        constraints = [models.UniqueConstraint(fields=["roll_call", "unit", "person"], name="resources_entry_once")]
        indexes = [
            models.Index(
                fields=["roll_call"], condition=Q(acknowledged_at__isnull=True, escalated_at__isnull=True),
                name="resources_entry_open",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.person} · {self.unit}"
