"""The plan API serializers, by subject."""

from plans.serializers.clocks import (
    CalendarRowSerializer,
    DrillSerializer,
    EvaluationSerializer,
    RevisionTriggerSerializer,
    TriggerBodySerializer,
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
    "CalendarRowSerializer",
    "DrillSerializer",
    "EvaluationSerializer",
    "RevisionTriggerSerializer",
    "TriggerBodySerializer",
]
