"""Test data for supplies, made through the services (no side doors)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from supplies import services
from supplies.models import Depot, SupplyItem


def item(name: str) -> SupplyItem:
    return SupplyItem.objects.get(name=name)


def depot(unit, *, name=None, kind=Depot.Kind.POINT, **fields) -> Depot:
    fields.setdefault("manager_name", f"{unit.name}保管员")
    fields.setdefault("phone", "0776-7612345")
    return Depot.objects.create(unit=unit, name=name or f"{unit.name}应急物资储备点", kind=kind, **fields)


def lot(depot, name: str, quantity: int, *, by, expires_in: int | None = 365, **fields):
    """A lot received now, expiring ``expires_in`` days from today (``None``: no expiry)."""
    today = timezone.localdate()
    expiry = None if expires_in is None else today + datetime.timedelta(days=expires_in)
    production = min(today, expiry) - datetime.timedelta(days=30) if expiry else None
    return services.stock_receive(
        depot=depot, item=item(name), quantity=quantity, by=by, expiry_date=expiry, production_date=production, **fields
    )


def request(to_unit, source_unit, *, by, lines=(("编织袋", 100),)):
    """A transfer request from ``to_unit`` to ``source_unit`` (a unit above it)."""
    return services.transfer_request(
        by=by, to_unit=to_unit, source_unit=source_unit, lines=[(item(name), n) for name, n in lines]
    )
