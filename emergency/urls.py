from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from grids import auth_views as grids_auth_views

urlpatterns = [
    # Browsers ask for /favicon.ico on their own: the site's icon, not a 404 page.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=True), name="favicon"),
    path("", include("grids.urls")),
    path("hazards/", include("hazards.urls")),
    path("inbox/", include("delivery.urls")),
    path("reports/", include("reports.urls")),
    path("dispatch/", include("dispatch.urls")),
    path("plans/", include("plans.urls")),
    path("drills/", include("drills.urls")),
    path("supplies/", include("supplies.urls")),
    path("resources/", include("resources.urls")),
    path("", include("offline.urls")),
    path("library/", include("library.urls")),
    path("patrols/", include("patrols.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", grids_auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", grids_auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("grids.api_urls")),
    path("api/v1/", include("delivery.api_urls")),
    path("api/v1/", include("hazards.api_urls")),
    path("api/v1/", include("reports.api_urls")),
    path("api/v1/", include("dispatch.api_urls")),
    path("api/v1/", include("plans.api_urls")),
    path("api/v1/", include("drills.api_urls")),
    path("api/v1/", include("supplies.api_urls")),
    path("api/v1/", include("resources.api_urls")),
    path("api/v1/", include("library.api_urls")),
    path("api/v1/", include("patrols.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
# No static() for MEDIA_URL: every uploaded file is served by a view that checks scope (grids/files.py).

# Chinese error pages that need no database (JSON under /api/): emergency/errors.py.
handler400 = "emergency.errors.bad_request"
handler403 = "emergency.errors.permission_denied"
handler404 = "emergency.errors.page_not_found"
handler500 = "emergency.errors.server_error"
