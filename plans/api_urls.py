"""URLs of the plan API, mounted at /api/v1/ by emergency/urls.py."""

from rest_framework.routers import DefaultRouter

from plans import api

router = DefaultRouter()
router.include_format_suffixes = False
router.register("plans", api.PlanViewSet, basename="plans")
router.register("plan-versions", api.PlanVersionViewSet, basename="plan-versions")
router.register("plan-filings", api.FilingViewSet, basename="plan-filings")
router.register("plan-calendar", api.PlanCalendarViewSet, basename="plan-calendar")
router.register("revision-triggers", api.RevisionTriggerViewSet, basename="revision-triggers")
router.register("plan-evaluations", api.PlanEvaluationViewSet, basename="plan-evaluations")
router.register("plan-drills", api.PlanDrillViewSet, basename="plan-drills")

urlpatterns = router.urls
