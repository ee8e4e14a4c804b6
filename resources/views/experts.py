"""The expert library pages: search by category, an expert, writing one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.views import run_service
from resources import access
from resources.forms import ExpertForm, ExpertSearchForm
from resources.selectors.teams import search_experts
from resources.services import teams as services
from resources.views import history_rows


def _back(expert) -> str:
    return reverse("resources:expert_detail", args=[expert.pk])


@require_GET
@login_required
def expert_list(request):
    form = ExpertSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    experts = search_experts(
        request.user, category=filters.get("category"), incident_type=filters.get("incident_type"),
        text=filters.get("q") or "",
    )[:200]  # fmt: skip
    return render(
        request,
        "resources/expert_list.html",
        {"form": form, "experts": experts, "may_write": access.edit_units(request.user).exists()},
    )


@require_http_methods(["GET", "POST"])
@login_required
def expert_create(request):
    if not access.edit_units(request.user).exists():
        raise access.refuse_edit()
    form = ExpertForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        answer = run_service(
            request, lambda: services.expert_save(by=request.user, data=form.cleaned_data),
            success_message=_("Expert saved."), redirect_to=_back, form=form,
        )  # fmt: skip
        if answer is not None:
            return answer
    return render(
        request, "resources/form.html", {"form": form, "title": _("New expert")}, status=400 if form.errors else 200
    )


@require_GET
@login_required
def expert_detail(request, pk):
    expert = access.get_expert_for_user(request.user, pk)
    return render(
        request,
        "resources/expert_detail.html",
        {
            "expert": expert,
            "may_edit": access.may_edit(request.user, expert.unit),
            "history": history_rows(expert.history),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def expert_edit(request, pk):
    expert = access.get_expert_for_user(request.user, pk, write=True)
    form = ExpertForm(request.POST or None, instance=expert, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = run_service(
            request, lambda: services.expert_save(by=request.user, data=data, expert=expert),
            success_message=_("Expert saved."), redirect_to=_back, form=form,
        )  # fmt: skip
        if answer is not None:
            return answer
    return render(
        request, "resources/form.html", {"form": form, "title": expert.name}, status=400 if form.errors else 200
    )
