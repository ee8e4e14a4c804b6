"""Transfers (调拨): a request from a lower tier to a unit above it, or an order from the county;
approved by the source unit's own people, who name the source depot; dispatched (the stock leaves,
in transit, ``Movement.Kind.TRANSFER_OUT`` rows); received and signed (签收) at the destination with
any differences (``TRANSFER_IN`` rows, new lots keeping their expiry dates). Every step is a
delivery to the next party (``delivery.Document.Kind.SUPPLY_TRANSFER``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from grids.models import GridUnit
from supplies.models.catalogue import SupplyItem
from supplies.models.stock import Depot


class Transfer(models.Model):
    class Kind(models.TextChoices):
        REQUEST = "request", _("Request from below")
        ORDER = "order", _("Order from above")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Normal")
        URGENT = "urgent", _("Urgent")
        EMERGENCY = "emergency", _("Emergency")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        DISPATCHED = "dispatched", _("In transit")
        RECEIVED = "received", _("Received and signed")
        REJECTED = "rejected", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.REQUESTED)
    source_unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("from unit"))
    source_depot = models.ForeignKey(
        Depot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_out",
        verbose_name=_("from depot"),
    )
    to_unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("to unit"))
    to_depot = models.ForeignKey(
        Depot, on_delete=models.PROTECT, null=True, blank=True, related_name="transfers_in", verbose_name=_("to depot")
    )
    reason = models.TextField(_("reason"), blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    differences = models.TextField(_("differences at receipt"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(source_unit=models.F("to_unit")), name="supplies_transfer_two_units"),
            models.CheckConstraint(
                condition=Q(state__in=["requested", "rejected", "cancelled"]) | Q(source_depot__isnull=False),
                name="supplies_transfer_source_depot",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    OPEN_STATES = ("requested", "approved", "dispatched")


class TransferLine(models.Model):
    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(SupplyItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    quantity = models.PositiveIntegerField(_("quantity asked"))
    sent = models.PositiveIntegerField(_("quantity sent"), null=True, blank=True)
    received = models.PositiveIntegerField(_("quantity received"), null=True, blank=True)

    class Meta:
        verbose_name = _("transfer line")
        verbose_name_plural = _("transfer lines")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["transfer", "item"], name="supplies_transfer_line_item"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="supplies_transfer_line_positive"),
            models.CheckConstraint(
                condition=Q(received__isnull=True) | Q(sent__isnull=False, received__lte=models.F("sent")),
                name="supplies_transfer_line_received_le_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.name} × {self.quantity}"


class TransferSequence(models.Model):
    """The counter of transfer numbers per county and year (``core.sequences.next_value``)."""

    county = models.ForeignKey(GridUnit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="supplies_transfer_sequence")]

    def __str__(self) -> str:
        return f"{self.county_id}/{self.year}: {self.last}"
