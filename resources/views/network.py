"""The contact network: reachability per unit, roll calls (start one, its answers per township,
a person's answer on the phone)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.views import run_service
from resources import access
from resources.forms import ReachabilityForm, RollCallForm
from resources.selectors import network
from resources.services import rollcalls as services


@require_GET
@login_required
def reachability(request):
    form = ReachabilityForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    rows = network.reachability(request.user, root=data.get("unit"), missing_only=bool(data.get("missing")))
    return render(request, "resources/reachability.html", {"form": form, "rows": rows[:500], "more": len(rows) > 500})


@require_http_methods(["GET", "POST"])
@login_required
def roll_call_list(request):
    form = RollCallForm(request.POST or None, user=request.user)
    may_call = form.fields["unit"].queryset.exists()
    if request.method == "POST":
        if not may_call:
            raise access.refuse_edit()
        if form.is_valid():
            answer = run_service(
                request,
                lambda: services.roll_call_start(by=request.user, unit=form.cleaned_data["unit"],
                                                 message=form.cleaned_data["message"]),
                success_message=_("Roll call sent."),
                redirect_to=lambda rc: reverse("resources:roll_call_detail", args=[rc.pk]),
                form=form,
            )  # fmt: skip
            if answer is not None:
                return answer
    roll_calls = access.visible_roll_calls(request.user).select_related("unit", "started_by")[:50]
    return render(
        request,
        "resources/roll_call_list.html",
        {"form": form if may_call else None, "roll_calls": roll_calls, "mine": network.my_roll_calls(request.user)},
        status=400 if form.errors else 200,
    )


@require_GET
@login_required
def roll_call_detail(request, pk):
    roll_call = access.get_roll_call_for_user(request.user, pk)
    if not access.visible_roll_calls(request.user).filter(pk=roll_call.pk).exists():
        return redirect("resources:roll_call_answer", pk=roll_call.pk)  # a person called, not a caller
    return render(
        request,
        "resources/roll_call_detail.html",
        {"roll_call": roll_call, "townships": network.roll_call_answers(roll_call),
         "mine": network.my_open_entries(request.user, roll_call)},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
def roll_call_answer(request, pk):
    roll_call = access.get_roll_call_for_user(request.user, pk)
    mine = network.my_open_entries(request.user, roll_call)
    if request.method == "POST":
        if not mine:
            raise PermissionDenied(_("This roll call did not call you."))
        return run_service(
            request, lambda: services.roll_call_acknowledge(roll_call=roll_call, by=request.user),
            success_message=_("Answered: you are reachable."),
            redirect_to=reverse("resources:roll_call_answer", args=[roll_call.pk]),
        )  # fmt: skip
    return render(request, "resources/roll_call_answer.html", {"roll_call": roll_call, "mine": mine})
