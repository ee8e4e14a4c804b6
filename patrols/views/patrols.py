"""The officer's patrol on the phone: start, check in at each point (正常 or 发现隐患), finish."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.views import run_service
from grids.files import serve_file
from patrols import access, selectors, services
from patrols.forms import CheckInForm, FinishForm, PointForm, StartForm
from patrols.models import CheckIn, Patrol, PatrolPoint

RECENT = 20
ZERO_KEY = uuid.UUID(int=0)  # in the by-key URLs of the page, replaced by the start's key on the phone


@require_GET
@login_required
def home(request):
    """巡查: start a patrol, one's open and recent patrols, presence requests waiting, the ledgers."""
    units = list(access.patrol_units(request.user).order_by("tree_id", "lft"))
    now = timezone.now()
    mine = list(access.visible_patrols(request.user).filter(officer=request.user).select_related("unit")[:RECENT])
    return render(
        request,
        "patrols/home.html",
        {
            "start_form": StartForm(units=access.patrol_units(request.user), routes=access.patrol_routes(request.user))
            if units
            else None,
            "offline_units": _offline_points(request.user, units),
            "zero_key": ZERO_KEY,
            "mine": mine,
            "requests": selectors.open_requests_for(request.user, now),
            "ledger_units": _ledger_units(request.user),
            "overseen": access.overseen_units(request.user).order_by("tree_id", "lft")[:50],
            "point_units": access.point_units(request.user).order_by("tree_id", "lft")[:50],
        },
    )


def _offline_points(user, units) -> list[tuple]:
    """Each village the person patrols with its points, for the patrol the page runs from the phone's
    cache with no signal (patrols-offline.js): one query, whatever the number of units."""
    by_unit: dict[int, list[PatrolPoint]] = {unit.pk: [] for unit in units}
    for point in access.visible_points(user).filter(unit__in=units, active=True).order_by("name", "pk"):
        by_unit[point.unit_id].append(point)
    return [(unit, by_unit[unit.pk]) for unit in units]


def _ledger_units(user):
    return access.ledger_units(user).order_by("tree_id", "lft")[:100]


