"""The dispatch API: each module registers its viewsets on one router and may add plain paths."""

from rest_framework.routers import DefaultRouter

from dispatch import api_duty, api_incidents, api_warnings

router = DefaultRouter()
router.include_format_suffixes = False  # no ".json" suffixes (extra actions take no format): 404, not 500
for module in (api_warnings, api_incidents, api_duty):
    module.register(router)

urlpatterns = router.urls + api_warnings.extra_urls + api_incidents.extra_urls + api_duty.extra_urls
