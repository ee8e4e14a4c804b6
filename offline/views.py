"""The officer's phone: the web-app manifest, the service worker (served from the site root so its
scope is the whole site), the page of what the phone's queue holds, and 我的."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from grids.models import GridUnit
from grids.scope import scope_for
from offline import shell


@require_GET
@login_required
def manifest(request):
    """The web-app manifest: Chinese name, our own generated icons, opens on the home page."""
    data = {
        "name": _("Emergency Grid"),
        "short_name": _("Emergency Grid"),
        "lang": "zh-CN",
        "start_url": reverse("grids:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b3261e",
        "icons": [
            {"src": static(f"offline/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
            for size in shell.ICON_SIZES
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
@login_required
def service_worker(request):
    """The service worker script, with the Workbox runtime and the shell's URLs filled in."""
    config = shell.config(request.user)
    response = render(
        request, "offline/sw.js", {"config": json.dumps(config, ensure_ascii=False)}, content_type="text/javascript"
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@login_required
def queue(request):
    """What the phone's queue holds: the list itself is in the phone (IndexedDB), drawn by offline.js."""
    return render(request, "offline/queue.html")


@require_GET
@login_required
def me(request):
    """我的: the person's own units, their queue, their hazards, password and log out."""
    units = GridUnit.objects.filter(pk__in=scope_for(request.user).own_unit_ids()).order_by("tree_id", "lft")
    return render(request, "offline/me.html", {"units": units})
