"""Rescue team pages: the list (those below their required strength stand out), a team with its
members and equipment, writing one, the Excel export and import of teams, members and experts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.views import run_service
from grids.spreadsheets import append_row, export_name, start_table, xlsx_response
from resources import access
from resources.forms import EquipmentForm, ImportForm, MemberForm, TeamForm, TeamSearchForm
from resources.selectors import teams as team_selectors
from resources.services import imports
from resources.services import teams as services
from resources.views import history_rows


def _back(team) -> str:
    return reverse("resources:team_detail", args=[team.pk])


@require_GET
@login_required
def team_list(request):
    form = TeamSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    teams = team_selectors.team_list(
        request.user, kind=filters.get("kind") or "", speciality=filters.get("speciality"),
        below_only=bool(filters.get("below")), text=filters.get("q") or "",
    )  # fmt: skip
    return render(
        request,
        "resources/team_list.html",
        {"form": form, "teams": teams, "may_write": access.edit_units(request.user).exists(),
         "below": sum(1 for t in teams if t.strength.below)},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
def team_create(request):
    if not access.edit_units(request.user).exists():
        raise access.refuse_edit()
    form = TeamForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        answer = run_service(
            request, lambda: services.team_save(by=request.user, data=form.cleaned_data),
            success_message=_("Team saved."), redirect_to=_back, form=form,
        )  # fmt: skip
        if answer is not None:
            return answer
    return render(
        request,
        "resources/form.html",
        {"form": form, "title": _("New rescue team")},
        status=400 if form.errors else 200,
    )


@require_GET
@login_required
def team_detail(request, pk):
    team = team_selectors.team_detail(access.get_team_for_user(request.user, pk))
    may_edit = access.may_edit(request.user, team.unit)
    return render(
        request,
        "resources/team_detail.html",
        {
            "team": team,
            "may_edit": may_edit,
            "member_form": MemberForm() if may_edit else None,
            "equipment_form": EquipmentForm(user=request.user) if may_edit else None,
            "history": history_rows(team.history),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def team_edit(request, pk):
    team = access.get_team_for_user(request.user, pk, write=True)
    form = TeamForm(request.POST or None, instance=team, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = run_service(
            request, lambda: services.team_save(by=request.user, data=data, team=team),
            success_message=_("Team saved."), redirect_to=_back, form=form,
        )  # fmt: skip
        if answer is not None:
            return answer
    return render(
        request, "resources/form.html", {"form": form, "title": team.name}, status=400 if form.errors else 200
    )


@require_POST
@login_required
def member_add(request, pk):
    team = access.get_team_for_user(request.user, pk, write=True)
    form = MemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_back(team))
    return run_service(
        request, lambda: services.member_add(team=team, by=request.user, **form.cleaned_data),
        success_message=_("Member added."), redirect_to=_back(team),
    )  # fmt: skip


@require_POST
@login_required
def member_remove(request, pk):
    member = get_object_or_404(access.visible_members(request.user).select_related("team__unit"), pk=pk)
    if not access.may_edit(request.user, member.team.unit):
        raise access.refuse_edit()
    team = member.team
    return run_service(
        request, lambda: services.member_remove(member=member, by=request.user),
        success_message=_("Member removed."), redirect_to=_back(team),
    )  # fmt: skip


@require_POST
@login_required
def equipment_set(request, pk):
    team = access.get_team_for_user(request.user, pk, write=True)
    form = EquipmentForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_back(team))
    return run_service(
        request, lambda: services.equipment_set(team=team, by=request.user, **form.cleaned_data),
        success_message=_("Equipment saved."), redirect_to=_back(team),
    )  # fmt: skip


@require_GET
@login_required
def export(request):
    """队伍, 队员 and 专家 as one workbook, in the import's columns (fixed number of queries)."""
    from openpyxl import Workbook

    from resources.services.imports import (
        EXPERT_COLUMNS,
        EXPERT_SHEET,
        MEMBER_COLUMNS,
        MEMBER_SHEET,
        TEAM_COLUMNS,
        TEAM_SHEET,
    )

    book = Workbook(write_only=True)
    sheet = book.create_sheet(TEAM_SHEET)
    start_table(sheet, [header for _f, header, _a in TEAM_COLUMNS])
    teams = access.visible_teams(request.user).select_related("unit").prefetch_related("specialities")
    for t in teams:
        append_row(sheet, [t.name, t.unit.code, t.get_kind_display(), t.get_force_display(),
                           "、".join(s.name for s in t.specialities.all()), t.on_duty, t.get_readiness_display(),
                           t.base_address, t.lng, t.lat, t.leader_name, t.leader_phone, t.duty_phone])  # fmt: skip
    sheet = book.create_sheet(MEMBER_SHEET)
    start_table(sheet, [header for _f, header, _a in MEMBER_COLUMNS])
    for m in access.visible_members(request.user).select_related("team__unit", "person"):
        append_row(sheet, [m.team.name, m.team.unit.code, m.name, m.get_role_display(), m.phone,
                           m.person.username if m.person else ""])  # fmt: skip
    sheet = book.create_sheet(EXPERT_SHEET)
    start_table(sheet, [header for _f, header, _a in EXPERT_COLUMNS])
    experts = (
        access.visible_experts(request.user)
        .select_related("unit")
        .prefetch_related("hazard_categories", "incident_types")
    )
    for e in experts:
        append_row(sheet, [e.name, e.unit.code, e.speciality, e.employer, e.title, e.phone, e.phone_2,
                           "、".join(c.name.split("（")[0] for c in e.hazard_categories.all()),
                           "、".join(t.name for t in e.incident_types.all()), e.get_availability_display()])  # fmt: skip
    return xlsx_response(book, export_name(_("Rescue teams and experts"), day=timezone.localdate()))


@require_http_methods(["GET", "POST"])
@login_required
def import_workbook(request):
    try:
        imports.check_may_import(request.user)
    except PermissionDenied:
        raise
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = imports.teams_import(by=request.user, data=upload.read(), filename=upload.name)
        if result.ok:
            messages.success(
                request,
                _("Imported %(teams)d teams, %(members)d members and %(experts)d experts.")
                % {"teams": result.teams, "members": result.members, "experts": result.experts},
            )
            return redirect("resources:team_list")
        errors = result.errors
    return render(
        request, "resources/import.html", {"form": form, "errors": errors}, status=400 if errors or form.errors else 200
    )
