"""Stock-take (盘点): the counted sheet of a depot, imported whole; each lot whose count differs
from the books is a line pending the approval of the depot's owner tier, and becomes an
``ADJUST`` ledger row when approved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from supplies.models.stock import Depot, Lot


class StockTake(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved, adjusted")
        REJECTED = "rejected", _("Rejected")

    depot = models.ForeignKey(Depot, on_delete=models.PROTECT, related_name="stock_takes", verbose_name=_("depot"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    counted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    counted_at = models.DateTimeField(_("counted at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stock-take")
        verbose_name_plural = _("stock-takes")
        ordering = ["-counted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["depot"], condition=Q(state="pending"), name="supplies_stocktake_one_pending"
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"盘-{self.depot_id}-{self.pk}"


class StockTakeLine(models.Model):
    stock_take = models.ForeignKey(StockTake, on_delete=models.CASCADE, related_name="lines")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="+", verbose_name=_("lot"))
    expected = models.PositiveIntegerField(_("on the books"))
    counted = models.PositiveIntegerField(_("counted"))

    class Meta:
        verbose_name = _("stock-take line")
        verbose_name_plural = _("stock-take lines")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["stock_take", "lot"], name="supplies_stocktake_line_lot"),
            models.CheckConstraint(condition=~Q(expected=models.F("counted")), name="supplies_stocktake_line_differs"),
        ]

    def __str__(self) -> str:
        return f"{self.lot_id}: {self.expected} → {self.counted}"

    @property
    def difference(self) -> int:
        return self.counted - self.expected
