"""The plan API serializers, by subject."""

from plans.serializers.coverage import CoverageRowSerializer, HazardGapSerializer
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
