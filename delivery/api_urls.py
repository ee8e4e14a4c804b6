"""URLs of the inbox API, mounted at /api/v1/ by emergency/urls.py (next to the other apps' api_urls)."""

from rest_framework.routers import DefaultRouter

from delivery import api

router = DefaultRouter()
router.include_format_suffixes = False  # no ".json" suffixes (extra actions take no format): 404, not 500
api.register(router)

urlpatterns = router.urls
