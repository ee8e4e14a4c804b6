"""Presence checks (到岗抽查) during a warning: start one, the board of answers, the day's export,
and the officer's answer on the phone."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.views import run_service
from dispatch.access import get_warning_for_user
from grids.models import Membership, User, within_q
from grids.spreadsheets import append_row, export_name, xlsx_response
from patrols import access, selectors, services
from patrols.forms import PresenceAnswerForm, PresenceStartForm
from patrols.models import PresenceRequest


def _officers(units):
    """People with an active role below the given units (the list to pick from)."""
    condition = Q(pk__in=[])
    for unit in units:
        condition |= within_q(unit, "unit__") & Q(unit__level__gt=unit.level)
    below = Membership.objects.active().filter(condition).values("user_id")
    return User.objects.filter(pk__in=below, is_active=True).order_by("real_name", "pk")


@require_http_methods(["GET", "POST"])
@login_required
def presence_new(request, pk):
    warning = get_warning_for_user(request.user, pk)
    units = list(access.presence_units(request.user).order_by("level", "tree_id", "lft")[:20])
    if not units:
        raise PermissionDenied(_("You may not run presence checks for this unit."))
    unit_ids = [unit.pk for unit in units]
    form = PresenceStartForm(
        request.POST or None,
        units=access.presence_units(request.user).filter(pk__in=unit_ids),
        officers=_officers(units),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = run_service(
            request,
            lambda: services.presence_check_start(
                warning=warning,
                unit=data["unit"],
                by=request.user,
                officers=list(data["officers"]),
                count=data["count"] or 0,
            ),
            success_message=lambda check: (
                _("%(n)d officers have been asked to check in.") % {"n": check.requests.count()}
            ),
            redirect_to=reverse("patrols:presence_board", args=[warning.pk]),
            form=form,
        )
        if answer is not None:
            return answer
    return render(
        request, "patrols/presence_new.html", {"warning": warning, "form": form}, status=400 if form.errors else 200
    )


@require_GET
@login_required
def presence_board(request, pk):
    warning = get_warning_for_user(request.user, pk)
    checks = selectors.presence_checks_of_warning(access.visible_presence_checks(request.user), warning)
    rows = selectors.presence_rows(checks, timezone.now())
    return render(
        request,
        "patrols/presence_board.html",
        {
            "warning": warning,
            "checks": [{"check": check, "rows": rows.get(check.pk, [])} for check in checks],
            "may_start": access.presence_units(request.user).exists(),
            "today": timezone.localdate(),
        },
    )


@require_GET
@login_required
def presence_export(request, pk):
    """The day's presence results (``?day=``, today by default) of a warning as .xlsx."""
    from openpyxl import Workbook

    warning = get_warning_for_user(request.user, pk)
    day = parse_date(request.GET.get("day") or "") or timezone.localdate()
    checks = access.visible_presence_checks(request.user).filter(warning=warning)
    now = timezone.now()
    labels = dict(PresenceRequest.Answer.choices)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Presence checks"))
    append_row(
        sheet,
        [
            _("Sent"),
            _("Checked by unit"),
            _("Officer"),
            _("Unit"),
            _("Answer by"),
            _("Answered"),
            _("Result"),
            _("Longitude"),
            _("Latitude"),
        ],
    )
    for req in selectors.presence_day(checks, day):
        append_row(
            sheet,
            [_local(req.check_run.at), req.check_run.unit.name, req.officer.real_name or req.officer.username, req.unit.name,
             _local(req.due_at), _local(req.answered_at), str(labels[req.answer_at(now)]), req.lng, req.lat],
        )  # fmt: skip
    return xlsx_response(book, export_name(_("Presence checks"), warning.title[:30], day=day))


def _local(moment: datetime.datetime | None):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


@require_GET
@login_required
def presence_request(request, pk):
    req = access.get_presence_request_for_user(request.user, pk)
    return render(
        request,
        "patrols/presence_request.html",
        {"req": req, "answer": req.answer_at(timezone.now()), "labels": dict(req.Answer.choices),
         "form": PresenceAnswerForm() if req.officer_id == request.user.pk else None},
    )  # fmt: skip


@require_POST
@login_required
def presence_answer(request, pk):
    req = access.get_presence_request_for_user(request.user, pk, write=True)
    form = PresenceAnswerForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    return run_service(
        request,
        lambda: services.presence_answer(
            request=req,
            by=request.user,
            lng=data.get("lng"),
            lat=data.get("lat"),
            client_time=data.get("client_time"),
            client_key=data.get("client_key"),
        ),  # fmt: skip
        success_message=lambda outcome: (
            _("Your presence has been recorded.") if outcome[1] else _("This answer was already received.")
        ),
        redirect_to=_back(request, reverse("patrols:presence_request", args=[req.pk])),
    )


def _back(request, default: str) -> str:
    """Where an answer sent from another page (the home page, the inbox: ``next``) goes back to."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
