"""Where is the nearest usable X, and how much: the usable stock (unexpired, not under
maintenance, less what approved transfers not yet dispatched commit) of each depot in the person's
scope that has a location, by item, ordered by distance from a point. Five queries whatever the
number of depots, lots or ledger rows (``resources`` calls this exact signature)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, Sum
from django.utils import timezone

from core.geo import distance_km
from supplies import access
from supplies.models import Depot, SupplyItem, Transfer, TransferLine


def usable_by_depot(user, *, item_ids: Iterable[int] | None = None) -> dict[tuple[int, int], int]:
    """{(depot id, item id): usable pieces} over the located, active depots the person sees (two queries)."""
    today = timezone.localdate()
    depots = access.visible_depots(user).filter(is_active=True, lat__isnull=False, lng__isnull=False)
    lots = (
        access.visible_lots(user)
        .filter(quantity__gt=0, under_maintenance=False, depot__in=depots)
        .filter(Q(expiry_date__isnull=True) | Q(expiry_date__gte=today))
    )
    committed = TransferLine.objects.filter(transfer__state=Transfer.State.APPROVED, transfer__source_depot__in=depots)
    if item_ids is not None:
        item_ids = list(item_ids)
        lots = lots.filter(item_id__in=item_ids)
        committed = committed.filter(item_id__in=item_ids)
    stock: dict[tuple[int, int], int] = defaultdict(int)
    for row in lots.values("depot_id", "item_id").annotate(total=Sum("quantity")).order_by():
        stock[(row["depot_id"], row["item_id"])] += row["total"]
    for row in committed.values("transfer__source_depot_id", "item_id").annotate(total=Sum("quantity")).order_by():
        key = (row["transfer__source_depot_id"], row["item_id"])
        if key in stock:
            stock[key] -= row["total"]
    return {key: n for key, n in stock.items() if n > 0}


def nearest_usable(user, *, item_ids=None, lat: float, lng: float, limit: int = 10) -> list[dict]:
    """The depots in scope with usable stock of ``item_ids`` (every item when ``None``), nearest
    first: ``[{"depot", "item", "quantity", "distance_km"}]``, at most ``limit`` rows (one row per
    depot and item)."""
    stock = usable_by_depot(user, item_ids=item_ids)
    if not stock:
        return []
    places = {
        row["pk"]: (row["lat"], row["lng"])
        for row in Depot.objects.filter(pk__in={depot for depot, _item in stock}).values("pk", "lat", "lng")
    }
    rows = sorted(
        (distance_km(lat, lng, *places[depot_id]), depot_id, item_id, quantity)
        for (depot_id, item_id), quantity in stock.items()
    )[: max(0, int(limit))]
    depots = Depot.objects.select_related("unit").in_bulk({depot_id for _km, depot_id, _i, _q in rows})
    items = SupplyItem.objects.in_bulk({item_id for _km, _d, item_id, _q in rows})
    return [
        {"depot": depots[depot_id], "item": items[item_id], "quantity": quantity, "distance_km": round(km, 1)}
        for km, depot_id, item_id, quantity in rows
    ]
