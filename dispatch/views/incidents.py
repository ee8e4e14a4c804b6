"""Pages of the incident reports: the phone's first report, the list, one incident with its chain of
reports and its tiers (and the steps the viewer may take there), the statistics and their Excel
export. Thin: every incident is fetched through dispatch.access' helpers and every change
goes through its services; a refusal is shown the way the service words it."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.registry import incident_sections
from core.views import add_service_errors
from dispatch import access
from dispatch.forms import incidents as forms
from dispatch.models import LEVEL_COLOURS, IncidentCategory, IncidentReport, Level
from dispatch.permissions import DispatchAction
from dispatch.selectors import incidents as incident_selectors
from dispatch.services import incident_deadlines, incident_tiers
from dispatch.services import incidents as services
from grids.scope import scope_for
from grids.spreadsheets import append_row, export_name, xlsx_response

PER_PAGE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the first report ---------------------------------------------------------------------------


def _reporting_units(user):
    return access.reporting_units(user)


@require_http_methods(["GET", "POST"])
@login_required
def incident_report(request):
    units = _reporting_units(request.user)
    choices = list(units[:50])
    if not choices:
        raise PermissionDenied(_("You hold no role in a grid, so there is nowhere you can report an incident."))
    if request.method == "POST":
        form = forms.FirstReportForm(request.POST, units=units)
        if form.is_valid():
            try:
                incident, created = services.incident_first_report(by=request.user, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if created:
                    messages.success(
                        request,
                        _("Incident %(number)s reported; the tier above has it now.") % {"number": incident.number},
                    )
                else:
                    messages.info(
                        request, _("This report was already received as %(number)s.") % {"number": incident.number}
                    )
                return redirect("dispatch:incident_detail", pk=incident.pk)
    else:
        form = forms.FirstReportForm(
            units=units,
            initial={
                "client_key": uuid.uuid4(),
                "unit": choices[0].pk,
                "occurred_at": forms.now_local(),
                "reporter_phone": request.user.mobile,
                "level": Level.IV,
            },
        )
    return render(
        request,
        "dispatch/incidents/report.html",
        {
            "form": form,
            "single_unit": choices[0] if len(choices) == 1 else None,
        },
    )


# --- the list -----------------------------------------------------------------------------------


@require_GET
@login_required
def incident_list(request):
    filter_form = forms.IncidentFilterForm(request.GET or None)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    incidents = incident_selectors.incident_list(request.user, filters)
    page = Paginator(incidents, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dispatch/incidents/list.html",
        {
            "page": page,
            "incidents": page.object_list,
            "filter_form": filter_form,
            "query": query.urlencode(),
            "colours": LEVEL_COLOURS,
            "may_report": scope_for(request.user).may_anywhere(DispatchAction.REPORT_INCIDENT),
        },
    )


# --- one incident -------------------------------------------------------------------------------


def _report_label(report: IncidentReport) -> str:
    if report.kind == IncidentReport.Kind.FOLLOW_UP:
        return _("Follow-up report %(number)d") % {"number": report.sequence}
    return str(report.get_kind_display())


def _tier_rows(user, incident, tiers):
    """The tiers from the reporting unit up, with what the viewer may do at each."""
    by_parent = {tier.unit.parent_id: tier for tier in tiers}
    rows = []
    for tier in sorted(tiers, key=lambda t: -t.unit.level):
        origin = tier.unit_id == incident.unit_id
        child = by_parent.get(tier.unit_id)
        automatic = bool(
            tier.received_at
            and not origin
            and child is not None
            and (child.forwarded_at is None or child.forwarded_at > tier.received_at)
        )
        actions = []
        if not origin and access.may_handle_tier(user, tier.unit):
            if tier.received_at and not tier.confirmed_at:
                actions.append("confirm")
            if tier.received_at and not tier.forwarded_at and tier.unit.parent_id:
                actions.append("forward")
            actions.append("phone")
        rows.append(
            {
                "tier": tier,
                "origin": origin,
                "automatic": automatic,
                "actions": actions,
                "parent": next((t.unit for t in tiers if t.unit_id == tier.unit.parent_id), None),
            }
        )
    return rows


def _render_detail(request, incident, *, follow_up_form=None, final_form=None, status=200):
    user = request.user
    tiers = list(incident.tiers.select_related("unit", "confirmed_by"))
    reports = list(incident.reports.select_related("by", "unit"))
    may_follow = not incident.is_final and access.may_add_report(user, incident)
    may_final = not incident.is_final and access.may_close(user, incident)
    initial = {name: getattr(incident, name) for name in forms.FiguresMixin.FIGURES}
    initial["level"] = incident.level
    if may_follow and follow_up_form is None:
        follow_up_form = forms.FollowUpForm(initial=initial, computed=incident.level_computed, prefix="fu")
    if may_final and final_form is None:
        final_form = forms.FinalForm(prefix="final")
    due = incident_deadlines.deadlines_for(incident)
    return render(
        request,
        "dispatch/incidents/detail.html",
        {
            "incident": incident,
            "colour": LEVEL_COLOURS[incident.level],
            "reports": [{"report": r, "label": _report_label(r)} for r in reports],
            "tiers": _tier_rows(user, incident, tiers),
            "any_late": any(t.phone_late or t.written_late for t in tiers),
            "due": due,
            "phone_default": forms.now_local(),
            "follow_up_form": follow_up_form if may_follow else None,
            "final_form": final_form if may_final else None,
            "extra_sections": incident_sections(user, incident),  # registered by higher apps (supplies)
        },
        status=status,
    )


@require_GET
@login_required
def incident_detail(request, pk: int):
    return _render_detail(request, access.get_incident_for_user(request.user, pk))


TIER_ACTIONS = {
    "confirm": lambda incident, unit, by, data: incident_tiers.incident_confirm(incident=incident, unit=unit, by=by),
    "forward": lambda incident, unit, by, data: incident_tiers.incident_forward(incident=incident, unit=unit, by=by),
    "phone": lambda incident, unit, by, data: incident_tiers.incident_record_phone(
        incident=incident, unit=unit, by=by, at=data["at"]
    ),
}
TIER_DONE = {
    "confirm": gettext_lazy("Confirmed."),
    "forward": gettext_lazy("Forwarded to the tier above."),
    "phone": gettext_lazy("Phone time recorded."),
}


@require_POST
@login_required
def incident_tier_act(request, pk: int, unit_pk: int, action: str):
    """A tier's step: confirm, forward, or record when it was told by phone."""
    if action not in TIER_ACTIONS:
        raise Http404(_("No such step."))
    incident = access.get_incident_for_user(request.user, pk)
    tier = access.get_tier_for_user(request.user, incident, unit_pk)
    data = {}
    if action == "phone":
        form = forms.PhoneForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the time of the phone call."))
            return redirect("dispatch:incident_detail", pk=incident.pk)
        data = form.cleaned_data
    try:
        TIER_ACTIONS[action](incident, tier.unit, request.user, data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, str(TIER_DONE[action]))
    return redirect(f"{incident_url(incident)}#tier-{tier.unit_id}")


