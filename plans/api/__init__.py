"""The plan REST API, by subject (thin: parse with ``plans.serializers``, call a service or selector); ``plans.api_urls`` registers each module on one router."""

from plans.api.clocks import PlanCalendarViewSet, PlanDrillViewSet, PlanEvaluationViewSet, RevisionTriggerViewSet
from plans.api.ledger import (
    REFUSALS,
    FilingViewSet,
    PlanErrorsMixin,
    PlanVersionViewSet,
    PlanViewSet,
)

__all__ = [
    "PlanErrorsMixin",
    "REFUSALS",
    "PlanViewSet",
    "PlanVersionViewSet",
    "FilingViewSet",
    "PlanCalendarViewSet",
    "RevisionTriggerViewSet",
    "PlanEvaluationViewSet",
    "PlanDrillViewSet",
]
