from django.urls import path

from offline import views

app_name = "offline"

# Included at the site root, so that the service worker's scope is the whole site.
urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("offline/queue/", views.queue, name="queue"),
    path("offline/me/", views.me, name="me"),
]
