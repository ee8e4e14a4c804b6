"""Pages of the warnings: list, detail = the acknowledgement page of a unit's people (one big
button), draft / edit / update forms, issue and lift, local instructions, evacuation figures, the
live acknowledgement board, CAP download and upload.

Thin: every warning is fetched through ``dispatch.access.get_warning_for_user`` (404 unseen,
403 not allowed), every change goes through a service; a state refusal is shown as a message."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import registry
from core.views import add_service_errors
from dispatch import access, cap
from dispatch.access import get_warning_for_user
from dispatch.forms.warnings import (
    CapUploadForm,
    EvacuationForm,
    LocalInstructionForm,
    UnitChoiceForm,
    WarningForm,
    default_validity,
)
from dispatch.models import LEVEL_COLOURS, EvacuationReport, Warning
from dispatch.permissions import DispatchAction
from dispatch.selectors import warnings as warning_selectors
from dispatch.selectors.callouts import township_coverage
from dispatch.services import warning_receipts
from dispatch.services import warnings as services
from dispatch.services.warnings import WarningRefused
from grids.models import GridUnit
from grids.scope import scope_for

PER_PAGE = 30


def _require_issuer(user):
    issuers = access.issuer_units(user)
    if not issuers.exists():
        raise PermissionDenied(_("Only county command may issue warnings."))
    return issuers


# --- list and detail ------------------------------------------------------------------------------


@require_GET
@login_required
def warning_list(request):
    """Warnings in force first, then drafts, then lifted ones; newest first."""
    page = Paginator(warning_selectors.warning_list(request.user), PER_PAGE).get_page(request.GET.get("page"))
    may_issue = access.issuer_units(request.user).exists()
    return render(
        request,
        "dispatch/warnings/list.html",
        {
            "page_obj": page,
            "warnings": page.object_list,
            "may_issue": may_issue,
            "colours": LEVEL_COLOURS,
        },
    )


@require_GET
@login_required
def warning_detail(request, pk: int):
    """The warning as a unit's people see it — title, colour, content, instructions, the local
    instructions from above, and one big Acknowledge button per own unit; plus the command's
    actions for those who may issue."""
    warning = get_warning_for_user(request.user, pk)
    own = warning_selectors.own_deliveries(request.user, warning)
    own_units = [delivery.recipient_unit for delivery in own]
    may_issue = access.may_issue(request.user, warning)
    scope = scope_for(request.user)
    instruct_units = [
        unit for unit in own_units if not unit.is_leaf_node() and scope.can(DispatchAction.LOCAL_INSTRUCTION, unit)
    ]
    evacuation_units = [unit for unit in own_units if warning.report_evacuation]
    evacuations = {}
    if evacuation_units:
        evacuations = {
            r.unit_id: r for r in EvacuationReport.objects.filter(warning=warning, unit__in=evacuation_units)
        }
    remarks = registry.evacuation_remarks(
        warning, {unit: evacuations[unit.pk].evacuated for unit in evacuation_units if unit.pk in evacuations}
    )
    return render(
        request,
        "dispatch/warnings/detail.html",
        {
            "warning": warning,
            "own": own,
            "may_issue": may_issue,
            "local_instructions": warning_selectors.local_instructions_for(request.user, warning, own_units),
            "instruct_form": LocalInstructionForm(units=GridUnit.objects.filter(pk__in=[u.pk for u in instruct_units]))
            if instruct_units and warning.state == Warning.State.ACTIVE
            else None,
            "evacuation_rows": [
                (unit, evacuations.get(unit.pk), remarks.get(unit.pk, [])) for unit in evacuation_units
            ],
            "extra_links": registry.warning_links(request.user, warning, own_units),
            "messages_sent": warning.messages.select_related("sent_by").order_by("sent_at", "pk") if may_issue else [],
            "areas": warning.areas.order_by("level", "code"),
            "State": Warning.State,
        },
    )


# --- the command's forms --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def warning_new(request):
    """Draft a warning (county command)."""
    issuers = _require_issuer(request.user)
    if request.method == "POST":
        form = WarningForm(request.POST, issuers=issuers)
        if form.is_valid():
            data = form.cleaned_data
            try:
                warning = services.warning_draft(
                    by=request.user,
                    issuer_unit=data["issuer_unit"],
                    type=data["type"],
                    level=data["level"],
                    title=data["title"],
                    content=data["content"],
                    instructions=data["instructions"],
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                    areas=data["all_areas"],
                    report_evacuation=data["report_evacuation"],
                    sender_name=data["sender_name"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Draft saved. Check it, then issue it."))
                return redirect("dispatch:warning_detail", pk=warning.pk)
        return render(request, "dispatch/warnings/form.html", {"form": form, "warning": None}, status=400)
    form = WarningForm(issuers=issuers, initial=default_validity())
    return render(request, "dispatch/warnings/form.html", {"form": form, "warning": None})


@require_http_methods(["GET", "POST"])
@login_required
def warning_edit(request, pk: int):
    """Edit a draft, or update a warning in force (every unit is told and acknowledges again)."""
    warning = get_warning_for_user(request.user, pk, action=DispatchAction.ISSUE_WARNING)
    if warning.state == Warning.State.LIFTED:
        messages.error(request, _("A lifted warning cannot be changed."))
        return redirect("dispatch:warning_detail", pk=warning.pk)
    active = warning.state == Warning.State.ACTIVE
    issuers = access.issuer_units(request.user)
    if request.method == "POST":
        form = WarningForm(request.POST, issuers=issuers, active=active)
        if form.is_valid():
            try:
                services.warning_update(warning=warning, by=request.user, changes=form.changes(warning))
            except ValidationError as exc:
                add_service_errors(form, exc)
            except WarningRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("Update sent to every unit that received the warning.") if active else _("Draft saved.")
                )
                return redirect("dispatch:warning_detail", pk=warning.pk)
        return render(request, "dispatch/warnings/form.html", {"form": form, "warning": warning}, status=400)
    form = WarningForm(initial=WarningForm.initial_for(warning), issuers=issuers, active=active)
    return render(request, "dispatch/warnings/form.html", {"form": form, "warning": warning})


def _command_step(request, pk: int, step, done: str):
    warning = get_warning_for_user(request.user, pk, action=DispatchAction.ISSUE_WARNING)
    try:
        warning = step(warning=warning, by=request.user)
    except (WarningRefused, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, done)
    return warning


@require_POST
@login_required
def warning_issue(request, pk: int):
    warning = _command_step(
        request, pk, services.warning_issue, _("Warning issued and delivered to every unit of the target area.")
    )
    return (
        redirect("dispatch:warning_board", pk=warning.pk)
        if warning.state != Warning.State.DRAFT
        else redirect("dispatch:warning_detail", pk=warning.pk)
    )


@require_POST
@login_required
def warning_lift(request, pk: int):
    warning = _command_step(request, pk, services.warning_lift, _("Warning lifted; every unit is told."))
    return redirect("dispatch:warning_detail", pk=warning.pk)


@require_POST
@login_required
def warning_discard(request, pk: int):
    warning = get_warning_for_user(request.user, pk, action=DispatchAction.ISSUE_WARNING)
    try:
        services.warning_delete_draft(warning=warning, by=request.user)
    except WarningRefused as exc:
        messages.error(request, str(exc))
        return redirect("dispatch:warning_detail", pk=warning.pk)
    messages.success(request, _("Draft discarded."))
    return redirect("dispatch:warning_list")


# --- the receiving units --------------------------------------------------------------------------


def _own_units(request, warning):
    return GridUnit.objects.filter(
        pk__in=[d.recipient_unit_id for d in warning_selectors.own_deliveries(request.user, warning)]
    )


@require_POST
@login_required
def warning_acknowledge(request, pk: int):
    """Acknowledge (签收) with one tap for one of the person's own units."""
    warning = get_warning_for_user(request.user, pk)
    form = UnitChoiceForm(request.POST, units=_own_units(request, warning))
    if not form.is_valid():
        raise PermissionDenied(_("This warning was not sent to a unit of yours."))
    try:
        delivery = warning_receipts.warning_acknowledge(
            warning=warning, unit=form.cleaned_data["unit"], by=request.user
        )
    except WarningRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Acknowledged for %(unit)s.") % {"unit": delivery.recipient_unit.name})
    return redirect("dispatch:warning_detail", pk=warning.pk)