def incident_url(incident) -> str:
    return services.incident_url(incident)


@require_POST
@login_required
def incident_follow_up(request, pk: int):
    incident = access.get_incident_for_user(request.user, pk, action="follow_up")
    form = forms.FollowUpForm(request.POST, computed=incident.level_computed, prefix="fu")
    if form.is_valid():
        try:
            report = services.incident_follow_up(
                incident=incident, by=request.user, text=form.cleaned_data["text"], figures=form.service_figures()
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # refused by the incident's state (final report made)
                messages.error(request, " ".join(exc.messages))
                return redirect("dispatch:incident_detail", pk=incident.pk)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Follow-up report %(number)d sent.") % {"number": report.sequence})
            return redirect("dispatch:incident_detail", pk=incident.pk)
    incident.refresh_from_db()
    return _render_detail(request, incident, follow_up_form=form, status=400)


@require_POST
@login_required
def incident_final(request, pk: int):
    incident = access.get_incident_for_user(request.user, pk, action="final")
    form = forms.FinalForm(request.POST, prefix="final")
    if form.is_valid():
        try:
            services.incident_final(
                incident=incident,
                by=request.user,
                text=form.cleaned_data["text"],
                plan_problem=form.cleaned_data.get("plan_problem", False),
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                messages.error(request, " ".join(exc.messages))
                return redirect("dispatch:incident_detail", pk=incident.pk)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Final report sent."))
            return redirect("dispatch:incident_detail", pk=incident.pk)
    incident.refresh_from_db()
    return _render_detail(request, incident, final_form=form, status=400)


# --- statistics ---------------------------------------------------------------------------------


def _statistics(request):
    form = forms.StatisticsForm(request.GET or None)
    values = form.values()
    stats = incident_selectors.incident_statistics(
        request.user, year=values["year"], period=values["period"], filters=values["filters"]
    )
    return form, values, stats


@require_GET
@login_required
def incident_statistics(request):
    form, values, stats = _statistics(request)
    return render(
        request,
        "dispatch/incidents/statistics.html",
        {
            "form": form,
            "stats": stats,
            "values": values,
            "query": request.GET.urlencode(),
            "categories": IncidentCategory.choices,
            "levels": Level.choices,
            "colours": LEVEL_COLOURS,
        },
    )


@require_GET
@login_required
def incident_statistics_export(request):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    _form, values, stats = _statistics(request)
    workbook = Workbook()
    bold = Font(bold=True)
    head = [_("Incidents"), _("Dead"), _("Injured"), _("Missing"), _("Direct loss (10,000 yuan)")]
    categories, levels = IncidentCategory.choices, Level.choices

    def numbers(line):
        return [line.count, line.deaths, line.injured, line.missing, float(line.loss)]

    sheet = workbook.active
    sheet.title = _("By period")[:31]
    append_row(sheet, [_("Incident statistics") + f" — {stats.year if stats.period != 'year' else ''}"])
    sheet["A1"].font = bold
    append_row(
        sheet, [_("Period"), *head, *[str(label) for _v, label in categories], *[str(label) for _v, label in levels]]
    )
    for cell in sheet[2]:
        cell.font = bold
    for line in [*stats.rows, stats.total]:
        append_row(
            sheet,
            [
                line.label,
                *numbers(line),
                *[line.by_category.get(v, 0) for v, _l in categories],
                *[line.by_level.get(v, 0) for v, _l in levels],
            ],
        )
    for title, lines in ((_("By category"), stats.categories), (_("By level"), stats.levels)):
        extra = workbook.create_sheet(title[:31])
        append_row(extra, [title, *head])
        for cell in extra[1]:
            cell.font = bold
        for line in lines:
            append_row(extra, [line.label, *numbers(line)])
    return xlsx_response(workbook, export_name(_("Incident statistics"), "", timezone.localdate()))


# --- helpers ------------------------------------------------------------------------------------


urlpatterns = [
    path("incidents/", incident_list, name="incident_list"),
    path("incidents/report/", incident_report, name="incident_report"),
    path("incidents/statistics/", incident_statistics, name="incident_statistics"),
    path("incidents/statistics/export/", incident_statistics_export, name="incident_statistics_export"),
    path("incidents/<int:pk>/", incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/tiers/<int:unit_pk>/<slug:action>/", incident_tier_act, name="incident_tier_act"),
    path("incidents/<int:pk>/follow-up/", incident_follow_up, name="incident_follow_up"),
    path("incidents/<int:pk>/final/", incident_final, name="incident_final"),
]
