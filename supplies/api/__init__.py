"""The supplies API, by subject."""

from supplies.api.stock import DepotViewSet, LedgerViewSet, LotViewSet, SupplyItemViewSet, TransferViewSet

__all__ = ["DepotViewSet", "LedgerViewSet", "LotViewSet", "SupplyItemViewSet", "TransferViewSet"]
