"""The stock pages: thin — fetch through ``supplies.access``, parse with a form, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.charts import chart, series
from core.views import run_service
from grids.spreadsheets import append_row, scope_export_name, start_table, xlsx_response
from supplies import access, selectors, services
from supplies.forms import AdjustForm, DisposeForm, IssueForm, ReceiveForm

LEDGER_PAGE = 50


@require_GET
@login_required
def depot_list(request):
    return render(request, "supplies/depot_list.html", {"depots": selectors.depot_list(request.user)})


@require_GET
@login_required
def depot_detail(request, pk: int):
    depot = access.get_depot_for_user(request.user, pk)
    ledger = Paginator(selectors.depot_ledger(depot), LEDGER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "supplies/depot_detail.html",
        {
            "depot": depot,
            "lots": selectors.depot_lots(depot),
            "findings": selectors.drill_equipment_findings(request.user, depot),
            "ledger": ledger,
            "may_move": access.may_move(request.user, depot),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def receive(request, pk: int):
    depot = access.get_depot_for_user(request.user, pk, move=True)
    form = ReceiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = run_service(
            request,
            lambda: services.stock_receive(
                depot=depot,
                item=data["item"],
                quantity=data["quantity"],
                by=request.user,
                source=data["source"],
                production_date=data["production_date"],
                expiry_date=data["expiry_date"],
                storage_place=data["storage_place"],
                reason=data["reason"],
                document_no=data["document_no"],
            ),
            success_message=_("Received into the depot."),
            redirect_to=reverse("supplies:depot_detail", args=[depot.pk]),
            form=form,
        )
        if answer is not None:
            return answer
    status = 400 if form.errors else 200
    return render(request, "supplies/receive.html", {"depot": depot, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def issue(request, pk: int):
    lot = access.get_lot_for_user(request.user, pk, move=True)
    form = IssueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = run_service(
            request,
            lambda: services.stock_issue(
                lot=lot,
                quantity=data["quantity"],
                by=request.user,
                incident=data["incident"],
                to_unit=data["to_unit"],
                recipient=data["recipient"],
                reason=data["reason"],
                document_no=data["document_no"],
            ),
            success_message=_("Issued; the ledger has its row."),
            redirect_to=reverse("supplies:depot_detail", args=[lot.depot_id]),
            form=form,
        )
        if answer is not None:
            return answer
    refusal = services.usable_refusal(lot, timezone.localdate())
    suggestion = services.fefo(lot.depot, lot.item, 1)
    context = {
        "lot": lot,
        "form": form,
        "refusal": refusal,
        "suggested": suggestion[0][0] if suggestion else None,
    }
    return render(request, "supplies/issue.html", context, status=400 if form.errors else 200)


LOT_ACTIONS = {"dispose": DisposeForm, "adjust": AdjustForm}


@require_POST
@login_required
def lot_act(request, pk: int, action: str):
    """Dispose of, adjust, or put under / take out of maintenance one lot (a form on the depot page)."""
    lot = access.get_lot_for_user(request.user, pk, move=True)
    back = reverse("supplies:depot_detail", args=[lot.depot_id])
    if action in ("maintenance", "maintained"):
        return run_service(
            request,
            lambda: services.lot_set_maintenance(lot=lot, under_maintenance=action == "maintenance", by=request.user),
            success_message=_("The lot's maintenance state is recorded."),
            redirect_to=back,
        )
    if action not in LOT_ACTIONS:
        raise Http404(_("No such action."))
    form = LOT_ACTIONS[action](request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    data = form.cleaned_data
    if action == "dispose":
        call = lambda: services.stock_dispose(  # noqa: E731
            lot=lot, quantity=data["quantity"], by=request.user, reason=data["reason"], document_no=data["document_no"]
        )
    else:
        call = lambda: services.stock_adjust(  # noqa: E731
            lot=lot, counted=data["counted"], by=request.user, reason=data["reason"], document_no=data["document_no"]
        )
    return run_service(request, call, success_message=_("Recorded in the ledger."), redirect_to=back)


@require_GET
@login_required
def movement_print(request, pk: int):
    """出入库单: one ledger row, printable."""
    movement = access.get_movement_for_user(request.user, pk)
    return render(request, "supplies/movement_print.html", {"m": movement})


STOCK_COLUMNS = [
    gettext_lazy("Depot"), gettext_lazy("Owner unit"), gettext_lazy("Item code"), gettext_lazy("Item"),
    gettext_lazy("Specification"), gettext_lazy("Unit of measure"), gettext_lazy("Quantity"),
    gettext_lazy("Production date"), gettext_lazy("Expiry date"), gettext_lazy("Source"),
    gettext_lazy("Storage place"), gettext_lazy("Under maintenance"),
]  # fmt: skip
LEDGER_COLUMNS = [
    gettext_lazy("Time"), gettext_lazy("Depot"), gettext_lazy("Item"), gettext_lazy("Movement"),
    gettext_lazy("Quantity change"), gettext_lazy("Lot balance"), gettext_lazy("By"), gettext_lazy("Issued to"),
    gettext_lazy("Incident"), gettext_lazy("Document number"), gettext_lazy("Reason"),
]  # fmt: skip


@require_GET
@login_required
def export(request):
    """物资台账 as .xlsx: the stock in the depots the person sees, and their ledger (two sheets)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Stock"))
    start_table(sheet, STOCK_COLUMNS)
    yes, no = _("Yes"), _("No")
    for lot in selectors.stock_for(request.user).order_by("depot_id", "item__code", "expiry_date"):
        append_row(
            sheet,
            [
                lot.depot.name, lot.depot.unit.name, lot.item.code, lot.item.name, lot.item.spec,
                lot.item.unit_of_measure, lot.quantity, lot.production_date, lot.expiry_date,
                lot.get_source_display(), lot.storage_place, yes if lot.under_maintenance else no,
            ],
        )  # fmt: skip
    sheet = book.create_sheet(_("Ledger"))
    start_table(sheet, LEDGER_COLUMNS)
    for m in selectors.ledger_for(request.user).order_by("at", "id").iterator(chunk_size=2000):
        append_row(
            sheet,
            [
                timezone.localtime(m.at).replace(tzinfo=None), m.depot.name, m.item.name, m.get_kind_display(),
                m.quantity, m.balance, m.by.display_name, m.to_unit.name if m.to_unit else m.recipient,
                m.incident.title if m.incident else "", m.document_no, m.reason,
            ],
        )  # fmt: skip
    return xlsx_response(book, scope_export_name(request.user, _("Supplies ledger"), timezone.localdate()))


