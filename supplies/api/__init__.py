"""The supplies API, by subject."""

from supplies.api.stock import DepotViewSet, LedgerViewSet, LotViewSet, SupplyItemViewSet, TransferViewSet
from supplies.api.upkeep import AgreementViewSet, NearestViewSet

__all__ = [
    "AgreementViewSet",
    "NearestViewSet",
    "DepotViewSet",
    "LedgerViewSet",
    "LotViewSet",
    "SupplyItemViewSet",
    "TransferViewSet",
]
