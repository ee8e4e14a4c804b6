"""URLs of the dispatch app: each view module declares its own ``urlpatterns`` list."""

from dispatch.views import callouts, duty, incidents, warnings

app_name = "dispatch"

urlpatterns = warnings.urlpatterns + incidents.urlpatterns + duty.urlpatterns + callouts.urlpatterns
