"""The plan models, by subject; ``from plans.models import X`` finds each."""

from plans.models.coverage import RequiredPlan
from plans.models.evacuation import DangerZone, EvacuationTrigger, Household, Shelter
from plans.models.ledger import (
    OPEN_STATES,
    Filing,
    FilingRoute,
    FilingSequence,
    OwnerKind,
    Plan,
    PlanDocument,
    PlanKind,
    PlanVersion,
    ReviewRecord,
    VersionState,
    WorkdayAdjustment,
    owner_kind_of,
)

__all__ = [
    "DangerZone",
    "EvacuationTrigger",
    "Household",
    "Shelter",
    "OwnerKind",
    "owner_kind_of",
    "PlanKind",
    "Plan",
    "VersionState",
    "OPEN_STATES",
    "PlanVersion",
    "PlanDocument",
    "ReviewRecord",
    "FilingRoute",
    "Filing",
    "FilingSequence",
    "WorkdayAdjustment",
    "RequiredPlan",
]
