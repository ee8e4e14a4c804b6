"""The supplies models, by subject; ``from supplies.models import X`` finds each."""

from supplies.models.catalogue import SupplyCategory, SupplyClass, SupplyItem, validate_item_code
from supplies.models.readiness import AgreementLine, AgreementReserve, MaintenanceRecord, SupplyNotice
from supplies.models.stock import Depot, Lot, Movement, ReserveMode, ReserveNorm
from supplies.models.stocktake import StockTake, StockTakeLine
from supplies.models.transfers import Transfer, TransferLine, TransferSequence

__all__ = [
    "SupplyClass",
    "SupplyCategory",
    "SupplyItem",
    "validate_item_code",
    "ReserveMode",
    "Depot",
    "Lot",
    "Movement",
    "ReserveNorm",
    "Transfer",
    "TransferLine",
    "TransferSequence",
    "AgreementReserve",
    "AgreementLine",
    "MaintenanceRecord",
    "SupplyNotice",
    "StockTake",
    "StockTakeLine",
]
