"""Reads of depots, lots and the ledger, through ``supplies.access``; a page's queries do not grow
with its rows."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from supplies import access
from supplies.models import Depot, Lot, Movement


def depot_list(user) -> QuerySet[Depot]:
    """The depots the person sees, each with its number of lots and pieces (one query)."""
    today = timezone.localdate()
    return (
        access.visible_depots(user)
        .filter(is_active=True)
        .select_related("unit")
        .annotate(
            lot_count=Count("lots", filter=Q(lots__quantity__gt=0)),
            pieces=Sum("lots__quantity"),
            expired_lots=Count("lots", filter=Q(lots__quantity__gt=0, lots__expiry_date__lt=today)),
        )
    )


def depot_lots(depot: Depot, *, today: datetime.date | None = None, soon_days: int = 30) -> list[dict]:
    """The lots in stock, first expiry first, each with its state and whether it is the FEFO
    suggestion for its item (the first usable lot of that item)."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=soon_days)
    rows, suggested = [], set()
    lots = (
        Lot.objects.filter(depot=depot, quantity__gt=0)
        .select_related("item")
        .order_by("item__code", *Lot._meta.ordering)
    )
    for lot in lots:
        expired = lot.is_expired(today)
        usable = not expired and not lot.under_maintenance
        first = usable and lot.item_id not in suggested
        if first:
            suggested.add(lot.item_id)
        rows.append(
            {
                "lot": lot,
                "expired": expired,
                "usable": usable,
                "expiring": usable and lot.expiry_date is not None and lot.expiry_date <= soon,
                "suggested": first,
            }
        )
    return rows


def depot_ledger(depot: Depot) -> QuerySet[Movement]:
    return Movement.objects.filter(depot=depot).select_related("item", "by", "to_unit", "incident", "lot")


def ledger_for(user) -> QuerySet[Movement]:
    return access.visible_movements(user).select_related("depot", "item", "by", "to_unit", "incident")


def stock_for(user) -> QuerySet[Lot]:
    return access.visible_lots(user).filter(quantity__gt=0).select_related("depot__unit", "item")


def drill_equipment_findings(user, depot: Depot) -> list:
    """The open findings of drills that exposed an equipment or stock problem at the depot's unit
    (演练发现的装备物资问题): what the depot's keepers must put right, read through drills' own scope."""
    from drills.access import visible_findings
    from drills.models import Finding

    return list(
        visible_findings(user)
        .filter(kind=Finding.Kind.EQUIPMENT, state=Finding.State.OPEN, owner_unit_id=depot.unit_id)
        .select_related("drill")
        .order_by("deadline", "id")[:20]
    )
