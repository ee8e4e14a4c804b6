"""The case library pages: search, a case, write and publish it, its files, 转为案例 from an
incident or a drill, the export. Thin: fetch through ``library.access``, parse, call a service."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.views import run_service
from dispatch.access import get_incident_for_user
from drills.access import get_drill_for_user
from grids.files import serve_file
from grids.spreadsheets import append_row, export_name, start_table, xlsx_response
from library import access, selectors, services
from library.forms import CaseForm, CaseSearchForm, FileForm
from library.services import TransitionRefused
from library.views import history_rows

PAGE_SIZE = 30
FIELDS = ("title", "occurred_on", "incident_type", "drill_form", *services.cases.PARTS)


def _back(case) -> str:
    return reverse("library:case_detail", args=[case.pk])


def _searched(request):
    form = CaseSearchForm(request.GET or None, units=selectors.case_units(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    filters = {k: v for k, v in filters.items() if v not in (None, "")}
    return form, selectors.search_cases(request.user, **filters)


@require_GET
@login_required
def case_list(request):
    form, cases = _searched(request)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "library/case_list.html",
        {"form": form, "page_obj": page, "may_write": access.edit_units(request.user).exists()},
    )


@require_GET
@login_required
def case_export(request):
    """案例库 as .xlsx: the cases of the search, every part in its column."""
    from openpyxl import Workbook

    _form, cases = _searched(request)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Cases"))
    start_table(sheet, [_("title"), _("unit"), _("type"), _("date"), _("state"), _("cause"), _("measures taken"),
                       _("handling"), _("lessons"), _("problems"), _("suggestions")])  # fmt: skip
    for c in cases.iterator(chunk_size=500):
        append_row(
            sheet,
            [c.title, c.unit.name, c.type_label, c.occurred_on, c.get_state_display(), c.cause, c.measures,
             c.handling, c.lessons, c.problems, c.suggestions],
        )  # fmt: skip
    return xlsx_response(book, export_name(_("Case library"), day=timezone.localdate()))


@require_GET
@login_required
def case_detail(request, pk):
    case = access.get_case_for_user(request.user, pk)
    may_edit = access.may_edit(request.user, case.unit)
    return render(
        request,
        "library/case_detail.html",
        {
            "case": case,
            "categories": case.hazard_categories.all(),
            "attachments": case.attachments.all(),
            "may_edit": may_edit,
            "may_publish": case.state == case.State.DRAFT and access.may_publish(request.user, case.unit),
            "file_form": FileForm() if may_edit else None,
            "history": history_rows(case.history),
        },
    )


def _fields(data) -> dict:
    return {name: data.get(name) for name in FIELDS}


@require_http_methods(["GET", "POST"])
@login_required
def case_create(request):
    form = CaseForm(request.POST or None, user=request.user)
    if not form.fields["unit"].queryset.exists():
        raise access.refuse_edit()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = run_service(
            request,
            lambda: services.case_create(
                by=request.user, unit=data["unit"], hazard_categories=data["hazard_categories"], **_fields(data)
            ),
            success_message=_("The case has been saved as a draft."),
            redirect_to=_back,
            form=form,
        )
        if answer is not None:
            return answer
    return render(
        request, "library/form.html", {"form": form, "title": _("New case")}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@login_required
def case_edit(request, pk):
    case = access.get_case_for_user(request.user, pk, edit=True)
    initial = {name: getattr(case, name) for name in FIELDS} | {"hazard_categories": case.hazard_categories.all()}
    initial["incident_type"] = case.incident_type_id
    form = CaseForm(request.POST or None, user=request.user, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = run_service(
            request,
            lambda: services.case_update(
                case=case, by=request.user, hazard_categories=data["hazard_categories"], **_fields(data)
            ),
            success_message=_("The case has been saved."),
            redirect_to=_back(case),
            form=form,
        )
        if answer is not None:
            return answer
    return render(request, "library/form.html", {"form": form, "title": case.title}, status=400 if form.errors else 200)


@require_POST
@login_required
def case_publish(request, pk):
    case = access.get_case_for_user(request.user, pk)
    return run_service(
        request,
        lambda: services.case_publish(case=case, by=request.user),
        success_message=_("The case has been published."),
        redirect_to=_back(case),
        refusals=(TransitionRefused,),
    )


@require_POST
@login_required
def case_attach(request, pk):
    case = access.get_case_for_user(request.user, pk, edit=True)
    return run_service(
        request,
        lambda: services.case_attach(case=case, by=request.user, upload=request.FILES.get("file")),
        success_message=_("The file has been attached."),
        redirect_to=_back(case),
    )


@require_GET
@login_required
def case_file(request, pk):
    """A case's file, after the case's own access check, under the name it was uploaded with."""
    attachment = access.get_case_attachment_for_user(request.user, pk)
    return serve_file(request, attachment.file, download_name=attachment.original_name)


@require_POST
@login_required
def case_from_incident(request, pk):
    """转为案例 on a closed incident's page."""
    incident = get_incident_for_user(request.user, pk)
    back = reverse("dispatch:incident_detail", args=[incident.pk])
    answer = run_service(
        request,
        lambda: services.case_from_incident(incident=incident, by=request.user),
        success_message=_("The incident is now a draft case: complete its lessons and publish it."),
        redirect_to=_back,
        refusals=(TransitionRefused,),
        refused_redirect_to=back,
    )
    return answer or redirect(back)


@require_POST
@login_required
def case_from_drill(request, pk):
    """转为案例 on a held drill's page."""
    drill = get_drill_for_user(request.user, pk)
    back = reverse("drills:detail", args=[drill.pk])
    answer = run_service(
        request,
        lambda: services.case_from_drill(drill=drill, by=request.user),
        success_message=_("The drill is now a draft case: complete its lessons and publish it."),
        redirect_to=_back,
        refusals=(TransitionRefused,),
        refused_redirect_to=back,
    )
    return answer or redirect(back)
