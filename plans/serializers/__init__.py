"""The plan API serializers, by subject."""

from plans.serializers.clocks import (
    CalendarRowSerializer,
    EvaluationSerializer,
    PlanDrillSerializer,
    RevisionTriggerSerializer,
    TriggerBodySerializer,
)
from plans.serializers.coverage import (
    CoverageRowSerializer,
    HazardGapSerializer,
)
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
    "CalendarRowSerializer",
    "CoverageRowSerializer",
    "DangerZoneSerializer",
    "DocumentBodySerializer",
    "PlanDrillSerializer",
    "EmergencyPlanSerializer",
    "EmptySerializer",
    "EvacuationImportBodySerializer",
    "EvacuationImportResultSerializer",
    "EvaluationSerializer",
    "FilingSerializer",
    "HazardGapSerializer",
    "HouseholdSerializer",
    "IssueBodySerializer",
    "PlanCreateSerializer",
    "PlanDocumentSerializer",
    "PlanVersionSerializer",
    "ReasonBodySerializer",
    "ReviewBodySerializer",
    "ReviewRecordSerializer",
    "RevisionBodySerializer",
    "RevisionTriggerSerializer",
    "ShelterSerializer",
    "ShelterStateBodySerializer",
    "TownshipCapacitySerializer",
    "TriggerBodySerializer",
]
