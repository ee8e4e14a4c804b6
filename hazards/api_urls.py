"""URLs of the hazard API, mounted at /api/v1/ by emergency/urls.py (next to grids.api_urls)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from hazards import api

router = DefaultRouter()
router.include_format_suffixes = False  # no ".json" suffixes (extra actions take no format): 404, not 500
router.register("hazards", api.HazardViewSet, basename="hazards")
router.register("hazard-categories", api.HazardCategoryViewSet, basename="hazard-categories")
router.register("risk-options", api.RiskFactorOptionViewSet, basename="risk-options")
router.register("risk-bands", api.RiskBandViewSet, basename="risk-bands")
router.register("hazard-copies", api.HazardCopyViewSet, basename="hazard-copies")

urlpatterns = [
    path("risk-grade/", api.RiskGradeView.as_view(), name="api-risk-grade"),
    *router.urls,
]
