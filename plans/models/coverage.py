"""Coverage (横向到边、纵向到底): which plans each kind of unit must keep.

``RequiredPlan`` is a rule table, seeded by ``0003_required_plans`` from RULES.md §5.1 and §5.2
and DOMAIN.md §5, and edited in the admin: one row per unit kind and plan kind. A row marked
``only_hazardous`` applies only to enterprises marked high-risk (``GridUnit.is_hazardous``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from grids.rules import Kind
from plans.models.ledger import PlanKind


class RequiredPlan(models.Model):
    unit_kind = models.CharField(_("unit kind"), max_length=20, choices=Kind.choices)
    plan_kind = models.ForeignKey(
        PlanKind, on_delete=models.PROTECT, related_name="required_by", verbose_name=_("plan kind")
    )
    only_hazardous = models.BooleanField(
        _("high-risk enterprises only"),
        default=False,
        help_text=_("Required only of units marked high-risk (RULES.md §5.2)."),
    )
    rule = models.CharField(_("rule"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("required plan")
        verbose_name_plural = _("required plans")
        ordering = ["unit_kind", "plan_kind__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit_kind", "plan_kind"], name="required_plan_unique"),
            models.CheckConstraint(condition=models.Q(unit_kind__in=Kind.values), name="required_plan_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_unit_kind_display()}: {self.plan_kind}"

    def applies_to(self, unit) -> bool:
        """Does this row require its plan kind of ``unit`` (a grid unit, or a row with ``kind`` and
        ``is_hazardous``)?"""
        if not self.is_active or unit.kind != self.unit_kind:
            return False
        return unit.is_hazardous or not self.only_hazardous
