"""URLs of the resources API, mounted at /api/v1/ by emergency/urls.py."""

from rest_framework.routers import DefaultRouter

from resources import api

router = DefaultRouter()
router.include_format_suffixes = False
router.register("resource-teams", api.TeamViewSet, basename="resource-teams")
router.register("resource-experts", api.ExpertViewSet, basename="resource-experts")
router.register("roll-calls", api.RollCallViewSet, basename="roll-calls")

urlpatterns = router.urls
