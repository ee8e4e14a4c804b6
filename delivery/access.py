"""Which inbox entries a person may open and act on, built on the delivery services' inbox rule
(``inbox_for``: deliveries to the units where the person holds a role, and to their department)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from core.ids import as_pk
from delivery import services
from delivery.models import Delivery
from delivery.permissions import DeliveryAction
from grids.models import User


def get_delivery_for_user(user: User, pk, *, action: str | None = None) -> Delivery:
    """The inbox entry ``pk``: 404 unless it was delivered to one of the person's own units or to
    their department (``services.inbox_for``); with ``action=DeliveryAction.RECEIPT``, 403 unless
    the person may act on it (``services.may_act_on``)."""
    pk = as_pk(pk)
    delivery = services.inbox_for(user).filter(pk=pk).first() if pk else None
    if delivery is None:
        raise Http404(_("No such document in your inbox."))
    if action == DeliveryAction.RECEIPT and not services.may_act_on(user, delivery):
        raise PermissionDenied(_("This document was not sent to your unit."))
    return delivery
