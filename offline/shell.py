"""What the service worker keeps for the officer to work with no signal: the app shell (our CSS and
JS, the Workbox runtime, idb), the report forms, the officer's own units and the last warnings.

Only GET pages are cached, only answers of 200 that were not redirected (a login page never stands
in for a form), and the page caches are emptied on log out (offline.js) and whenever the login page
is shown (sw.js)."""

from __future__ import annotations

from django.templatetags.static import static
from django.urls import reverse

from grids.scope import scope_for

ICON_SIZES = (192, 512)
WORKBOX_MODULES = ("workbox-core", "workbox-routing", "workbox-strategies", "workbox-expiration")
SHELL_ASSETS = (
    "css/app.css",
    "img/favicon.svg",
    "js/hazard-report.js",
    "js/patrols-checkin.js",
    "js/patrols-offline.js",
    "css/patrols.css",
    "offline/offline.css",
    "offline/queue.js",
    "offline/offline.js",
    "vendor/idb/umd.js",
    *(f"offline/icon-{size}.png" for size in ICON_SIZES),
)
# Pages that are never cached (they are per request or change the session).
NEVER_CACHED = ("/accounts/", "/admin/", "/api/", "/sw.js", "/i18n/")


def pages(user) -> list[str]:
    """The officer's pages fetched at install: the forms, the warnings, 我的 and their own units."""
    urls = [
        reverse("grids:home"),
        reverse("hazards:report"),
        reverse("hazards:mine"),
        reverse("dispatch:incident_report"),
        reverse("dispatch:warning_list"),
        reverse("offline:queue"),
        reverse("offline:me"),
        reverse("patrols:home"),
    ]
    urls += [reverse("grids:unit_detail", args=[pk]) for pk in sorted(scope_for(user).own_unit_ids())]
    return urls


def config(user) -> dict:
    return {
        "version": 1,
        "workbox": static("vendor/workbox-sw/workbox-sw.js"),
        "modules": {name: static(f"vendor/{name}/{name}.prod.js") for name in WORKBOX_MODULES},
        "idb": static("vendor/idb/umd.js"),
        "queue": static("offline/queue.js"),
        "static": static(""),
        "assets": [static(path) for path in SHELL_ASSETS],
        "pages": pages(user),
        "never": list(NEVER_CACHED),
        "login": reverse("login"),
    }
