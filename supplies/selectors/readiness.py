"""The readiness table (储备达标): for each visible unit of a tier, each reserve norm of that tier,
the usable stock of its depots and of the depots of the units below it, and the shortfall.

Usable stock: lots not expired, not under maintenance, less what approved transfers not yet
dispatched have committed. Agreement reserves in force (协议储备) are counted apart: they are shown
beside the stock and do not reduce the shortfall, which is of physical stock. Five queries
whatever the number of units, depots, lots or ledger rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.utils import timezone

from grids.models import GridUnit
from grids.scope import scope_for
from supplies import access
from supplies.models import AgreementLine, ReserveNorm, SupplyItem, Transfer, TransferLine


@dataclass
class Cell:
    item: SupplyItem
    required: int
    usable: int
    agreement: int = 0

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.usable)


@dataclass
class Row:
    unit: GridUnit
    cells: list[Cell] = field(default_factory=list)

    @property
    def short(self) -> bool:
        return any(c.shortfall for c in self.cells)


def _applies(norm: ReserveNorm, unit: GridUnit) -> bool:
    return not norm.unit_kind or norm.unit_kind == unit.kind


def usable_stock_query(user, *, level: int):
    """The one SQL query of the table's stock: usable pieces per owner unit and item over the lots
    of the depots the person sees at ``level`` and below (the ledger is not read: a lot's quantity
    is kept equal to the sum of its ledger rows)."""
    today = timezone.localdate()
    return (
        access.visible_lots(user)
        .filter(quantity__gt=0, under_maintenance=False, depot__is_active=True, depot__unit__level__gte=level)
        .filter(depot__unit__level__lte=level + 1)
        .filter(Q(expiry_date__isnull=True) | Q(expiry_date__gte=today))
        .values("depot__unit_id", "depot__unit__parent_id", "depot__unit__level", "item_id")
        .annotate(total=Sum("quantity"))
        .order_by()
    )


def usable_stock(user, *, level: int) -> dict[tuple[int, int], int]:
    """{(unit id at ``level``, item id): usable pieces} over the depots the person sees of that
    unit and of the units directly below it, less what approved transfers commit (two queries)."""
    lots = usable_stock_query(user, level=level)
    committed = (
        TransferLine.objects.filter(
            transfer__state=Transfer.State.APPROVED,
            transfer__source_depot__in=access.visible_depots(user),
            transfer__source_depot__unit__level__gte=level,
            transfer__source_depot__unit__level__lte=level + 1,
        )
        .values("transfer__source_depot__unit_id", "transfer__source_depot__unit__parent_id",
                "transfer__source_depot__unit__level", "item_id")
        .annotate(total=Sum("quantity"))
        .order_by()
    )  # fmt: skip
    stock: dict[tuple[int, int], int] = defaultdict(int)
    for rows, prefix, sign in ((lots, "depot__unit", 1), (committed, "transfer__source_depot__unit", -1)):
        for row in rows:
            depth = row[f"{prefix}__level"] - level
            if depth == 0:
                stock[(row[f"{prefix}_id"], row["item_id"])] += sign * row["total"]
            elif depth == 1:
                stock[(row[f"{prefix}__parent_id"], row["item_id"])] += sign * row["total"]
    return {key: max(0, value) for key, value in stock.items()}


def agreement_stock(user, *, level: int) -> dict[tuple[int, int], int]:
    """{(unit id at ``level``, item id): pieces guaranteed} by the agreement reserves in force of
    that unit and of the units directly below it (one query)."""
    today = timezone.localdate()
    rows = (
        AgreementLine.objects.filter(
            agreement__in=access.visible_agreements(user),
            agreement__is_active=True,
            agreement__valid_from__lte=today,
            agreement__valid_until__gte=today,
            agreement__unit__level__gte=level,
            agreement__unit__level__lte=level + 1,
        )
        .values("agreement__unit_id", "agreement__unit__parent_id", "agreement__unit__level", "item_id")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    stock: dict[tuple[int, int], int] = defaultdict(int)
    for row in rows:
        unit = (
            row["agreement__unit_id"] if row["agreement__unit__level"] == level else row["agreement__unit__parent_id"]
        )
        stock[(unit, row["item_id"])] += row["total"]
    return stock


def readiness(user, *, tier: int = 2) -> tuple[list[SupplyItem], list[Row]]:
    """The items with a norm at ``tier`` and one row per visible unit of that tier."""
    units = list(scope_for(user).units().filter(level=tier - 1, is_active=True).order_by("tree_id", "code"))
    norms = list(ReserveNorm.objects.filter(tier=tier).select_related("item").order_by("item__code", "unit_kind"))
    items = list({n.item_id: n.item for n in norms}.values())
    stock = usable_stock(user, level=tier - 1) if units and norms else {}
    agreed = agreement_stock(user, level=tier - 1) if units and norms else {}
    rows = []
    for unit in units:
        row = Row(unit=unit)
        by_item = {}
        for norm in norms:  # a norm for the unit's kind wins over the norm for any kind
            if _applies(norm, unit) and (norm.item_id not in by_item or norm.unit_kind):
                by_item[norm.item_id] = norm
        for item in items:
            norm = by_item.get(item.pk)
            required = norm.required_for(unit.population) if norm else 0
            key = (unit.pk, item.pk)
            row.cells.append(Cell(item=item, required=required, usable=stock.get(key, 0), agreement=agreed.get(key, 0)))
        rows.append(row)
    return items, rows
