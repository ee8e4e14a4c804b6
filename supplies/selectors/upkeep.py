"""Reads of upkeep and of the readiness map: equipment due for maintenance, the agreement reserves
with their state, and the depots coloured by their owner unit's readiness. Constant queries."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from supplies import access
from supplies.models import AgreementLine, AgreementReserve
from supplies.selectors.readiness import readiness


def maintenance_due(user, *, today: datetime.date | None = None) -> list[dict]:
    """Lots of equipment in stock in the person's depots, next due first, each with its state:
    ``overdue``, ``due`` (within ``SUPPLIES_MAINTENANCE_WARN_DAYS``) or ``ok`` (one query)."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=settings.SUPPLIES_MAINTENANCE_WARN_DAYS)
    lots = (
        access.visible_lots(user)
        .filter(quantity__gt=0, item__needs_maintenance=True, depot__is_active=True)
        .select_related("item", "depot__unit")
        .order_by("next_maintenance_due", "depot__name", "pk")
    )
    rows = []
    for lot in lots:
        due = lot.next_maintenance_due
        state = "ok" if due is None or due > soon else ("overdue" if due < today else "due")
        rows.append({"lot": lot, "state": state})
    return rows


def agreement_list(user) -> QuerySet[AgreementReserve]:
    """The agreement reserves the person sees, with their lines (two queries)."""
    return (
        access.visible_agreements(user)
        .select_related("unit")
        .prefetch_related(Prefetch("lines", queryset=AgreementLine.objects.select_related("item")))
    )


def readiness_map(user) -> list[dict]:
    """The located depots the person sees, each coloured by the readiness row of its owner unit
    at the unit's own tier: ``short`` (red), ``ready`` (green) or ``none`` (no norm): GeoJSON-ready
    dicts (sixteen queries at most, whatever the number of depots)."""
    status: dict[int, str] = {}
    for tier in (1, 2, 3):
        items, rows = readiness(user, tier=tier)
        for row in rows:
            status[row.unit.pk] = "none" if not items else ("short" if row.short else "ready")
    depots = (
        access.visible_depots(user)
        .filter(is_active=True, lat__isnull=False, lng__isnull=False)
        .select_related("unit")
        .order_by("unit__tree_id", "unit__lft", "name")
    )
    return [
        {
            "id": depot.pk,
            "name": depot.name,
            "unit": depot.unit.name,
            "lat": depot.lat,
            "lng": depot.lng,
            "status": status.get(depot.unit_id, "none"),
        }
        for depot in depots
    ]
