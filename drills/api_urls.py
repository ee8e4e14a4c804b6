"""URLs of the drill API, mounted at /api/v1/ by emergency/urls.py."""

from rest_framework.routers import DefaultRouter

from drills import api

router = DefaultRouter()
router.include_format_suffixes = False
router.register("drills", api.DrillViewSet, basename="drills")
router.register("drill-findings", api.FindingViewSet, basename="drill-findings")
router.register("drill-trainings", api.TrainingViewSet, basename="drill-trainings")

urlpatterns = router.urls
