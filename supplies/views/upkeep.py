"""Pages of agreement reserves, maintenance, stock-take, the nearest usable stock and the readiness
map: thin — fetch through ``supplies.access``, parse with a form, call a service or selector, render."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.views import run_service
from grids.spreadsheets import append_row, export_name, start_table, xlsx_response
from supplies import access, selectors, services
from supplies.forms.upkeep import AgreementForm, DecisionForm, MaintenanceForm, NearestForm, StockTakeUploadForm
from supplies.services.stocktake import COLUMNS, may_decide

MAX_UPLOAD = 5 * 1024 * 1024


# --- agreement reserves ---------------------------------------------------------------------------


@require_GET
@login_required
def agreement_list(request):
    today = timezone.localdate()
    warn = settings.SUPPLIES_EXPIRY_WARN_DAYS
    agreements = [(a, a.state(today, warn)) for a in selectors.agreement_list(request.user)]
    may_add = access.agreement_units(request.user).exists()
    return render(
        request, "supplies/agreement_list.html", {"agreements": agreements, "may_add": may_add, "warn_days": warn}
    )


@require_http_methods(["GET", "POST"])
@login_required
def agreement_create(request):
    if not access.agreement_units(request.user).exists():
        raise PermissionDenied(_("Only the unit's leaders and dispatchers may record its agreement reserves."))
    form = AgreementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = run_service(
            request,
            lambda: services.agreement_create(
                by=request.user,
                unit=data["unit"],
                supplier=data["supplier"],
                contact_name=data["contact_name"],
                phone=data["phone"],
                contract_no=data["contract_no"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                response_hours=data["response_hours"],
                lines=form.lines(),
                method=data["method"],
                reserve_mode=data["reserve_mode"],
                note=data["note"],
            ),  # fmt: skip
            success_message=_("The agreement reserve is recorded."),
            redirect_to=lambda agreement: reverse("supplies:agreement_detail", args=[agreement.pk]),
            form=form,
        )
        if answer is not None:
            return answer
    return render(request, "supplies/agreement_form.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
@login_required
def agreement_detail(request, pk: int):
    agreement = access.get_agreement_for_user(request.user, pk)
    today = timezone.localdate()
    context = {
        "agreement": agreement,
        "state": agreement.state(today, settings.SUPPLIES_EXPIRY_WARN_DAYS),
        "lines": agreement.lines.select_related("item"),
        "may_write": access.may_agree(request.user, agreement.unit),
    }
    return render(request, "supplies/agreement_detail.html", context)


@require_POST
@login_required
def agreement_end(request, pk: int):
    agreement = access.get_agreement_for_user(request.user, pk, write=True)
    return run_service(
        request,
        lambda: services.agreement_end(agreement=agreement, by=request.user),
        success_message=_("The agreement no longer counts."),
        redirect_to=reverse("supplies:agreement_detail", args=[agreement.pk]),
    )


# --- maintenance ----------------------------------------------------------------------------------


@require_GET
@login_required
def maintenance(request):
    rows = selectors.maintenance_due(request.user)
    return render(
        request,
        "supplies/maintenance.html",
        {"rows": rows, "warn_days": settings.SUPPLIES_MAINTENANCE_WARN_DAYS},
    )


@require_http_methods(["GET", "POST"])
@login_required
def maintenance_record(request, pk: int):
    lot = access.get_lot_for_user(request.user, pk, move=True)
    form = MaintenanceForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = run_service(
            request,
            lambda: services.maintenance_record(
                lot=lot,
                by=request.user,
                done_on=data["done_on"],
                kind=data["kind"],
                result=data["result"],
                note=data["note"],
            ),  # fmt: skip
            success_message=_("The maintenance is recorded."),
            redirect_to=reverse("supplies:maintenance"),
            form=form,
        )
        if answer is not None:
            return answer
    records = access.visible_maintenance(request.user).filter(lot=lot).select_related("by")[:20]
    return render(
        request,
        "supplies/maintenance_form.html",
        {"lot": lot, "form": form, "records": records},
        status=400 if form.errors else 200,
    )


# --- stock-take -----------------------------------------------------------------------------------


@require_GET
@login_required
def stocktake_sheet(request, pk: int):
    """The expected counts of a depot as .xlsx, to count with."""
    from openpyxl import Workbook

    depot = access.get_depot_for_user(request.user, pk)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Stock-take"))
    start_table(sheet, COLUMNS)
    for row in services.expected_rows(depot):
        append_row(sheet, row)
    return xlsx_response(book, export_name(_("Stock-take sheet"), depot.name, timezone.localdate()))


@require_http_methods(["GET", "POST"])
@login_required
def stocktake_import(request, pk: int):
    depot = access.get_depot_for_user(request.user, pk, move=True)
    form = StockTakeUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", _("The file is larger than 5 MB."))
        else:
            try:
                result = services.stocktake_import(
                    depot=depot, by=request.user, data=upload.read(), filename=upload.name
                )
            except ValidationError as exc:  # not a workbook: shown with the form
                result = services.ImportResult(errors=exc.messages)
            if result.ok and result.stock_take:
                messages.success(request, _("The count is recorded and awaits approval."))
                return redirect("supplies:stocktake_detail", pk=result.stock_take.pk)
            if result.ok:
                messages.success(request, _("The count agrees with the books; nothing to adjust."))
                return redirect("supplies:depot_detail", pk=depot.pk)
            errors = result.errors
    status = 400 if (form.errors or errors) else 200
    return render(
        request, "supplies/stocktake_import.html", {"depot": depot, "form": form, "errors": errors}, status=status
    )


@require_GET
@login_required
def stocktake_detail(request, pk: int):
    stock_take = access.get_stocktake_for_user(request.user, pk)
    context = {
        "stock_take": stock_take,
        "lines": stock_take.lines.select_related("lot__item"),
        "may_decide": may_decide(request.user, stock_take),
        "form": DecisionForm(),
    }
    return render(request, "supplies/stocktake_detail.html", context)


@require_POST
@login_required
def stocktake_act(request, pk: int, action: str):
    if action not in ("approve", "reject"):
        raise Http404(_("No such action."))
    stock_take = access.get_stocktake_for_user(request.user, pk, write=True)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    service = services.stocktake_approve if action == "approve" else services.stocktake_reject
    return run_service(
        request,
        lambda: service(stock_take=stock_take, by=request.user, note=note),
        success_message=_("Approved: the differences are in the ledger.") if action == "approve" else _("Rejected."),
        redirect_to=reverse("supplies:stocktake_detail", args=[stock_take.pk]),
    )


# --- nearest usable and the readiness map -----------------------------------------------------------


def unit_point(unit) -> tuple[float, float] | None:
    """(lat, lng) of a unit: its location, else the centre of its boundary."""
    location = unit.location or {}
    if location.get("type") == "Point":
        lng, lat = location["coordinates"][:2]
        return float(lat), float(lng)
    if unit.boundary:
        from shapely.geometry import shape

        centre = shape(unit.boundary).representative_point()
        return centre.y, centre.x
    return None


@require_GET
@login_required
def nearest(request):
    form = NearestForm(request.GET or None, user=request.user)
    rows, origin = None, None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        if data.get("lat") is not None:
            origin = (data["lat"], data["lng"])
        elif data.get("unit"):
            origin = unit_point(data["unit"])
            if origin is None:
                form.add_error("unit", _("This unit has no location on the map."))
        else:
            form.add_error(None, _("Choose a unit or give a point."))
        if origin:
            item_ids = [data["item"].pk] if data.get("item") else None
            rows = selectors.nearest_usable(request.user, item_ids=item_ids, lat=origin[0], lng=origin[1], limit=20)
    return render(
        request,
        "supplies/nearest.html",
        {"form": form, "rows": rows, "origin": origin},
        status=400 if form.errors else 200,
    )


@require_GET
@login_required
def readiness_map(request):
    depots = selectors.readiness_map(request.user)
    return render(
        request,
        "supplies/readiness_map.html",
        {"depots": depots, "tile_url": settings.MAP_TILE_URL, "today": datetime.date.isoformat(timezone.localdate())},
    )
