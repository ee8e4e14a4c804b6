"""What keeps the reserve ready beside the physical stock: agreement reserves (协议储备 / 产能储备:
a supplier guarantees items and quantities within some hours while the contract is valid), the
maintenance and inspection records of equipment (检修保养), and the notices the daily job sent once
(``supplies.services.notices``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import ComposedTexts
from grids.models import GridUnit
from supplies.models.catalogue import SupplyItem
from supplies.models.stock import Lot, ReserveMode


class AgreementReserve(models.Model):
    """A contract with an enterprise to hold or supply goods on call (协议储备), or to make them
    (产能储备): counted in its unit's readiness apart from the physical stock, while in force."""

    class Method(models.TextChoices):
        AGREEMENT = "agreement", _("Agreement reserve")
        CAPACITY = "capacity", _("Production-capacity reserve")

    unit = models.ForeignKey(
        GridUnit, on_delete=models.PROTECT, related_name="supply_agreements", verbose_name=_("owner unit")
    )
    supplier = models.CharField(_("supplier"), max_length=100)
    contact_name = models.CharField(_("contact"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30)
    method = models.CharField(_("reserve method"), max_length=10, choices=Method.choices, default=Method.AGREEMENT)
    reserve_mode = models.CharField(
        _("reserve mode"), max_length=12, choices=ReserveMode.choices, default=ReserveMode.COMMERCIAL
    )
    contract_no = models.CharField(_("contract number"), max_length=60)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    response_hours = models.PositiveSmallIntegerField(
        _("response time (hours)"), validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement reserve")
        verbose_name_plural = _("agreement reserves")
        ordering = ["unit__tree_id", "unit__lft", "valid_until", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="supplies_agreement_dates"
            ),
            models.CheckConstraint(
                condition=Q(response_hours__gte=1, response_hours__lte=720), name="supplies_agreement_hours"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier}（{self.contract_no}）"

    def in_force(self, today: datetime.date) -> bool:
        return self.is_active and self.valid_from <= today <= self.valid_until

    def state(self, today: datetime.date, warn_days: int) -> str:
        """``lapsed``, ``lapsing`` (within ``warn_days``), ``pending`` (not yet valid) or ``in_force``."""
        if self.valid_until < today:
            return "lapsed"
        if self.valid_from > today:
            return "pending"
        if self.valid_until <= today + datetime.timedelta(days=warn_days):
            return "lapsing"
        return "in_force"


class AgreementLine(models.Model):
    agreement = models.ForeignKey(AgreementReserve, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(SupplyItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    quantity = models.PositiveIntegerField(_("quantity guaranteed"))

    class Meta:
        verbose_name = _("agreement line")
        verbose_name_plural = _("agreement lines")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "item"], name="supplies_agreement_line_item"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="supplies_agreement_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item.name} × {self.quantity}"


class MaintenanceRecord(models.Model):
    """One inspection or maintenance of a lot of equipment (检修保养): when, by whom, the result; it
    sets the lot's next due date from the item's interval. A fault keeps the lot under maintenance."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("Routine inspection")
        MAINTENANCE = "maintenance", _("Maintenance")
        REPAIR = "repair", _("Repair")

    class Result(models.TextChoices):
        GOOD = "good", _("In good order")
        FAULTY = "faulty", _("Faulty, under repair")

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="maintenance", verbose_name=_("lot"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INSPECTION)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices, default=Result.GOOD)
    done_on = models.DateField(_("done on"))
    next_due = models.DateField(_("next due"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("maintenance record")
        verbose_name_plural = _("maintenance records")
        ordering = ["-done_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.done_on}"


class SupplyNotice(ComposedTexts):
    """A flag the daily job sent once (maintenance due or overdue, a lot expiring, an agreement
    lapsing or lapsed): keyed by what it is about, inserted, claimed, then sent."""

    key = models.CharField(max_length=80, unique=True)
    unit = models.ForeignKey(GridUnit, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.key
