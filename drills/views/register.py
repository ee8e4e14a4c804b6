"""The drill pages: list, calendar, a drill with its steps, the record, the evaluation, findings
added, and the printable drill plan, evaluation report and sign-in sheet. Thin: fetch through
``drills.access``, parse with a form, call a service, render."""

from __future__ import annotations

import calendar as cal
import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.registry import page_sections
from core.views import run_service
from drills import access, selectors, services
from drills.forms import DrillForm, EvaluationForm, FindingForm, RecordForm
from drills.models import DrillState, EvaluationIndicator
from drills.permissions import DrillAction
from drills.services import TransitionRefused
from drills.services.media import MEDIA_STATES
from grids.scope import scope_for

PAGE_SIZE = 30


def _back(drill) -> str:
    return reverse("drills:detail", args=[drill.pk])


@require_GET
@login_required
def drill_list(request):
    state = request.GET.get("state", "")
    q = request.GET.get("q", "").strip()[:50]
    page = Paginator(selectors.drill_list(request.user, state=state, q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "drills/list.html",
        {
            "page_obj": page,
            "state": state,
            "q": q,
            "states": DrillState.choices,
            "may_create": scope_for(request.user).may_anywhere(DrillAction.ORGANISE),
        },
    )


def _month(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = int(request.GET.get("year", today.year)), int(request.GET.get("month", today.month))
        datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return today.year, today.month
    if not 2000 <= year <= 2100:
        return today.year, today.month
    return year, month


@require_GET
@login_required
def calendar(request):
    """The month's drills, by day (one query for the drills whatever their number)."""
    year, month = _month(request)
    by_day: dict[int, list] = {}
    for drill in selectors.calendar(request.user, year, month):
        by_day.setdefault(drill.planned_date.day, []).append(drill)
    weeks = [
        [{"day": day, "drills": by_day.get(day, [])} if day else None for day in week]
        for week in cal.Calendar().monthdayscalendar(year, month)
    ]
    previous = datetime.date(year, month, 1) - datetime.timedelta(days=1)
    following = datetime.date(year, month, 28) + datetime.timedelta(days=4)
    return render(
        request,
        "drills/calendar.html",
        {"weeks": weeks, "year": year, "month": month, "previous": previous, "following": following},
    )


@require_http_methods(["GET", "POST"])
@login_required
def create(request):
    if not scope_for(request.user).may_anywhere(DrillAction.ORGANISE):
        raise PermissionDenied(_("Only the organiser's people may do this."))
    form = DrillForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = run_service(
            request,
            lambda: services.drill_plan(by=request.user, **data),
            success_message=_("The drill has been planned."),
            redirect_to=_back,
            form=form,
        )
        if response:
            return response
    return render(
        request, "drills/form.html", {"form": form, "title": _("Plan a drill")}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@login_required
def edit(request, pk):
    drill = access.get_drill_for_user(request.user, pk, action=access.ORGANISE)
    form = DrillForm(request.POST or None, instance=drill, user=request.user)
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request,
            lambda: services.drill_update(drill=drill, by=request.user, **form.cleaned_data),
            success_message=_("The drill has been changed."),
            redirect_to=_back(drill),
            refusals=(TransitionRefused,),
            form=form,
        )
        if response:
            return response
    return render(request, "drills/form.html", {"form": form, "title": drill.title}, status=400 if form.errors else 200)


@require_GET
@login_required
def detail(request, pk):
    drill = access.get_drill_for_user(request.user, pk)
    user = request.user
    return render(
        request,
        "drills/detail.html",
        {
            "drill": drill,
            "may_organise": access.may_organise(user, drill),
            "may_respond": access.may_respond(user, drill),
            "may_acknowledge": scope_for(user).can(DrillAction.RESPOND, drill.unit),
            "sign_in_unit": access.sign_in_unit(user, drill),
            "signed_in": drill.attendances.filter(person=user).exists(),
            "linked_plans": drill.linked_plans.select_related("unit"),
            "participating": drill.participating_units.all(),
            "findings": drill.findings.select_related("owner_unit", "plan", "hazard"),
            "evaluation": getattr(drill, "evaluation", None),
            "attendances": drill.attendances.select_related("person", "unit"),
            "media": drill.media.all(),
            "may_add_media": access.may_respond(user, drill) and drill.state in MEDIA_STATES,
            "extra_sections": page_sections("drill", user, drill),  # registered by higher apps (library)
        },
    )


ACTIONS = {
    "start": (lambda d, u: services.drill_start(drill=d, by=u), _("The drill has started: the alarm has been sent.")),
    "acknowledge": (lambda d, u: services.drill_acknowledge(drill=d, by=u), _("Alarm acknowledged.")),
    "first_on_scene": (
        lambda d, u: services.drill_record_time(drill=d, by=u, milestone="first_on_scene"),
        _("Arrival of the first responders recorded."),
    ),
    "assembled": (
        lambda d, u: services.drill_record_time(drill=d, by=u, milestone="assembled"),
        _("Assembly of everyone recorded."),
    ),
    "sign_in": (lambda d, u: services.drill_sign_in(drill=d, by=u), _("You have signed in.")),
}


@require_POST
@login_required
def act(request, pk, action):
    drill = access.get_drill_for_user(request.user, pk)
    if action not in ACTIONS:
        raise Http404(_("No such step."))
    step, message = ACTIONS[action]
    return run_service(
        request,
        lambda: step(drill, request.user),
        success_message=message,
        redirect_to=_back(drill),
        refusals=(TransitionRefused,),
    )


@require_http_methods(["GET", "POST"])
@login_required
def record(request, pk):
    drill = access.get_drill_for_user(request.user, pk, action=access.ORGANISE)
    form = RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request,
            lambda: services.drill_record_held(drill=drill, by=request.user, **form.cleaned_data),
            success_message=_("The record of the drill has been saved."),
            redirect_to=_back(drill),
            refusals=(TransitionRefused,),
            form=form,
        )
        if response:
            return response
    return render(
        request,
        "drills/form.html",
        {"form": form, "title": _("Record the drill held"), "drill": drill},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def evaluate(request, pk):
    drill = access.get_drill_for_user(request.user, pk, action=access.ORGANISE)
    indicators = EvaluationIndicator.objects.filter(form=drill.form, is_active=True)
    form = EvaluationForm(request.POST or None, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request,
            lambda: services.drill_evaluate(
                drill=drill,
                by=request.user,
                scores=form.scores(),
                report=form.cleaned_data["report"],
                summary=form.cleaned_data["summary"],
            ),
            success_message=lambda e: (
                _("Evaluated: %(score)s points, %(conclusion)s.")
                % {"score": e.score, "conclusion": e.conclusion.display_name}
            ),
            redirect_to=_back(drill),
            refusals=(TransitionRefused,),
            form=form,
        )
        if response:
            return response
    return render(
        request,
        "drills/form.html",
        {"form": form, "title": _("Evaluate the drill"), "drill": drill},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def finding_add(request, pk):
    drill = access.get_drill_for_user(request.user, pk, action=access.ORGANISE)
    form = FindingForm(request.POST or None, user=request.user, drill=drill)
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request,
            lambda: services.finding_add(drill=drill, by=request.user, **form.cleaned_data),
            success_message=_("The finding has been added."),
            redirect_to=_back(drill),
            refusals=(TransitionRefused,),
            form=form,
        )
        if response:
            return response
    return render(
        request,
        "drills/form.html",
        {"form": form, "title": _("Add a finding"), "drill": drill},
        status=400 if form.errors else 200,
    )


def _print(request, pk, template):
    drill = access.get_drill_for_user(request.user, pk)
    return render(
        request,
        template,
        {
            "drill": drill,
            "linked_plans": drill.linked_plans.all(),
            "participating": drill.participating_units.all(),
            "evaluation": getattr(drill, "evaluation", None),
            "scores": drill.evaluation.scores.select_related("indicator") if hasattr(drill, "evaluation") else [],
            "findings": drill.findings.select_related("owner_unit"),
            "attendances": drill.attendances.select_related("person", "unit"),
        },
    )


@require_GET
@login_required
def print_plan(request, pk):
    return _print(request, pk, "drills/print_plan.html")


@require_GET
@login_required
def print_evaluation(request, pk):
    return _print(request, pk, "drills/print_evaluation.html")


@require_GET
@login_required
def print_signin(request, pk):
    return _print(request, pk, "drills/print_signin.html")
