"""Patrol routes of a village: the list, a new route, a route's page (its points in order, its
windows with the points missed, its recent patrols) and its edit page. Through ``patrols.access``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.views import run_service
from patrols import access, selectors, services
from patrols.forms import RouteForm
from patrols.views import period


@require_GET
@login_required
def routes(request, unit_pk):
    unit = access.get_unit_for_ledger(request.user, unit_pk)
    listed = list(access.visible_routes(request.user).filter(unit=unit).prefetch_related("stops__point"))
    return render(
        request,
        "patrols/routes.html",
        {"unit": unit, "routes": listed, "may_keep": access.may_keep_points(request.user, unit)},
    )


def _village_points(user, unit):
    return access.visible_points(user).filter(unit=unit, active=True).order_by("name", "pk")


def _route_form(request, *, unit, route=None):
    stops = list(route.stops.all()) if route is not None else []
    initial = {"name": route.name, "active": route.active, "notes": route.notes} if route is not None else None
    form = RouteForm(request.POST or None, initial=initial, points=_village_points(request.user, unit), stops=stops)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = run_service(
            request,
            lambda: services.route_save(
                by=request.user,
                unit=unit,
                route=route,
                name=data["name"],
                active=data["active"],
                notes=data["notes"],
                points=data["points"],
            ),  # fmt: skip
            success_message=_("Route saved."),
            redirect_to=lambda saved: reverse("patrols:route_detail", args=[saved.pk]),
            form=form,
        )
        if answer is not None:
            return answer
    return render(
        request,
        "patrols/route_form.html",
        {"unit": unit, "route": route, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def route_new(request, unit_pk):
    unit = access.get_unit_for_ledger(request.user, unit_pk)
    if not access.may_keep_points(request.user, unit):
        raise PermissionDenied(_("You may not change the patrol routes of this unit."))
    return _route_form(request, unit=unit)


@require_http_methods(["GET", "POST"])
@login_required
def route_edit(request, pk):
    route = access.get_route_for_user(request.user, pk, write=True)
    return _route_form(request, unit=route.unit, route=route)


@require_GET
@login_required
def route_detail(request, pk):
    route = access.get_route_for_user(request.user, pk)
    form, start, end = period(request)
    points = selectors.route_points(route)
    table = selectors.route_compliance(route, start, end, timezone.localdate())
    return render(
        request,
        "patrols/route_detail.html",
        {
            "route": route,
            "unit": route.unit,
            "form": form,
            "points": points,
            "route_rows": [table] if table else [],
            "start": start,
            "end": end,
            "recent": selectors.recent_route_patrols(route, points),
            "may_keep": access.may_keep_points(request.user, route.unit),
        },
    )
