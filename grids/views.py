"""Pages of the grid. Thin: each fetches through the scope module and renders."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.registry import page_sections
from core.views import run_service
from grids import importing, selectors, services
from grids.files import import_jobs_for
from grids.forms import ImportForm
from grids.models import GridUnit, ImportJob, Membership
from grids.scope import Action, get_unit_for_user, scope_for

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_GET
@login_required
def home(request):
    scope = scope_for(request.user)
    return render(
        request,
        "grids/home.html",
        {
            "memberships": selectors.memberships_of(request.user),
            "contacts": selectors.contacts_above(request.user),
            "counts": selectors.tier_counts(scope.units()),
            "top_units": scope.top_units(),
            "may_manage": scope.may_anywhere(Action.MANAGE_GRID),
            "extra_sections": page_sections("home", request.user, None),  # registered by higher apps (patrols)
        },
    )


@require_GET
@login_required
def tree(request):
    roots = selectors.tree_for_user(request.user)
    flat = [unit for root in roots for unit in _walk(root)]
    return render(request, "grids/tree.html", {"roots": roots, "counts": selectors.tier_counts(flat)})


def _walk(unit):
    yield unit
    for child in unit.visible_children:
        yield from _walk(child)


@require_GET
@login_required
def unit_detail(request, pk: int):
    unit = get_unit_for_user(request.user, pk)
    scope = scope_for(request.user)
    ancestors = list(unit.get_ancestors())
    children = list(unit.get_children())
    features = [_feature(unit, role="self")] + [_feature(child, role="child") for child in children]
    return render(
        request,
        "grids/unit_detail.html",
        {
            "unit": unit,
            "breadcrumbs": [(a, scope.can_see(a)) for a in ancestors],
            "people": selectors.unit_people(unit),
            "children": children,
            "counts": selectors.tier_counts(unit.get_descendants(include_self=True)),
            "map_data": {"type": "FeatureCollection", "features": [f for f in features if f["geometry"]]},
            "points": [_feature(u, role="point", geometry=u.location) for u in [unit, *children] if u.location],
            "may_manage": scope.can(Action.MANAGE_GRID, unit),
            "tile_url": settings.MAP_TILE_URL,
        },
    )


def _feature(unit: GridUnit, *, role: str, geometry=None) -> dict:
    return {
        "type": "Feature",
        "geometry": geometry if geometry is not None else unit.boundary,
        "properties": {"id": unit.pk, "name": unit.name, "code": unit.code, "role": role},
    }


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request):
    scope = scope_for(request.user)
    if not scope.may_anywhere(Action.MANAGE_GRID):
        raise PermissionDenied(_("Only grid leaders and dispatchers of a county or township may import."))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request,
            lambda: services.import_job_create(
                by=request.user, dataset=form.cleaned_data["dataset"], upload=form.cleaned_data["file"]
            ),
            success_message=None,  # no message: the job's page shows how it goes
            redirect_to=lambda job: reverse("grids:import_job", args=[job.pk]),
            form=form,
        )
        if response is not None:
            return response
    jobs = ImportJob.objects.filter(created_by=request.user)[:10]
    return render(request, "grids/import_upload.html", {"form": form, "jobs": jobs})


@require_GET
@login_required
def import_job_detail(request, pk: int):
    job = get_object_or_404(import_jobs_for(request.user), pk=pk)
    return render(request, "grids/import_job.html", {"job": job})


@require_GET
@login_required
def import_template(request, dataset: str, fmt: str):
    _check_dataset(dataset, fmt)
    data = importing.write_table(dataset, importing.TEMPLATE_EXAMPLES[dataset], fmt)
    name = {"units": "网格导入模板", "people": "人员导入模板"}[dataset]
    return _download(data, fmt, name)


@require_GET
@login_required
def export(request, dataset: str, fmt: str):
    _check_dataset(dataset, fmt)
    scope = scope_for(request.user)
    if dataset == "units":
        units = scope.units().annotate(parent_code=F("parent__code")).order_by("tree_id", "lft")
        rows = importing.unit_rows(units.iterator(chunk_size=2000))
    else:
        memberships = (
            scope.filter(Membership.objects.active(), "unit")
            .select_related("user", "user__department", "unit")
            .order_by("unit__tree_id", "unit__lft", "role", "user__real_name")
        )
        rows = importing.people_rows(memberships.iterator(chunk_size=2000))
    data = importing.write_table(dataset, rows, fmt)
    name = {"units": "网格", "people": "人员"}[dataset] + timezone.localdate().strftime("%Y%m%d")
    return _download(data, fmt, name)


def _check_dataset(dataset: str, fmt: str) -> None:
    if dataset not in importing.COLUMNS or fmt not in CONTENT_TYPES:
        raise Http404(_("No such file."))


def _download(data: bytes, fmt: str, name: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{fmt}"
    return response


UNIT_CHOICES_MAX_PAGE = 500
UNIT_CHOICES_MAX_QUERY = 100


@require_GET
@login_required
def unit_choices(request):
    """The unit chooser's options as JSON: units in scope matching ``q`` (name or code), or the
    children of ``parent`` (404 when the parent is not seen), ``page`` by ``page`` (20 each).
    ``{"results": [{"id", "text", "name", "code", "level", "children"}], "more": bool}``."""
    parent = None
    if request.GET.get("parent"):
        parent = get_unit_for_user(request.user, request.GET["parent"])
    try:
        page = min(max(int(request.GET.get("page", 1)), 1), UNIT_CHOICES_MAX_PAGE)
    except ValueError:
        page = 1
    found = selectors.unit_choices(
        request.user, query=request.GET.get("q", "")[:UNIT_CHOICES_MAX_QUERY], parent=parent, page=page
    )
    results = [
        {
            "id": unit.pk,
            "text": selectors.unit_choice_label(unit),
            "name": unit.name,
            "code": unit.code,
            "level": unit.level,
            "children": unit.rght - unit.lft > 1,
        }
        for unit in found.units
    ]
    return JsonResponse({"results": results, "more": found.more}, json_dumps_params={"ensure_ascii": False})
