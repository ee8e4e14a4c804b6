"""The compliance calendar and the clock records of a plan: thin — access, form, service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.views import refusal_message, run_service
from grids.scope import get_unit_for_user
from plans import access, selectors, services
from plans.forms import DrillForm, EvaluationForm, TriggerForm
from plans.permissions import PlanAction
from plans.services.clock_notices import CLOCKS, notice_days


def _render(request, unit=None):
    rows = selectors.calendar_rows(request.user, unit)
    return render(
        request,
        "plans/clock_calendar.html",
        {
            "unit": unit,
            "rows": rows,
            "rollup": selectors.rollup(request.user, rows),
            "clocks": CLOCKS,
            "days": notice_days(),
            "today": timezone.localdate(),
        },
    )


@require_GET
@login_required
def calendar(request):
    """The compliance calendar of the person's scope, with the roll-up per township."""
    return _render(request)


@require_GET
@login_required
def calendar_unit(request, unit_pk: int):
    """The calendar of one unit and the units below it."""
    return _render(request, get_unit_for_user(request.user, unit_pk))


FORMS = {"evaluation": EvaluationForm, "drill": DrillForm, "trigger": TriggerForm}


@require_POST
@login_required
def clock_record(request, pk: int, action: str):
    """Record an evaluation, a drill or a revision trigger from the plan page."""
    plan = access.get_plan_for_user(request.user, pk, action=PlanAction.EDIT)  # 404 unseen, 403 not the owner
    if action not in FORMS:
        raise Http404(_("No such action."))
    form = FORMS[action](request.POST)
    by = request.user

    def act():
        if not form.is_valid():
            raise ValidationError(refusal_message(ValidationError(form.errors)))
        data = form.cleaned_data
        if action == "evaluation":
            return services.evaluation_record(plan=plan, by=by, **data)
        if action == "drill":
            return services.drill_record(plan=plan, by=by, **data)
        return services.trigger_raise_by_hand(plan=plan, by=by, **data)

    return run_service(
        request,
        act,
        success_message=_("Done."),
        redirect_to=reverse("plans:detail", args=[plan.pk]),
        refusals=(services.TransitionRefused,),
    )


@require_POST
@login_required
def version_into_force(request, pk: int):
    """A minor revision issued straight into force (no new review or filing)."""
    version = access.get_version_for_user(request.user, pk, action=PlanAction.ISSUE)
    return run_service(
        request,
        lambda: services.version_issue_into_force(
            version=version, by=request.user, issue_number=request.POST.get("issue_number", "")[:60]
        ),
        success_message=_("Done."),
        redirect_to=reverse("plans:detail", args=[version.plan_id]),
        refusals=(services.TransitionRefused,),
    )
