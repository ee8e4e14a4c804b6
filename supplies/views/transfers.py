"""The transfer pages (调拨): list on both sides, request or order, the steps, the printable 调拨单."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.views import run_service
from supplies import access, services
from supplies.forms import ApproveForm, OrderForm, ReceiveTransferForm, RejectForm, RequestForm
from supplies.models import Transfer

PAGE = 30


@require_GET
@login_required
def transfer_list(request):
    transfers = access.visible_transfers(request.user).select_related("source_unit", "to_unit", "source_depot")
    page = Paginator(transfers, PAGE).get_page(request.GET.get("page"))
    awaiting = set(access.transfers_awaiting(request.user).values_list("pk", flat=True))
    return render(
        request,
        "supplies/transfer_list.html",
        {
            "page_obj": page,
            "awaiting": awaiting,
            "may_request": access.request_units(request.user).exists(),
            "may_order": access.order_depots(request.user).exists(),
        },
    )


def _create(request, form_class, template_title, call):
    form = form_class(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        answer = run_service(
            request,
            lambda: call(form),
            success_message=lambda t: _("Transfer %(number)s sent.") % {"number": t.number},
            redirect_to=lambda t: reverse("supplies:transfer_detail", args=[t.pk]),
            form=form,
        )
        if answer is not None:
            return answer
    return render(
        request,
        "supplies/transfer_form.html",
        {"form": form, "title": template_title},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def transfer_create(request):
    """A request for supplies from one's own unit to a unit above it."""
    if not access.request_units(request.user).exists():
        raise PermissionDenied(_("Only a unit's own people may ask for supplies for it."))
    return _create(
        request,
        RequestForm,
        _("Request supplies"),
        lambda form: services.transfer_request(
            by=request.user,
            to_unit=form.cleaned_data["to_unit"],
            source_unit=form.cleaned_data["source_unit"],
            lines=form.lines(),
            urgency=form.cleaned_data["urgency"],
            reason=form.cleaned_data["reason"],
        ),
    )


@require_http_methods(["GET", "POST"])
@login_required
def transfer_order(request):
    """An order from above: send supplies from one's own depot to a unit below."""
    if not access.order_depots(request.user).exists():
        raise PermissionDenied(_("Only the source unit's leaders and dispatchers may order a transfer."))
    return _create(
        request,
        OrderForm,
        _("Order a transfer"),
        lambda form: services.transfer_order(
            by=request.user,
            source_depot=form.cleaned_data["source_depot"],
            to_unit=form.cleaned_data["to_unit"],
            lines=form.lines(),
            urgency=form.cleaned_data["urgency"],
            reason=form.cleaned_data["reason"],
        ),
    )


def _lines(transfer):
    return list(transfer.lines.select_related("item"))


@require_GET
@login_required
def transfer_detail(request, pk: int):
    transfer = access.get_transfer_for_user(request.user, pk)
    lines = _lines(transfer)
    user = request.user
    state = Transfer.State
    context = {"transfer": transfer, "lines": lines}
    if transfer.state == state.REQUESTED and access.may_approve(user, transfer):
        context["approve_form"] = ApproveForm(transfer=transfer)
        context["reject_form"] = RejectForm()
    if transfer.state == state.APPROVED and access.may_move(user, transfer.source_depot):
        context["may_dispatch"] = True
    if transfer.state == state.DISPATCHED and access.may_request(user, transfer.to_unit):
        context["receive_form"] = ReceiveTransferForm(transfer=transfer, lines=lines)
    return render(request, "supplies/transfer_detail.html", context)


@require_POST
@login_required
def transfer_act(request, pk: int, action: str):
    """One step of the transfer; the service checks the state and the right (403 / a message)."""
    transfer = access.get_transfer_for_user(request.user, pk)
    back = reverse("supplies:transfer_detail", args=[transfer.pk])
    user = request.user
    if action == "approve":
        form = ApproveForm(request.POST, transfer=transfer)
        call = lambda: services.transfer_approve(  # noqa: E731
            transfer=transfer, by=user, source_depot=form.cleaned_data["source_depot"], note=form.cleaned_data["note"]
        )
        done = _("Approved; the asking unit is told.")
    elif action == "reject":
        form = RejectForm(request.POST)
        call = lambda: services.transfer_reject(transfer=transfer, by=user, note=form.cleaned_data["note"])  # noqa: E731
        done = _("Refused; the asking unit is told.")
    elif action == "dispatch":
        form = None
        call = lambda: services.transfer_dispatch(transfer=transfer, by=user)  # noqa: E731
        done = _("Dispatched: the supplies are in transit.")
    elif action == "receive":
        form = ReceiveTransferForm(request.POST, transfer=transfer, lines=_lines(transfer))
        call = lambda: services.transfer_receive(  # noqa: E731
            transfer=transfer,
            by=user,
            to_depot=form.cleaned_data["to_depot"],
            received=form.counts(),
            differences=form.cleaned_data["differences"],
        )
        done = _("Signed for; the stock is in your depot.")
    else:
        raise Http404(_("No such action."))
    if form is not None and not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    return run_service(request, call, success_message=done, redirect_to=back)


@require_GET
@login_required
def transfer_print(request, pk: int):
    """调拨单: printable."""
    transfer = access.get_transfer_for_user(request.user, pk)
    return render(request, "supplies/transfer_print.html", {"transfer": transfer, "lines": _lines(transfer)})
