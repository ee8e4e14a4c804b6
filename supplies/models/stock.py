"""Depots, lots and the ledger (台账): stock is held in lots; every change of a lot's quantity is a
``Movement`` written in the same transaction (``supplies.services.stock``), so the lot's quantity
is the sum of its movements. Reserve norms (储备标准) are a rule table."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dispatch.models import Incident
from grids.limits import LAT_RANGE, LNG_RANGE
from grids.models import GridUnit
from grids.rules import Kind
from supplies.models.catalogue import SupplyItem


class ReserveMode(models.TextChoices):
    GOVERNMENT = "government", _("Government reserve")
    COMMERCIAL = "commercial", _("Commercial reserve")
    MIXED = "mixed", _("Mixed reserve")


class Depot(models.Model):
    """A depot (储备库) or a reserve point (储备点) of a grid unit of any tier."""

    class Kind(models.TextChoices):
        DEPOT = "depot", _("Reserve depot")
        POINT = "point", _("Reserve point")

    name = models.CharField(_("name"), max_length=100)
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="depots", verbose_name=_("owner unit"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.POINT)
    reserve_mode = models.CharField(
        _("reserve mode"), max_length=12, choices=ReserveMode.choices, default=ReserveMode.GOVERNMENT
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
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
    manager_name = models.CharField(_("manager"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30)
    capacity_notes = models.CharField(_("capacity notes"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("depot")
        verbose_name_plural = _("depots")
        ordering = ["unit__tree_id", "unit__lft", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lng__isnull=True) | Q(lng__gte=LNG_RANGE[0], lng__lte=LNG_RANGE[1]),
                name="supplies_depot_lng",
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True) | Q(lat__gte=LAT_RANGE[0], lat__lte=LAT_RANGE[1]),
                name="supplies_depot_lat",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Lot(models.Model):
    """A lot (批次) of one item in one depot. ``quantity`` changes only through the services, each
    change with its ledger row."""

    class Source(models.TextChoices):
        PROCURED = "procured", _("Procured")
        DONATED = "donated", _("Donated")
        ALLOCATED = "allocated", _("Allocated from above")
        TRANSFERRED = "transferred", _("Transferred in")

    item = models.ForeignKey(SupplyItem, on_delete=models.PROTECT, related_name="lots", verbose_name=_("item"))
    depot = models.ForeignKey(Depot, on_delete=models.PROTECT, related_name="lots", verbose_name=_("depot"))
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.PROCURED)
    storage_place = models.CharField(_("storage place"), max_length=100, blank=True)
    under_maintenance = models.BooleanField(_("under maintenance"), default=False)
    next_maintenance_due = models.DateField(_("next maintenance due"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))
    history = HistoricalRecords(excluded_fields=["quantity"])  # the ledger is the quantity's history

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = [models.F("expiry_date").asc(nulls_last=True), "received_at", "id"]
        indexes = [models.Index(fields=["depot", "item"], name="supplies_lot_depot_item")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="supplies_lot_quantity_not_negative"),
            models.CheckConstraint(
                condition=Q(expiry_date__isnull=True)
                | Q(production_date__isnull=True)
                | Q(expiry_date__gte=models.F("production_date")),
                name="supplies_lot_expiry_after_production",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.name} × {self.quantity}（{self.depot.name}）"

    def is_expired(self, today) -> bool:
        return self.expiry_date is not None and self.expiry_date < today


class Movement(models.Model):
    """One row of the ledger (台账): a signed change of one lot's quantity, with who, when, why and
    the document it belongs to. Never changed after it is written."""

    class Kind(models.TextChoices):
        RECEIVE = "in", _("Received")
        ISSUE = "out", _("Issued")
        TRANSFER_OUT = "transfer_out", _("Transferred out")
        TRANSFER_IN = "transfer_in", _("Transferred in")
        ADJUST = "adjust", _("Stock-take adjustment")
        DISPOSE = "dispose", _("Disposed of")

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="movements", verbose_name=_("lot"))
    depot = models.ForeignKey(Depot, on_delete=models.PROTECT, related_name="movements", verbose_name=_("depot"))
    item = models.ForeignKey(SupplyItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    kind = models.CharField(_("movement"), max_length=12, choices=Kind.choices)
    quantity = models.IntegerField(_("change"))
    balance = models.PositiveIntegerField(_("lot balance after"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)
    document_no = models.CharField(_("document number"), max_length=60, blank=True)
    incident = models.ForeignKey(
        Incident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supply_movements",
        verbose_name=_("incident"),
    )
    to_unit = models.ForeignKey(
        GridUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("issued to")
    )
    recipient = models.CharField(_("recipient"), max_length=100, blank=True)
    transfer = models.ForeignKey(
        "supplies.Transfer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name=_("transfer"),
    )
    stock_take = models.ForeignKey(
        "supplies.StockTake",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name=_("stock-take"),
    )

    class Meta:
        verbose_name = _("ledger row")
        verbose_name_plural = _("ledger rows")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["depot", "-at"], name="supplies_move_depot_at"),
            models.Index(fields=["lot", "at"], name="supplies_move_lot_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="supplies_movement_not_zero"),
            models.CheckConstraint(
                condition=Q(kind__in=["in", "transfer_in"], quantity__gt=0)
                | Q(kind__in=["out", "transfer_out", "dispose"], quantity__lt=0)
                | Q(kind="adjust"),
                name="supplies_movement_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity:+d} {self.item.name}"


class ReserveNorm(models.Model):
    """A reserve norm (储备标准): every unit of ``tier`` (and of ``unit_kind``, when given) should hold
    at least ``quantity`` of ``item``, plus ``per_thousand`` for every 1,000 residents of the unit
    (``GridUnit.population``). A rule table."""

    tier = models.PositiveSmallIntegerField(
        _("tier"),
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("1 county, 2 township, 3 village"),
    )
    unit_kind = models.CharField(_("unit kind"), max_length=20, choices=Kind.choices, blank=True)
    item = models.ForeignKey(SupplyItem, on_delete=models.PROTECT, related_name="norms", verbose_name=_("item"))
    quantity = models.PositiveIntegerField(_("at least"), default=0)
    per_thousand = models.PositiveIntegerField(_("per 1,000 residents"), default=0)
    rule = models.CharField(_("source of the rule"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reserve norm")
        verbose_name_plural = _("reserve norms")
        ordering = ["tier", "unit_kind", "item__code"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "unit_kind", "item"], name="supplies_norm_unique"),
            models.CheckConstraint(condition=Q(tier__gte=1, tier__lte=3), name="supplies_norm_tier"),
        ]

    def __str__(self) -> str:
        return f"{self.tier} · {self.item.name} ≥ {self.quantity}"

    def required_for(self, population: int | None) -> int:
        """The norm for a unit of ``population`` residents: the floor plus the share per 1,000 (rounded up)."""
        extra = -(-(population or 0) * self.per_thousand // 1000) if self.per_thousand else 0
        return self.quantity + extra
