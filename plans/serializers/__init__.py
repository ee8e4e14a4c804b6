"""The plan API serializers, by subject."""

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
]
