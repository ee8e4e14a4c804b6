"""The plan REST API, by subject (thin: parse with ``plans.serializers``, call a service or selector); ``plans.api_urls`` registers each module on one router."""

from plans.api.clocks import (
    PlanCalendarViewSet,
    PlanDrillViewSet,
    PlanEvaluationViewSet,
    RevisionTriggerViewSet,
)
from plans.api.coverage import (
    CoverageGapViewSet,
    CoverageViewSet,
)
from plans.api.evacuation import (
    CapacityViewSet,
    DangerZoneViewSet,
    EvacuationListViewSet,
    HouseholdViewSet,
    ShelterViewSet,
)
from plans.api.ledger import (
    REFUSALS,
    FilingViewSet,
    PlanErrorsMixin,
    PlanVersionViewSet,
    PlanViewSet,
)

__all__ = [
    "CapacityViewSet",
    "CoverageGapViewSet",
    "CoverageViewSet",
    "DangerZoneViewSet",
    "EvacuationListViewSet",
    "FilingViewSet",
    "HouseholdViewSet",
    "PlanCalendarViewSet",
    "PlanDrillViewSet",
    "PlanErrorsMixin",
    "PlanEvaluationViewSet",
    "PlanVersionViewSet",
    "PlanViewSet",
    "REFUSALS",
    "RevisionTriggerViewSet",
    "ShelterViewSet",
]
