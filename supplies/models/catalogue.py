"""The catalogue (物资目录): GB/T 38565-2020 top classes and 7-digit codes, the 13 traditional
categories as a second classification, and the items (RULES.md §6.1–§6.3). Rule tables, seeded by
a data migration and edited in the admin."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import RuleName

# 大类 (1 digit) + 中类 (2) + 小类 (2) + 细类 (2), each of the last three 01–99 (RULES.md §6.1).
ITEM_CODE = re.compile(r"^[1-9](0[1-9]|[1-9][0-9]){3}$")


def validate_item_code(value: str) -> None:
    """A GB/T 38565 code: 7 digits, a top class of one digit, then three levels of 01–99."""
    if not ITEM_CODE.match(value or ""):
        raise ValidationError(
            _("An item code has 7 digits: a top class (1 digit), then the mid, sub and fine classes (01–99 each)."),
            code="item_code",
        )


class SupplyClass(RuleName):
    """A GB/T 38565 top class (大类): 1 基本生活保障物资, 2 应急装备及配套物资, 3 工程材料与机械加工设备."""

    code = models.CharField(
        _("code"),
        max_length=1,
        unique=True,
        validators=[RegexValidator(r"^[1-9]$", _("A top class is one digit, 1–9."))],
    )
    name = models.CharField(_("name"), max_length=50)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("GB/T 38565 top class")
        verbose_name_plural = _("GB/T 38565 top classes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"


class SupplyCategory(RuleName):
    """One of the 13 traditional categories (防护用品, 生命救助 …; RULES.md §6.2)."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supply category")
        verbose_name_plural = _("supply categories")
        ordering = ["order", "id"]


class SupplyItem(models.Model):
    """An item of the catalogue: a GB/T 38565 code, a name, a specification, its unit of measure,
    its traditional category, its shelf life and whether (and how often) it needs maintenance."""

    code = models.CharField(_("item code"), max_length=7, unique=True, validators=[validate_item_code])
    name = models.CharField(_("name"), max_length=60)
    spec = models.CharField(_("specification"), max_length=100, blank=True)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=10)
    supply_class = models.ForeignKey(
        SupplyClass, on_delete=models.PROTECT, related_name="items", verbose_name=_("top class")
    )
    category = models.ForeignKey(
        SupplyCategory, on_delete=models.PROTECT, related_name="items", verbose_name=_("traditional category")
    )
    group = models.CharField(_("county group"), max_length=30, blank=True, help_text=_("e.g. 救生/防汛抢险类."))
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    needs_maintenance = models.BooleanField(_("needs maintenance"), default=False)
    maintenance_interval_days = models.PositiveIntegerField(_("maintenance interval (days)"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(needs_maintenance=False) | models.Q(maintenance_interval_days__gt=0),
                name="supplies_item_maintenance_interval",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit_of_measure}）"

    def clean(self) -> None:
        if self.code and self.supply_class_id and self.code[0] != self.supply_class.code:
            raise ValidationError({"code": _("The code's first digit must be the item's top class.")})
        if self.needs_maintenance and not self.maintenance_interval_days:
            raise ValidationError({"maintenance_interval_days": _("Give the maintenance interval.")})
