"""Reads of the inbox, each through the inbox rule of ``delivery.services.inbox_for``."""

from __future__ import annotations

from django.db.models import QuerySet

from delivery import services
from delivery.models import Delivery
from grids.models import User


def inbox(user: User, *, unread_only: bool = False) -> QuerySet[Delivery]:
    """What was delivered to the person's own units and department, newest first."""
    entries = services.inbox_for(user)
    return entries.filter(state=Delivery.State.DELIVERED) if unread_only else entries


def unread_count(user: User) -> int:
    return inbox(user, unread_only=True).count()


def own_delivery(user: User, document_id: int | None) -> Delivery | None:
    """The delivery of ``document_id`` to one of the viewer's own units (or department), if any:
    the 签收 box a register's page shows beside the document it sent."""
    if not document_id:
        return None
    return services.inbox_for(user).filter(document_id=document_id).order_by("pk").first()
