"""URLs of the grid API, mounted at /api/v1/ by emergency/urls.py."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from grids import api, auth_views

router = DefaultRouter()
router.include_format_suffixes = False  # no ".json" suffixes (extra actions take no format): 404, not 500
router.register("units", api.GridUnitViewSet, basename="units")
router.register("departments", api.DepartmentViewSet, basename="departments")
router.register("people", api.PersonViewSet, basename="people")
router.register("memberships", api.MembershipViewSet, basename="memberships")
router.register("sectors", api.SectorViewSet, basename="sectors")

urlpatterns = [
    path("me/", api.MeView.as_view(), name="api-me"),
    path("auth/token/", auth_views.ObtainTokenView.as_view(), name="api-token"),
    *router.urls,
]