def _tier(request) -> int:
    return 3 if request.GET.get("tier") == "3" else 2


@require_GET
@login_required
def readiness(request):
    tier = _tier(request)
    items, rows = selectors.readiness(request.user, tier=tier)
    return render(
        request,
        "supplies/readiness.html",
        {"items": items, "rows": rows, "tier": tier, "chart": _readiness_chart(items, rows)},
    )


def _readiness_chart(items, rows) -> dict | None:
    """Per item, over the units of the table: the norms, the usable stock counted against each
    unit's norm (a surplus in one unit does not fill another's gap) and the agreement reserves."""
    if not items or not rows:
        return None
    columns = [[row.cells[index] for row in rows] for index in range(len(items))]
    return chart(
        title=_("Readiness against the norms"),
        categories=[item.name for item in items],
        data=[
            series(_("norm"), [sum(c.required for c in cells) for cells in columns], colour="grey"),
            series(_("usable"), [sum(min(c.usable, c.required) for c in cells) for cells in columns], colour="closed"),
            series(_("agreement reserve"), [sum(c.agreement for c in cells) for cells in columns], colour="blue"),
        ],
        horizontal=True,
    )


@require_GET
@login_required
def readiness_export(request):
    from openpyxl import Workbook

    items, rows = selectors.readiness(request.user, tier=_tier(request))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Readiness"))
    header = [_("Unit")]
    norm, usable, agreed, shortfall = _("norm"), _("usable"), _("agreement reserve"), _("shortfall")
    for item in items:
        header += [f"{item.name} {norm}", f"{item.name} {usable}", f"{item.name} {agreed}", f"{item.name} {shortfall}"]
    start_table(sheet, header)
    for row in rows:
        values = [row.unit.name]
        for cell in row.cells:
            values += [cell.required, cell.usable, cell.agreement, cell.shortfall]
        append_row(sheet, values)
    return xlsx_response(book, scope_export_name(request.user, _("Supplies readiness"), timezone.localdate()))
