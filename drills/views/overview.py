"""The overview pages: the compliance table (per township, per county) and its Excel export,
findings, annual drill plans, training sessions and the officers not trained this year."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.views import run_service
from drills import access, selectors, services
from drills.forms import AnnualPlanForm, CloseForm, TrainingForm, UnitYearForm
from drills.models import Finding
from drills.permissions import DrillAction
from drills.services import TransitionRefused
from grids.scope import scope_for
from grids.spreadsheets import append_row, export_name, start_table, xlsx_response

PAGE_SIZE = 30


def _unit_year(request):
    """The unit (default: the person's highest unit) and the year (default: this year) asked for."""
    form = UnitYearForm(request.GET or None, user=request.user)
    unit = year = None
    if form.is_valid():
        unit, year = form.cleaned_data["unit"], form.cleaned_data["year"]
    unit = unit or scope_for(request.user).top_units().order_by("tree_id", "lft").first()
    return form, unit, year or timezone.localdate().year


@require_GET
@login_required
def compliance(request):
    form, unit, year = _unit_year(request)
    rows = selectors.compliance(request.user, unit, year) if unit else []
    return render(
        request,
        "drills/compliance.html",
        {"form": form, "unit": unit, "year": year, "rows": rows, "totals": selectors.totals(rows)},
    )


EXPORT_COLUMNS = [
    gettext_lazy("Unit"), gettext_lazy("Requirement"), gettext_lazy("Plan"), gettext_lazy("Due this year"),
    gettext_lazy("Done"), gettext_lazy("Planned"), gettext_lazy("Missing"), gettext_lazy("Rule"),
]  # fmt: skip


@require_GET
@login_required
def compliance_export(request):
    from openpyxl import Workbook

    _form, unit, year = _unit_year(request)
    rows = selectors.compliance(request.user, unit, year) if unit else []
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Drill compliance"))
    start_table(sheet, EXPORT_COLUMNS)
    for row in rows:
        append_row(
            sheet,
            [
                row.unit.name,
                row.requirement.display_name,
                row.plan.title if row.plan else "",
                row.due,
                row.done,
                row.planned,
                row.missing,
                row.requirement.rule,
            ],
        )
    title = _("Drill compliance %(year)s") % {"year": year}
    return xlsx_response(book, export_name(title, unit.name if unit else ""))


@require_GET
@login_required
def findings(request):
    state = request.GET.get("state", Finding.State.OPEN)
    rows = access.visible_findings(request.user).select_related("drill", "owner_unit", "plan")
    if state in Finding.State.values:
        rows = rows.filter(state=state)
    page = Paginator(rows.order_by("deadline", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "drills/findings.html",
        {"page_obj": page, "state": state, "states": Finding.State.choices, "today": timezone.localdate()},
    )


@require_POST
@login_required
def finding_close(request, pk):
    finding = access.get_finding_for_user(request.user, pk, close=True)
    form = CloseForm(request.POST)
    note = form.data.get("note", "")[:2000]
    return run_service(
        request,
        lambda: services.finding_close(finding=finding, by=request.user, note=note),
        success_message=_("The finding has been closed."),
        redirect_to=reverse("drills:findings"),
        refusals=(TransitionRefused,),
    )


@require_http_methods(["GET", "POST"])
@login_required
def annual_plans(request):
    form = AnnualPlanForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not scope_for(request.user).may_anywhere(DrillAction.ORGANISE):
            raise PermissionDenied(_("Only the unit's own people or a tier above may plan its drills."))
        if form.is_valid():
            response = run_service(
                request,
                lambda: services.annual_plan_create(by=request.user, **form.cleaned_data),
                success_message=_("The drill plan has been created."),
                redirect_to=lambda plan: reverse("drills:annual_plan", args=[plan.pk]),
                form=form,
            )
            if response:
                return response
    plans = access.visible_annual_plans(request.user).select_related("unit")
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "drills/annual_plans.html",
        {"page_obj": page, "form": form, "may_create": scope_for(request.user).may_anywhere(DrillAction.ORGANISE)},
        status=400 if form.errors else 200,
    )


@require_GET
@login_required
def annual_plan(request, pk):
    plan = access.get_annual_plan_for_user(request.user, pk)
    drills = access.visible_drills(request.user).filter(annual_plan=plan).select_related("unit")
    may_file = scope_for(request.user).can(DrillAction.ORGANISE, plan.unit)
    return render(request, "drills/annual_plan.html", {"plan": plan, "drills": drills, "may_file": may_file})


@require_POST
@login_required
def annual_plan_file(request, pk):
    plan = access.get_annual_plan_for_user(request.user, pk, organise=True)
    return run_service(
        request,
        lambda: services.annual_plan_file(plan=plan, by=request.user),
        success_message=_("The drill plan has been filed with the tier above."),
        redirect_to=reverse("drills:annual_plan", args=[plan.pk]),
        refusals=(TransitionRefused,),
    )


@require_GET
@login_required
def trainings(request):
    rows = access.visible_trainings(request.user).select_related("unit").prefetch_related("attendees")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "drills/trainings.html",
        {"page_obj": page, "may_create": scope_for(request.user).may_anywhere(DrillAction.TRAIN)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def training_create(request):
    if not scope_for(request.user).may_anywhere(DrillAction.TRAIN):
        raise PermissionDenied(_("Only the unit's own people or a tier above may record its training."))
    form = TrainingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request,
            lambda: services.training_record(by=request.user, **form.cleaned_data),
            success_message=_("The training session has been recorded."),
            redirect_to=reverse("drills:trainings"),
            form=form,
        )
        if response:
            return response
    return render(
        request,
        "drills/form.html",
        {"form": form, "title": _("Record a training session")},
        status=400 if form.errors else 200,
    )


@require_GET
@login_required
def untrained(request):
    form, unit, year = _unit_year(request)
    officers = selectors.untrained_officers(request.user, unit, year) if unit else []
    return render(request, "drills/untrained.html", {"form": form, "unit": unit, "year": year, "officers": officers})
