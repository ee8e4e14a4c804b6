"""The dispatch API: each module of ``dispatch.api`` registers its viewsets on one router and may add plain paths."""

from rest_framework.routers import DefaultRouter

from dispatch.api import duty, incidents, warnings

router = DefaultRouter()
router.include_format_suffixes = False  # no ".json" suffixes (extra actions take no format): 404, not 500
for module in (warnings, incidents, duty):
    module.register(router)

urlpatterns = router.urls + warnings.extra_urls + incidents.extra_urls + duty.extra_urls
