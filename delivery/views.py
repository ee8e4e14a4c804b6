"""The inbox pages: what was delivered to the person's units and department, opening an entry
(marked read for the recipient's own people) and its receipt (签收)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.registry import page_sections
from core.views import query_without
from delivery import access, selectors
from delivery import services as deliveries
from delivery.models import Delivery

PER_PAGE = 30


@require_GET
@login_required
def inbox(request):
    """Documents sent to the person's units (and department), newest first; unread ones bold."""
    show = "unread" if request.GET.get("show") == "unread" else "all"
    entries = selectors.inbox(request.user, unread_only=show == "unread")
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "delivery/inbox.html",
        {
            "page_obj": page,
            "entries": page.object_list,
            "show": show,
            "unread": selectors.unread_count(request.user),
            "query": query_without(request, "page"),
            "State": Delivery.State,
            "extra_sections": page_sections("inbox", request.user, None),  # registered by higher apps (patrols)
        },
    )


@require_GET
@login_required
def delivery_open(request, pk: int):
    """Open an inbox entry: it is marked read, and the reader goes to the document itself."""
    delivery = access.get_delivery_for_user(request.user, pk)
    deliveries.delivery_read(delivery=delivery, by=request.user)
    target = delivery.document.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect("delivery:inbox")
    return HttpResponseRedirect(target)


@require_POST
@login_required
def delivery_receipt(request, pk: int):
    """Receipt (签收) an inbox entry with one tap."""
    delivery = access.get_delivery_for_user(request.user, pk)
    deliveries.delivery_receipt(delivery=delivery, by=request.user)
    messages.success(request, _("Receipted: %(title)s") % {"title": delivery.document.title})
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("delivery:inbox")