@require_POST
@login_required
def warning_local_instruction(request, pk: int):
    """A township adds instructions for its villages."""
    warning = get_warning_for_user(request.user, pk)
    units = _own_units(request, warning)
    form = LocalInstructionForm(request.POST, units=units)
    if not form.is_valid():
        if "unit" in form.errors:
            raise PermissionDenied(_("This warning was not sent to a unit of yours."))
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("dispatch:warning_detail", pk=warning.pk)
    try:
        warning_receipts.warning_add_local_instruction(
            warning=warning, unit=form.cleaned_data["unit"], by=request.user, text=form.cleaned_data["text"]
        )
    except (WarningRefused, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, _("Local instructions added; the units below see them with the warning."))
    return redirect("dispatch:warning_detail", pk=warning.pk)


@require_http_methods(["GET", "POST"])
@login_required
def warning_evacuation(request, pk: int):
    """People evacuated and sheltered in one of the person's units (when the warning asks)."""
    warning = get_warning_for_user(request.user, pk)
    units = _own_units(request, warning)
    if not warning.report_evacuation or not units.exists():
        raise PermissionDenied(_("This warning asks no evacuation figures of your units."))
    if request.method == "POST":
        form = EvacuationForm(request.POST, units=units)
        if form.is_valid():
            data = form.cleaned_data
            try:
                warning_receipts.report_evacuation(
                    warning=warning,
                    unit=data["unit"],
                    by=request.user,
                    evacuated=data["evacuated"],
                    sheltered=data["sheltered"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except WarningRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Figures saved."))
                for remark in registry.evacuation_remarks(warning, {data["unit"]: data["evacuated"]}).get(
                    data["unit"].pk, []
                ):
                    messages.warning(request, remark)
                return redirect("dispatch:warning_detail", pk=warning.pk)
        return render(request, "dispatch/warnings/evacuation.html", {"form": form, "warning": warning}, status=400)
    first = units.first()
    current = EvacuationReport.objects.filter(warning=warning, unit=first).first()
    initial = {
        "unit": first.pk,
        "evacuated": current.evacuated if current else 0,
        "sheltered": current.sheltered if current else 0,
    }
    return render(
        request,
        "dispatch/warnings/evacuation.html",
        {"form": EvacuationForm(initial=initial, units=units), "warning": warning},
    )


# --- the board and CAP ----------------------------------------------------------------------------


@require_GET
@login_required
def warning_board(request, pk: int):
    """The live acknowledgement board of the viewer's scope (refreshes itself every 30 s)."""
    warning = get_warning_for_user(request.user, pk)
    if warning.state == Warning.State.DRAFT:
        return redirect("dispatch:warning_detail", pk=warning.pk)
    board = warning_selectors.warning_board(request.user, warning, page=request.GET.get("page"))
    coverage = township_coverage(warning, warning_selectors.board_deliveries(request.user, warning))
    return render(
        request,
        "dispatch/warnings/board.html",
        {"warning": warning, "board": board, "coverage": coverage, "coverage_target": settings.SMS_COVERAGE_TARGET},
    )


@require_GET
@login_required
def warning_cap(request, pk: int):
    """The latest CAP 1.2 message of the warning as an XML download."""
    warning = get_warning_for_user(request.user, pk)
    try:
        message = cap.latest_message(warning)
    except WarningRefused as exc:
        messages.error(request, str(exc))
        return redirect("dispatch:warning_detail", pk=warning.pk)
    response = HttpResponse(cap.warning_to_cap(warning, message), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{cap.cap_filename(message)}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def warning_import(request):
    """Upload a CAP message (e.g. from the meteorological bureau): it becomes a draft."""
    issuers = _require_issuer(request.user)
    if request.method == "POST":
        form = CapUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                warning = cap.cap_import(form.cleaned_data["payload"], by=request.user, issuer_unit=issuers.first())
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("CAP message imported as a draft. Check it, then issue it."))
                return redirect("dispatch:warning_detail", pk=warning.pk)
        return render(request, "dispatch/warnings/import.html", {"form": form}, status=400)
    return render(request, "dispatch/warnings/import.html", {"form": CapUploadForm()})


urlpatterns = [
    path("warnings/", warning_list, name="warning_list"),
    path("warnings/new/", warning_new, name="warning_new"),
    path("warnings/import/", warning_import, name="warning_import"),
    path("warnings/<int:pk>/", warning_detail, name="warning_detail"),
    path("warnings/<int:pk>/edit/", warning_edit, name="warning_edit"),
    path("warnings/<int:pk>/issue/", warning_issue, name="warning_issue"),
    path("warnings/<int:pk>/lift/", warning_lift, name="warning_lift"),
    path("warnings/<int:pk>/discard/", warning_discard, name="warning_discard"),
    path("warnings/<int:pk>/acknowledge/", warning_acknowledge, name="warning_acknowledge"),
    path("warnings/<int:pk>/local-instruction/", warning_local_instruction, name="warning_local_instruction"),
    path("warnings/<int:pk>/evacuation/", warning_evacuation, name="warning_evacuation"),
    path("warnings/<int:pk>/board/", warning_board, name="warning_board"),
    path("warnings/<int:pk>/cap.xml", warning_cap, name="warning_cap"),
]
