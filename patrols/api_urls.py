"""URLs of the patrol API, mounted at /api/v1/ by emergency/urls.py."""

from rest_framework.routers import DefaultRouter

from patrols import api

router = DefaultRouter()
router.include_format_suffixes = False
router.register("patrols", api.PatrolViewSet, basename="patrols")
router.register("patrol-points", api.PatrolPointViewSet, basename="patrol-points")
router.register("patrol-routes", api.PatrolRouteViewSet, basename="patrol-routes")
router.register("presence-requests", api.PresenceRequestViewSet, basename="presence-requests")

urlpatterns = router.urls
