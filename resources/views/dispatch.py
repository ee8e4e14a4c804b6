""" "Who can I send?" (/resources/dispatch/): the nearest ready teams, the experts and the nearest
usable stock for a point or a unit and a hazard category or incident type, on one page and a map;
recording the team or expert picked on the incident (consultation, plan) it was opened from."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.views import refusal_message
from resources import access
from resources.forms import AssignForm, DispatchForm, RemoveForm
from resources.models import Participant
from resources.selectors.dispatch import map_features, point_of, who_can_i_send
from resources.services import participants as services


def target_for(user, place: str, pk):
    """The incident, consultation or plan ``pk`` through its own app's access helper (404 unseen)."""
    if place == "incident":
        from dispatch.access import get_incident_for_user

        return get_incident_for_user(user, pk)
    if place == "consultation":
        from reports.access import get_consultation_for_user

        return get_consultation_for_user(user, pk)
    if place == "plan":
        from plans.access import get_plan_for_user

        return get_plan_for_user(user, pk)
    raise Http404(_("Unknown place."))


def target_url(place: str, target) -> str:
    names = {
        "incident": "dispatch:incident_detail",
        "consultation": "reports:consultation_detail",
        "plan": "plans:detail",
    }
    return reverse(names[place], args=[target.pk])


@require_GET
@login_required
def dispatch(request):
    form = DispatchForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    lat, lng = data.get("lat"), data.get("lng")
    if lat is None and data.get("unit") is not None:
        point = point_of(data["unit"])
        if point:
            lat, lng = point
    target = None
    if data.get("place") and data.get("target"):
        target = target_for(request.user, data["place"], data["target"])
    answer = None
    if form.is_bound and form.is_valid():
        answer = who_can_i_send(
            request.user, lat=lat, lng=lng, category=data.get("category"), incident_type=data.get("incident_type")
        )
    return render(
        request,
        "resources/dispatch.html",
        {
            "form": form,
            "answer": answer,
            "map": map_features(answer) if answer else None,
            "target": target,
            "place": data.get("place") or "",
            "may_assign": target is not None and access.may_assign(request.user, target.unit),
            "tile_url": settings.MAP_TILE_URL,
        },
    )


@require_POST
@login_required
def assign(request):
    form = AssignForm(request.POST)
    if not form.is_valid():
        raise Http404(_("Nothing to record."))
    data = form.cleaned_data
    target = target_for(request.user, data["place"], data["target"])
    team = access.get_team_for_user(request.user, data["team"]) if data.get("team") else None
    expert = access.get_expert_for_user(request.user, data["expert"]) if data.get("expert") else None
    try:
        recorded = services.participant_add(
            by=request.user, target=target, place=data["place"], team=team, expert=expert, note=data.get("note") or ""
        )
    except ValidationError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("%(name)s recorded.") % {"name": recorded})
    back = request.POST.get("next", "")
    if back.startswith(reverse("resources:dispatch")):
        return redirect(back)
    return redirect(target_url(data["place"], target))


@require_POST
@login_required
def participant_remove(request):
    form = RemoveForm(request.POST)
    if not form.is_valid():
        raise Http404(_("Nothing to remove."))
    participant = Participant.objects.filter(pk=form.cleaned_data["participant"]).first()
    if participant is None:
        raise Http404(_("Nothing to remove."))
    place = next(p for p in ("incident", "consultation", "plan") if getattr(participant, f"{p}_id"))
    target = target_for(request.user, place, getattr(participant, f"{place}_id"))
    services.participant_remove(by=request.user, participant=participant, target=target)
    messages.success(request, _("Removed."))
    return redirect(target_url(place, target))
