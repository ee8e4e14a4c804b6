"""Pages about many hazards: the register list and its Excel export, the risk map and its data,
the statistics table (网格隐患统计表) and its export, the dashboard, the department copies, and the
two printable forms (网格隐患报告单, 整改督办单).

Thin: each parses the shared filters (hazards.filters), asks a scoped selector
(hazards.selectors) or the access helper (hazards.access.get_hazard_for_user), and renders.
A unit filter pointing outside the person's grids is answered 404, like any unseen unit."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from core.charts import chart, series
from core.registry import map_layers
from core.views import PagesById, query_without
from grids import limits
from grids.scope import scope_for
from grids.spreadsheets import append_row, scope_export_name, start_table, xlsx_response
from hazards import selectors
from hazards.access import get_hazard_for_user
from hazards.filters import active_filter_count, parse_filters
from hazards.models import HazardPhoto, RiskLevel, State

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_MAX_ROWS = 200_000  # settings.HAZARDS_EXPORT_MAX_ROWS overrides


def _filters(request):
    filterset, values = parse_filters(request)
    if filterset.is_bound and "unit" in filterset.form.errors:
        raise Http404(_("No such grid unit."))
    return filterset, values


# --- the register list --------------------------------------------------------------------------


@require_GET
@login_required
def register(request):
    filterset, values = _filters(request)
    hazards = selectors.hazard_list(request.user, values).only(*selectors.LIST_ROW_FIELDS)
    # The total from the roll-ups when they can say (the list does not count the register's rows).
    rows = PagesById(hazards, count=selectors.hazard_count(request.user, values))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "hazards/list.html",
        {
            "filterset": filterset,
            "active_filters": active_filter_count(values),
            "page_obj": page,
            "hazards": page.object_list,
            "query": query_without(request, "page"),
        },
    )


@require_GET
@login_required
def export(request):
    """The filtered list as an Excel file, streamed row by row (write-only workbook, iterator)."""
    from openpyxl import Workbook

    _filterset, values = _filters(request)
    limit = int(getattr(settings, "HAZARDS_EXPORT_MAX_ROWS", EXPORT_MAX_ROWS))
    hazards = selectors.hazard_list(request.user, values).select_related("reporter")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Hazards"))
    start_table(
        sheet,
        [
            _("Number"),
            _("Title"),
            _("Grid unit"),
            _("Owning tier"),
            _("Family"),
            _("Category"),
            _("Grade"),
            _("Risk level"),
            _("State"),
            _("Found at"),
            _("Reporter"),
            _("Place"),
            _("Longitude"),
            _("Latitude"),
            _("Rectification deadline"),
            _("Overdue since"),
            _("Under listed supervision"),
            _("Supervising department"),
            _("Closed at"),
        ],
    )
    for written, hazard in enumerate(hazards.iterator(chunk_size=2000)):
        if written >= limit:
            append_row(
                sheet, [_("Only the first %(count)s hazards were exported; narrow the filters.") % {"count": limit}]
            )
            break
        append_row(
            sheet,
            [
                hazard.number,
                hazard.title,
                hazard.unit.name,
                hazard.owner_unit.name,
                hazard.get_family_display(),
                hazard.category.display_name,
                hazard.get_grade_display(),
                hazard.get_risk_level_display() if hazard.risk_level else "",
                hazard.get_state_display(),
                _naive(hazard.found_at),
                hazard.reporter.display_name,
                hazard.address,
                hazard.lng,
                hazard.lat,
                hazard.deadline,
                hazard.overdue_since,
                _("Yes") if hazard.supervised else "",
                str(hazard.supervising_department or ""),
                _naive(hazard.closed_at),
            ],
        )
    return _xlsx(workbook, scope_export_name(request.user, _("Hazard register"), timezone.localdate()))


def _naive(value: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _xlsx(workbook, filename: str) -> HttpResponse:
    return xlsx_response(workbook, filename)


# --- the risk map -------------------------------------------------------------------------------


@require_GET
@login_required
def risk_map(request):
    filterset, values = _filters(request)
    center = settings.LEAFLET_CONFIG.get("DEFAULT_CENTER", (24.35, 106.56))
    config = {
        "dataUrl": reverse("hazards:map_data"),
        "detailUrl": reverse("hazards:detail", args=[0]),
        "tileUrl": settings.MAP_TILE_URL,
        "center": list(center),
        "zoom": settings.LEAFLET_CONFIG.get("DEFAULT_ZOOM", selectors.DEFAULT_MAP_ZOOM),
        "levels": {str(value): str(label) for value, label in RiskLevel.choices},
        "states": {value: str(label) for value, label in State.choices},
        "text": {
            "ungraded": _("Not graded"),
            "overdue": _("Overdue"),
            "points": _("%(count)s hazards on the map"),
            "clusters": _("%(count)s hazards in %(groups)s groups; zoom in to see each one"),
            "error": _("The map data could not be loaded. Check the connection and try again."),
            "open": _("Open the hazard"),
        },
    }
    return render(
        request,
        "hazards/map.html",
        {
            "filterset": filterset,
            "active_filters": active_filter_count(values),
            "boundaries": selectors.map_boundaries(request.user, values),
            "layers": map_layers(request.user),  # overlays registered by higher apps (plans: zones, shelters)
            "config": config,
            "query": query_without(request, "page", "bbox", "zoom"),
            "levels": [
                (value, label, colour)
                for (value, label), colour in zip(RiskLevel.choices, ("red", "orange", "yellow", "blue"), strict=True)
            ],
        },
    )


@require_GET
@login_required
def map_data(request):
    """JSON for the risk map: points, or buckets when more than the point limit match."""
    _filterset, values = _filters(request)
    bbox = None
    if request.GET.get("bbox"):
        try:
            west, south, east, north = (float(part) for part in request.GET["bbox"].split(","))
        except ValueError:
            return JsonResponse({"error": _("bbox must be west,south,east,north in degrees.")}, status=400)
        if not limits.is_bbox(west, south, east, north):
            return JsonResponse({"error": _("bbox must be west,south,east,north in degrees.")}, status=400)
        bbox = (west, south, east, north)
    zoom = None
    if request.GET.get("zoom"):
        try:
            zoom = int(request.GET["zoom"])
        except ValueError:
            return JsonResponse({"error": _("zoom must be a whole number.")}, status=400)
    return JsonResponse(selectors.map_points(request.user, values, bbox=bbox, zoom=zoom))


# --- the statistics table -----------------------------------------------------------------------

COLUMN_CHOICES = (
    (selectors.COLUMNS_CATEGORY, gettext_lazy("By category")),
    (selectors.COLUMNS_FAMILY, gettext_lazy("By family")),
)
MEASURE_CHOICES = (
    (selectors.MEASURES_SUMMARY, gettext_lazy("Open, overdue, closed")),
    (selectors.MEASURES_STATE, gettext_lazy("Every state")),
)


def _table(request):
    filterset, values = _filters(request)
    columns = request.GET.get("columns") or selectors.COLUMNS_CATEGORY
    measures = request.GET.get("measures") or selectors.MEASURES_SUMMARY
    if columns not in dict(COLUMN_CHOICES) or measures not in dict(MEASURE_CHOICES):
        raise Http404(_("No such table layout."))
    table = selectors.statistics_table(request.user, values, columns=columns, measures=measures)
    return filterset, values, table, columns, measures


@require_GET
@login_required
def statistics(request):
    filterset, values, table, columns, measures = _table(request)
    return render(
        request,
        "hazards/statistics.html",
        {
            "filterset": filterset,
            "active_filters": active_filter_count(values),
            "table": table,
            "grid": table.grid(),
            "columns": columns,
            "measures": measures,
            "extra_fields": [
                ("columns", columns, list(COLUMN_CHOICES), _("Columns")),
                ("measures", measures, list(MEASURE_CHOICES), _("Figures")),
            ],
            "root_filtered": values.get("unit") is not None,
            "query": query_without(request, "page"),
            "drill_query": query_without(request, "page", "unit"),
            "today": timezone.localdate(),
            "chart": _statistics_chart(table),
        },
    )


def _statistics_chart(table) -> dict | None:
    """The table's row totals (first measure group) as bars per unit; none for a single row."""
    rows = table.grid()[:-1]  # without the totals row
    if len(rows) < 2 or not table.measures:
        return None
    colours = ("reported", "closed", "orange", "red", "grey", "yellow", "blue", "green")
    return chart(
        title=_("Grid hazard statistics"),
        categories=[_row_label(row, table) for row, _figures in rows],
        data=[
            series(label, [figures[index] for _row, figures in rows], colour=colours[index])
            for index, (_measure, label) in enumerate(table.measures)
        ],
        horizontal=True,
    )