@require_POST
@login_required
def start(request):
    form = StartForm(request.POST, units=access.patrol_units(request.user), routes=access.patrol_routes(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose the unit you patrol."))
        return redirect("patrols:home")
    data = form.cleaned_data
    return run_service(
        request,
        lambda: services.patrol_start(
            unit=data["unit"],
            by=request.user,
            client_key=data["client_key"],
            client_time=data["client_time"],
            route=data["route"],
        ),
        success_message=_("Patrol started. Check in at each point."),
        redirect_to=lambda outcome: reverse("patrols:patrol_detail", args=[outcome[0].pk]),
        refused_redirect_to=reverse("patrols:home"),
    )


@require_GET
@login_required
def patrol_detail(request, pk):
    patrol = access.get_patrol_for_user(request.user, pk)
    checkins = {c.point_id: c for c in patrol.checkins.select_related("point")}
    points = selectors.patrol_points(patrol, checkins)
    hazards = selectors.hazards_of_checkins(patrol, checkins.values())
    mine = patrol.officer_id == request.user.pk and patrol.state == Patrol.State.OPEN
    rows = []
    for point in points:
        checkin = checkins.get(point.pk)
        hazard = hazards.get(checkin.pk) if checkin else None
        wanted = mine or patrol.officer_id == request.user.pk
        hazard_url = (
            _hazard_form_url(patrol, checkin) if checkin and wanted and hazard is None and checkin.hazard_key else ""
        )
        rows.append({"point": point, "checkin": checkin, "hazard": hazard, "hazard_url": hazard_url})
    return render(
        request,
        "patrols/patrol_detail.html",
        {"patrol": patrol, "rows": rows, "may_record": mine, "finish_form": FinishForm() if mine else None},
    )


def _hazard_form_url(patrol: Patrol, checkin: CheckIn) -> str:
    point = checkin.point
    query = {
        "lng": checkin.lng if checkin.lng is not None else point.lng,
        "lat": checkin.lat if checkin.lat is not None else point.lat,
        "title": point.name,
        "address": point.name,
        "unit": patrol.unit_id,
        "key": str(checkin.hazard_key),
        "return": reverse("patrols:patrol_detail", args=[patrol.pk]),
    }
    return f"{reverse('hazards:report')}?{urlencode(query)}"


@require_POST
@login_required
def check_in(request, pk):
    return _check_in(request, access.get_patrol_for_user(request.user, pk, write=True))


def _not_yet() -> HttpResponse:
    """425 Too Early: the patrol's start has not arrived; the phone's queue keeps the entry and
    sends it again after the entries before it."""
    text = escape(_("The start of this patrol has not arrived yet; it will be sent again."))
    return HttpResponse(f'<ul class="messages"><li class="msg-error">{text}</li></ul>', status=425)


@require_POST
@login_required
def check_in_by_key(request, key):
    """A check-in addressed by the start's client key (a patrol started offline has no number yet)."""
    try:
        patrol = access.get_patrol_by_key(request.user, key)
    except access.PatrolNotYet:
        return _not_yet()
    return _check_in(request, patrol)


@require_POST
@login_required
def finish_by_key(request, key):
    """The finish of a patrol addressed by its start's client key."""
    try:
        patrol = access.get_patrol_by_key(request.user, key)
    except access.PatrolNotYet:
        return _not_yet()
    return _finish(request, patrol)


def _check_in(request, patrol: Patrol):
    back = reverse("patrols:patrol_detail", args=[patrol.pk])
    form = CheckInForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("The check-in could not be read; try again."))
        return redirect(back)
    data = form.cleaned_data
    try:
        point = access.visible_points(request.user).get(pk=data["point"], unit=patrol.unit)
    except (PatrolPoint.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such patrol point.")) from None

    def done(outcome):
        checkin, _created = outcome
        if checkin.outcome == CheckIn.Outcome.HAZARD and checkin.hazard_key:
            return _hazard_form_url(patrol, checkin)
        return back

    def said(outcome):
        checkin, created = outcome
        if not created:
            return _("This check-in was already received.")
        if checkin.within_tolerance is False:
            return _("Checked in at %(point)s, %(m)d m from the point (recorded).") % {
                "point": checkin.point.name, "m": checkin.distance_m,
            }  # fmt: skip
        return _("Checked in at %(point)s.") % {"point": checkin.point.name}

    return run_service(
        request,
        lambda: services.patrol_check_in(
            patrol=patrol,
            point=point,
            by=request.user,
            lng=data["lng"],
            lat=data["lat"],
            client_time=data["client_time"],
            outcome=data["outcome"],
            note=data["note"],
            photo=data["photo"],
            client_key=data["client_key"],
        ),  # fmt: skip
        success_message=said,
        redirect_to=done,
        refused_redirect_to=back,
    )


@require_POST
@login_required
def finish(request, pk):
    return _finish(request, access.get_patrol_for_user(request.user, pk, write=True))


def _finish(request, patrol: Patrol):
    form = FinishForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    return run_service(
        request,
        lambda: services.patrol_finish(
            patrol=patrol, by=request.user, note=data.get("note", ""), client_time=data.get("client_time")
        ),
        success_message=_("Patrol finished."),
        redirect_to=reverse("patrols:patrol_detail", args=[patrol.pk]),
    )


@require_GET
@login_required
def checkin_photo(request, pk):
    checkin = access.get_checkin_for_user(request.user, pk)
    if not checkin.photo:
        raise Http404(_("No such file."))
    return serve_file(request, checkin.photo, download_name=f"checkin-{checkin.pk}.jpg")


@require_http_methods(["GET", "POST"])
@login_required
def points(request, unit_pk):
    """The patrol points of a village; those who keep them add one or take them from the registers."""
    unit = access.get_unit_for_ledger(request.user, unit_pk)
    may_keep = access.may_keep_points(request.user, unit)
    form = PointForm(request.POST or None)
    if request.method == "POST":
        if not may_keep:
            raise PermissionDenied(_("You may not change the patrol points of this unit."))
        if request.POST.get("sync"):
            return run_service(
                request,
                lambda: services.points_sync(unit=unit, by=request.user),
                success_message=lambda n: (
                    _("%(n)d points added from the hazard register and the evacuation lists.") % {"n": n}
                ),
                redirect_to=request.path,
            )
        if form.is_valid():
            data = form.cleaned_data
            answer = run_service(
                request,
                lambda: services.point_create(
                    unit=unit, by=request.user, name=data["name"], lng=data["lng"], lat=data["lat"]
                ),
                success_message=_("Point added."),
                redirect_to=request.path,
                form=form,
            )
            if answer is not None:
                return answer
    listed = list(access.visible_points(request.user).filter(unit=unit).select_related("hazard", "danger_zone"))
    map_points = [{"name": p.name, "lng": p.lng, "lat": p.lat} for p in listed]
    return render(
        request,
        "patrols/points.html",
        {
            "unit": unit,
            "points": listed,
            "form": form if may_keep else None,
            "map_points": map_points,
            "tile_url": settings.MAP_TILE_URL,
            "centre": ((unit.location or {}).get("coordinates") or [None, None])[:2],
        },  # fmt: skip
        status=400 if form.errors else 200,
    )
