"""Serializers of the supplies API, by subject."""

from supplies.serializers.stock import (
    DepotSerializer,
    LotSerializer,
    MovementSerializer,
    SupplyAdjustBodySerializer,
    SupplyDisposeBodySerializer,
    SupplyIssueBodySerializer,
    SupplyItemSerializer,
    SupplyReceiveBodySerializer,
    TransferLineSerializer,
    TransferSerializer,
)

__all__ = [
    "SupplyAdjustBodySerializer",
    "DepotSerializer",
    "SupplyDisposeBodySerializer",
    "SupplyIssueBodySerializer",
    "LotSerializer",
    "MovementSerializer",
    "SupplyReceiveBodySerializer",
    "SupplyItemSerializer",
    "TransferLineSerializer",
    "TransferSerializer",
]