@require_GET
@login_required
def statistics_export(request):
    """The same table as an Excel sheet, with merged group headers and the totals row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    _filterset, _values, table, _columns, _measures = _table(request)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Grid hazard statistics")[:31]
    roots = "、".join(root.name for root in table.roots)
    append_row(sheet, [_("Grid hazard statistics table") + (f" — {roots}" if roots else "")])
    append_row(sheet, [_("As of %(date)s") % {"date": timezone.localdate().isoformat()}])
    groups = [_("Total"), *[c.label for c in table.columns]]
    width = len(table.measures)
    header, sub = [_("Grid unit")], [""]
    for label in groups:
        header += [label] + [""] * (width - 1)
        sub += [m_label for _m, m_label in table.measures]
    append_row(sheet, header)
    append_row(sheet, sub)
    for index in range(len(groups)):
        start = 2 + index * width
        if width > 1:
            sheet.merge_cells(start_row=3, start_column=start, end_row=3, end_column=start + width - 1)
    sheet.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    for row, figures in table.grid():
        label = _row_label(row, table)
        append_row(sheet, [label, *figures])
    bold = Font(bold=True)
    for cell in (*sheet[1], *sheet[3], *sheet[4], *sheet[sheet.max_row]):
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.column_dimensions["A"].width = 24
    return _xlsx(workbook, scope_export_name(request.user, _("Hazard statistics"), timezone.localdate()))


def _row_label(row, table) -> str:
    if row is table.totals:
        return _("Total")
    if row.unit is None:
        return _("At the unit itself")
    return row.label


# --- dashboard ----------------------------------------------------------------------------------


@require_GET
@login_required
def dashboard(request):
    figures = selectors.dashboard_figures(request.user)
    trend = selectors.monthly_trend(request.user, months=12)
    levels = [
        ("red", RiskLevel.RED.label, figures["open_red"]),
        ("orange", RiskLevel.ORANGE.label, figures["open_orange"]),
        ("yellow", RiskLevel.YELLOW.label, figures["open_yellow"]),
        ("blue", RiskLevel.BLUE.label, figures["open_blue"]),
        ("none", _("Not graded"), figures["open_ungraded"]),
    ]
    peak = max([1, *(count for _c, _l, count in levels)])
    return render(
        request,
        "hazards/dashboard.html",
        {
            "figures": figures,
            "levels": [(colour, label, count, round(100 * count / peak)) for colour, label, count in levels],
            "trend": trend,
            "chart": chart(
                title=_("Hazards reported and closed per month"),
                categories=[f"{m['month']:%Y-%m}" for m in trend],
                data=[
                    series(_("Reported"), [m["reported"] for m in trend], colour="reported"),
                    series(_("Closed"), [m["closed"] for m in trend], colour="closed"),
                ],
            ),
            "is_department": scope_for(request.user).serves_any_department(),
        },
    )


# --- department copies (抄告) ---------------------------------------------------------------------


@require_GET
@login_required
def copies(request):
    if not scope_for(request.user).serves_any_department():
        raise PermissionDenied(_("Only the staff of a county department have hazards copied to them."))
    page = Paginator(selectors.department_copies(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hazards/copies.html", {"page_obj": page, "copies": page.object_list})


# --- printable forms ----------------------------------------------------------------------------


@require_GET
@login_required
def print_report_form(request, pk: int):
    """网格隐患报告单: the hazard report form, on one A4 page."""
    hazard = get_hazard_for_user(request.user, pk)
    photos = [p for p in hazard.photos.all() if p.kind == HazardPhoto.Kind.REPORT][:4]
    return render(
        request,
        "hazards/print_report_form.html",
        {"hazard": hazard, "photos": photos, "printed_at": timezone.localtime()},
    )


@require_GET
@login_required
def print_supervision_order(request, pk: int):
    """整改督办单: the supervision order of a hazard under listed supervision."""
    hazard = get_hazard_for_user(request.user, pk)
    if not hazard.supervised:
        return render(
            request, "hazards/print_supervision_order.html", {"hazard": hazard, "not_supervised": True}, status=404
        )
    return render(
        request,
        "hazards/print_supervision_order.html",
        {"hazard": hazard, "printed_at": timezone.localtime(), "county": hazard.owner_unit},
    )
