"""The plan REST API, by subject (thin: parse with ``plans.serializers``, call a service or selector); ``plans.api_urls`` registers each module on one router."""

from plans.api.coverage import CoverageGapViewSet, CoverageViewSet
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
    "CoverageViewSet",
    "CoverageGapViewSet",
    "CapacityViewSet",
    "DangerZoneViewSet",
    "EvacuationListViewSet",
    "HouseholdViewSet",
    "ShelterViewSet",
    "PlanErrorsMixin",
    "REFUSALS",
    "PlanViewSet",
    "PlanVersionViewSet",
    "FilingViewSet",
]
