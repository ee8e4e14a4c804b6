"""The nearest usable stock to a point (a minimal version written for "who can I send" in
``resources``; the supplies register's own version replaces it): usable lots (not expired, not
under maintenance, in an active depot with a location) of the depots the person sees, summed per
depot and item, nearest first. Two queries whatever the number of depots or lots."""

from __future__ import annotations

import math

from django.db.models import Q, Sum
from django.utils import timezone

from supplies import access
from supplies.models import Depot, SupplyItem

EARTH_KM = 6371.0


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))


def nearest_usable(user, *, item_ids=None, lat: float, lng: float, limit: int = 10) -> list[dict]:
    """[{"depot", "item", "quantity", "distance_km"}] nearest first, at most ``limit`` rows."""
    today = timezone.localdate()
    lots = (
        access.visible_lots(user)
        .filter(quantity__gt=0, under_maintenance=False, depot__is_active=True)
        .filter(depot__lat__isnull=False, depot__lng__isnull=False)
        .filter(Q(expiry_date__isnull=True) | Q(expiry_date__gte=today))
    )
    if item_ids is not None:
        lots = lots.filter(item_id__in=list(item_ids))
    totals = list(lots.values("depot_id", "item_id").annotate(total=Sum("quantity")).order_by())
    if not totals:
        return []
    depots = {d.pk: d for d in Depot.objects.filter(pk__in={t["depot_id"] for t in totals}).select_related("unit")}
    items = {i.pk: i for i in SupplyItem.objects.filter(pk__in={t["item_id"] for t in totals})}
    rows = [
        {
            "depot": depots[t["depot_id"]],
            "item": items[t["item_id"]],
            "quantity": t["total"],
            "distance_km": round(distance_km(lat, lng, depots[t["depot_id"]].lat, depots[t["depot_id"]].lng), 1),
        }
        for t in totals
    ]
    rows.sort(key=lambda r: (r["distance_km"], r["depot"].pk, r["item"].code))
    return rows[:limit]
