"""URLs of the library API, mounted at /api/v1/ by emergency/urls.py."""

from rest_framework.routers import DefaultRouter

from library import api

router = DefaultRouter()
router.include_format_suffixes = False
router.register("library-cases", api.CaseViewSet, basename="library-cases")
router.register("library-regulations", api.RegulationViewSet, basename="library-regulations")

urlpatterns = router.urls
