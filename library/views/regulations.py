"""The regulation library pages: search, a regulation with the plans citing it, write it, replace
or repeal it (which raises the plans' revision triggers), its files, the export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.views import run_service
from grids.files import serve_file
from grids.spreadsheets import append_row, export_name, start_table, xlsx_response
from library import access, selectors, services
from library.forms import FileForm, RegulationForm, RegulationSearchForm, ReplaceForm
from library.services import TransitionRefused
from library.views import history_rows
from plans.access import visible_plans

PAGE_SIZE = 30
FIELDS = ("title", "kind", "number", "issuer", "issued_on", "effective_on", "summary")


def _back(regulation) -> str:
    return reverse("library:regulation_detail", args=[regulation.pk])


def _searched(request):
    form = RegulationSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, selectors.search_regulations(request.user, **{k: v for k, v in filters.items() if v not in (None, "")})


@require_GET
@login_required
def regulation_list(request):
    form, regulations = _searched(request)
    page = Paginator(regulations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "library/regulation_list.html",
        {"form": form, "page_obj": page, "may_write": access.edit_units(request.user).exists()},
    )


@require_GET
@login_required
def regulation_export(request):
    """法规库 as .xlsx."""
    from openpyxl import Workbook

    _form, regulations = _searched(request)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Regulations"))
    start_table(sheet, [_("title"), _("kind"), _("number (文号)"), _("issuer"), _("issued"), _("effective"),
                       _("status"), _("replaced by"), _("kept by")])  # fmt: skip
    for r in regulations.iterator(chunk_size=500):
        append_row(
            sheet,
            [r.title, r.get_kind_display(), r.number, r.issuer, r.issued_on, r.effective_on, r.get_status_display(),
             str(r.replaced_by) if r.replaced_by else "", r.unit.name],
        )  # fmt: skip
    return xlsx_response(book, export_name(_("Regulation library"), day=timezone.localdate()))


@require_GET
@login_required
def regulation_detail(request, pk):
    regulation = access.get_regulation_for_user(request.user, pk)
    may_edit = access.may_edit(request.user, regulation.unit)
    return render(
        request,
        "library/regulation_detail.html",
        {
            "regulation": regulation,
            "plans": visible_plans(request.user).filter(cited_regulations=regulation).select_related("unit"),
            "replaces": access.visible_regulations(request.user).filter(replaced_by=regulation),
            "files": regulation.files.all(),
            "may_edit": may_edit,
            "file_form": FileForm() if may_edit else None,
            "history": history_rows(regulation.history),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def regulation_create(request):
    form = RegulationForm(request.POST or None, user=request.user)
    if not form.fields["unit"].queryset.exists():
        raise access.refuse_edit()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = run_service(
            request,
            lambda: services.regulation_create(
                by=request.user, unit=data["unit"], plans=data["plans"], **{n: data[n] for n in FIELDS}
            ),
            success_message=_("The regulation has been saved."),
            redirect_to=_back,
            form=form,
        )
        if answer is not None:
            return answer
    status = 400 if form.errors else 200
    return render(request, "library/form.html", {"form": form, "title": _("New regulation")}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def regulation_edit(request, pk):
    regulation = access.get_regulation_for_user(request.user, pk, edit=True)
    initial = {n: getattr(regulation, n) for n in FIELDS} | {"plans": regulation.plans.all()}
    form = RegulationForm(request.POST or None, user=request.user, regulation=regulation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = run_service(
            request,
            lambda: services.regulation_update(
                regulation=regulation, by=request.user, plans=data["plans"], **{n: data[n] for n in FIELDS}
            ),
            success_message=_("The regulation has been saved."),
            redirect_to=_back(regulation),
            form=form,
        )
        if answer is not None:
            return answer
    status = 400 if form.errors else 200
    return render(request, "library/form.html", {"form": form, "title": str(regulation)}, status=status)


def _triggered(n: int) -> str:
    return ngettext(
        "Saved: %(n)d plan citing it has a revision trigger.",
        "Saved: %(n)d plans citing it have a revision trigger.",
        n,
    ) % {"n": n}


@require_http_methods(["GET", "POST"])
@login_required
def regulation_replace(request, pk):
    regulation = access.get_regulation_for_user(request.user, pk, edit=True)
    form = ReplaceForm(request.POST or None, user=request.user, regulation=regulation)
    if request.method == "POST" and form.is_valid():
        answer = run_service(
            request,
            lambda: services.regulation_replace(
                regulation=regulation, by=request.user, replaced_by=form.cleaned_data["replaced_by"]
            ),
            success_message=_triggered,
            redirect_to=_back(regulation),
            refusals=(TransitionRefused,),
            form=form,
        )
        if answer is not None:
            return answer
    status = 400 if form.errors else 200
    return render(
        request, "library/form.html", {"form": form, "title": _("Replace %(r)s") % {"r": regulation}}, status=status
    )


@require_POST
@login_required
def regulation_repeal(request, pk):
    regulation = access.get_regulation_for_user(request.user, pk, edit=True)
    return run_service(
        request,
        lambda: services.regulation_repeal(regulation=regulation, by=request.user),
        success_message=_triggered,
        redirect_to=_back(regulation),
        refusals=(TransitionRefused,),
    )


@require_POST
@login_required
def regulation_attach(request, pk):
    regulation = access.get_regulation_for_user(request.user, pk, edit=True)
    return run_service(
        request,
        lambda: services.regulation_attach(regulation=regulation, by=request.user, upload=request.FILES.get("file")),
        success_message=_("The file has been attached."),
        redirect_to=_back(regulation),
    )


@require_GET
@login_required
def regulation_file(request, pk):
    row = access.get_regulation_file_for_user(request.user, pk)
    return serve_file(request, row.file, download_name=row.original_name)
