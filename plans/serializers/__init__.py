"""The plan API serializers, by subject."""

from plans.serializers.coverage import CoverageRowSerializer, HazardGapSerializer
from plans.serializers.evacuation import (
    DangerZoneSerializer,
    EvacuationImportBodySerializer,
    EvacuationImportResultSerializer,
    HouseholdSerializer,
    ShelterSerializer,
    ShelterStateBodySerializer,
    TownshipCapacitySerializer,
)
from plans.serializers.ledger import (
    DocumentBodySerializer,
    EmergencyPlanSerializer,
    EmptySerializer,
    FilingSerializer,
    IssueBodySerializer,
    PlanCreateSerializer,
    PlanDocumentSerializer,
    PlanVersionSerializer,
    ReasonBodySerializer,
    ReviewBodySerializer,
    ReviewRecordSerializer,
    RevisionBodySerializer,
)

__all__ = [
    "CoverageRowSerializer",
    "HazardGapSerializer",
    "DangerZoneSerializer",
    "EvacuationImportBodySerializer",
    "EvacuationImportResultSerializer",
    "HouseholdSerializer",
    "ShelterSerializer",
    "ShelterStateBodySerializer",
    "TownshipCapacitySerializer",
    "PlanDocumentSerializer",
    "ReviewRecordSerializer",
    "FilingSerializer",
    "PlanVersionSerializer",
    "EmergencyPlanSerializer",
    "PlanCreateSerializer",
    "ReviewBodySerializer",
    "IssueBodySerializer",
    "ReasonBodySerializer",
    "RevisionBodySerializer",
    "DocumentBodySerializer",
    "EmptySerializer",
]
