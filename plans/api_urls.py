"""URLs of the plan API, mounted at /api/v1/ by emergency/urls.py."""

from rest_framework.routers import DefaultRouter

from plans import api

router = DefaultRouter()
router.include_format_suffixes = False
router.register("plans", api.PlanViewSet, basename="plans")
router.register("plan-versions", api.PlanVersionViewSet, basename="plan-versions")
router.register("plan-filings", api.FilingViewSet, basename="plan-filings")
router.register("plan-coverage", api.CoverageViewSet, basename="plan-coverage")
router.register("plan-coverage-gaps", api.CoverageGapViewSet, basename="plan-coverage-gaps")
router.register("danger-zones", api.DangerZoneViewSet, basename="danger-zones")
router.register("evacuation-households", api.HouseholdViewSet, basename="evacuation-households")
router.register("shelters", api.ShelterViewSet, basename="shelters")
router.register("evacuation-lists", api.EvacuationListViewSet, basename="evacuation-lists")
router.register("evacuation-capacity", api.CapacityViewSet, basename="evacuation-capacity")
router.register("plan-calendar", api.PlanCalendarViewSet, basename="plan-calendar")
router.register("revision-triggers", api.RevisionTriggerViewSet, basename="revision-triggers")
router.register("plan-evaluations", api.PlanEvaluationViewSet, basename="plan-evaluations")
router.register("plan-drills", api.PlanDrillViewSet, basename="plan-drills")

urlpatterns = router.urls
