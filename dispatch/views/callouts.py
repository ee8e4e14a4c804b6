"""Pages of 叫应 and 无事报平安: the township dispatcher's call list (/dispatch/calls/) and the
record of each call; a village's one-tap daily 平安 (/dispatch/safe/) and the villages that have
not sent it (/dispatch/safe/missing/). Thin: rows through ``dispatch.access``, changes through
the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.views import refusal_message
from dispatch import access
from dispatch.models import Escalation, SafeReport
from dispatch.selectors import callouts as callout_selectors
from dispatch.selectors import safe_reports as safe_selectors
from dispatch.services import escalation as escalation_services
from dispatch.services import safe_reports as safe_services


@require_GET
@login_required
def call_list(request):
    """Units that answered neither the texts nor the app, with the numbers to ring."""
    rows = callout_selectors.call_list(request.user)
    return render(request, "dispatch/callouts/calls.html", {"rows": rows, "answers": Escalation.Answer.choices})


@require_POST
@login_required
def call_record(request, pk: int):
    """Record how the call went (answered, no answer, unreachable) with a note."""
    call = access.get_escalation_for_user(request.user, pk, write=True)
    try:
        escalation_services.escalation_record_call(
            escalation=call, by=request.user, answer=request.POST.get("answer", ""), note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("Call to %(unit)s recorded.") % {"unit": call.unit.name})
    return redirect("dispatch:call_list")


@require_GET
@login_required
def safe_report(request):
    """The person's own villages that owe today's 平安, each with its one-tap button."""
    today = timezone.localdate()
    return render(
        request,
        "dispatch/callouts/safe.html",
        {"villages": safe_selectors.own_villages_due(request.user, today), "cutoff": safe_selectors.cutoff_at(today)},
    )


@require_POST
@login_required
def safe_report_send(request, unit_pk: int):
    """Send the village's 平安 (or a one-line report) for today; sent twice, the first stands."""
    unit = access.get_safe_report_unit_for_user(request.user, unit_pk)
    state = SafeReport.State.REPORT if request.POST.get("note", "").strip() else SafeReport.State.SAFE
    try:
        report, created = safe_services.safe_report_send(
            unit=unit, by=request.user, state=state, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        messages.error(request, refusal_message(exc))
    else:
        if created:
            messages.success(request, _("Daily safety report sent for %(unit)s.") % {"unit": unit.name})
        else:
            messages.info(request, _("%(unit)s has already reported today.") % {"unit": unit.name})
    return redirect("grids:home" if request.POST.get("next") == "home" else "dispatch:safe_report")


@require_GET
@login_required
def safe_missing(request):
    """The villages in the person's grid that have not sent today's 平安, by township."""
    now = timezone.now()
    today = timezone.localdate(now)
    villages = list(safe_selectors.missing_for_user(request.user, today, now=now))
    cutoff = safe_selectors.cutoff_at(today)
    return render(
        request,
        "dispatch/callouts/missing.html",
        {"villages": villages, "cutoff": cutoff, "past_cutoff": now >= cutoff, "today": today},
    )


urlpatterns = [
    path("calls/", call_list, name="call_list"),
    path("calls/<int:pk>/", call_record, name="call_record"),
    path("safe/", safe_report, name="safe_report"),
    path("safe/<int:unit_pk>/", safe_report_send, name="safe_report_send"),
    path("safe/missing/", safe_missing, name="safe_missing"),
]
