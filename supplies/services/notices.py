"""The daily flags (``supplies.tasks.flag_supplies_due``): maintenance due within
``SUPPLIES_MAINTENANCE_WARN_DAYS`` or overdue, lots expiring within ``SUPPLIES_EXPIRY_WARN_DAYS``,
agreement reserves lapsing within the same window or lapsed — each told once to the owner unit as a
delivery. A ``SupplyNotice`` keyed by what it is about is inserted first (a second run or a
concurrent one inserts nothing), then claimed with a conditional update before it is sent. A
constant number of queries."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.texts import ref
from delivery.models import Document
from delivery.services import send_documents
from supplies.models import AgreementReserve, Lot, SupplyNotice


def _titled(title: dict) -> dict:
    """A notice's title: the stored Chinese text and its ref (supplies/texts.py)."""
    return {"title": title["text"][:200], "texts": {"title": title}}


def due_notices(today: datetime.date) -> list[SupplyNotice]:
    """The notices owed today (three queries)."""
    notices = []
    soon = today + datetime.timedelta(days=settings.SUPPLIES_MAINTENANCE_WARN_DAYS)
    lots = Lot.objects.filter(quantity__gt=0, depot__is_active=True).select_related("item", "depot")
    for lot in lots.filter(next_maintenance_due__lte=soon, item__needs_maintenance=True):
        due = lot.next_maintenance_due
        overdue = due < today
        words = {"item": lot.item.name, "depot": lot.depot.name, "date": due.isoformat()}
        notices.append(
            SupplyNotice(
                key=f"maint-{'overdue' if overdue else 'due'}-{lot.pk}-{due.isoformat()}",
                unit_id=lot.depot.unit_id,
                **_titled(ref("supplies.maintenance_overdue" if overdue else "supplies.maintenance_due", **words)),
                url=reverse("supplies:maintenance"),
            )
        )  # fmt: skip
    horizon = today + datetime.timedelta(days=settings.SUPPLIES_EXPIRY_WARN_DAYS)
    for lot in lots.filter(expiry_date__gte=today, expiry_date__lte=horizon):
        notices.append(
            SupplyNotice(
                key=f"expiring-{lot.pk}-{lot.expiry_date.isoformat()}",
                unit_id=lot.depot.unit_id,
                **_titled(
                    ref(
                        "supplies.expiring",
                        date=lot.expiry_date.isoformat(),
                        item=lot.item.name,
                        n=str(lot.quantity),
                        depot=lot.depot.name,
                    )
                ),
                url=reverse("supplies:depot_detail", args=[lot.depot_id]),
            )
        )
    agreements = AgreementReserve.objects.filter(is_active=True, valid_until__lte=horizon)
    for agreement in agreements:
        lapsed = agreement.valid_until < today
        words = {"supplier": agreement.supplier, "no": agreement.contract_no, "date": agreement.valid_until.isoformat()}
        notices.append(
            SupplyNotice(
                key=f"agreement-{'lapsed' if lapsed else 'lapsing'}-{agreement.pk}-{agreement.valid_until.isoformat()}",
                unit_id=agreement.unit_id,
                **_titled(ref("supplies.agreement_lapsed" if lapsed else "supplies.agreement_lapsing", **words)),
                url=reverse("supplies:agreement_detail", args=[agreement.pk]),
            )
        )  # fmt: skip
    return notices


def flag_due(*, today: datetime.date | None = None) -> int:
    """Insert today's notices (existing keys are skipped), claim the unsent ones and send them as
    deliveries to their units. Returns how many were sent."""
    today = today or timezone.localdate()
    SupplyNotice.objects.bulk_create(due_notices(today), ignore_conflicts=True)
    with transaction.atomic():
        claimed = list(
            SupplyNotice.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(sent_at__isnull=True)
            .select_related("unit")
        )
        sent = SupplyNotice.objects.filter(pk__in=[n.pk for n in claimed], sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
        send_documents(
            [
                (
                    Document(
                        sender_unit=n.unit,
                        kind=Document.Kind.NOTICE,
                        title=n.title[:200],
                        url=n.url,
                        texts={"title": n.texts["title"]} if "title" in (n.texts or {}) else {},
                    ),
                    [n.unit],
                    [],
                )
                for n in claimed
            ]
        )
    return sent
