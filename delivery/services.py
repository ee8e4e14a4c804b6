"""Delivery between tiers: one unit sends a document to others (up to its parent now; down to its
children and across to county departments for warnings and plan filings). Each recipient sees
it in its inbox, reads it and receipts it (签收); its people get an e-mail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import enqueue, enqueue_email
from delivery.models import Delivery, Document
from delivery.permissions import DeliveryAction
from grids.models import Department, GridUnit, Membership, User
from grids.scope import is_administrator, scope_for


def send_documents(
    items: Iterable[tuple[Document, Iterable[GridUnit], Iterable[Department]]],
) -> list[Document]:
    """Save many documents with their recipients in a constant number of queries; the e-mail job
    is written to the outbox in the same transaction and runs once it commits (or, if the broker
    is down then, when the outbox sweep finds it)."""
    items = [(doc, list(units), list(departments)) for doc, units, departments in items]
    if not items:
        return []
    with transaction.atomic():
        documents = Document.objects.bulk_create([doc for doc, _u, _d in items])
        deliveries = []
        for document, units, departments in items:
            deliveries += [Delivery(document=document, recipient_unit=unit) for unit in units]
            deliveries += [Delivery(document=document, recipient_department=dept) for dept in departments]
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        # Written with the deliveries, published after the commit, swept if the broker was down.
        enqueue("delivery.tasks.email_deliveries", [document.pk for document in documents])
    return documents


def send_document(
    *,
    sender_unit: GridUnit,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    by: User | None = None,
    to_units: Iterable[GridUnit] = (),
    to_departments: Iterable[Department] = (),
) -> Document:
    document = Document(sender_unit=sender_unit, kind=kind, title=title, body=body, url=url, sent_by=by)
    return send_documents([(document, to_units, to_departments)])[0]


def email_deliveries(*, document_ids: list[int]) -> int:
    """E-mail the people of each recipient unit (and department staff) once per delivery.
    Each delivery is claimed with a conditional update, so a retried job sends nothing twice; the
    e-mails are written to the outbox with the claim, and sent (and retried while the mail server
    refuses them) by the worker. Returns the number of e-mails queued."""
    with transaction.atomic():
        return _email_deliveries(document_ids)


def _email_deliveries(document_ids: list[int]) -> int:
    pending = list(
        Delivery.objects.filter(document_id__in=document_ids, emailed=False).select_related(
            "document", "document__sender_unit"
        )
    )
    claimed = Delivery.objects.filter(pk__in=[d.pk for d in pending], emailed=False).update(emailed=True)
    if not claimed:
        return 0
    unit_ids = {d.recipient_unit_id for d in pending if d.recipient_unit_id}
    department_ids = {d.recipient_department_id for d in pending if d.recipient_department_id}
    emails: dict[tuple[str, int], set[str]] = defaultdict(set)
    for unit_id, email in (
        Membership.objects.active()
        .filter(unit_id__in=unit_ids)
        .exclude(user__email="")
        .values_list("unit_id", "user__email")
    ):
        emails[("unit", unit_id)].add(email)
    for department_id, email in (
        User.objects.filter(department_id__in=department_ids, is_active=True)
        .exclude(email="")
        .values_list("department_id", "email")
    ):
        emails[("department", department_id)].add(email)
    messages = []
    for delivery in pending:
        key = (
            ("unit", delivery.recipient_unit_id)
            if delivery.recipient_unit_id
            else ("department", delivery.recipient_department_id)
        )
        if not emails[key]:
            continue
        document = delivery.document
        body = "\n\n".join(
            part for part in (document.body, _("Open it in 应急网格: %(url)s") % {"url": document.url}) if part
        )
        subject = f"[{document.sender_unit.name}] {document.title}"
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, sorted(emails[key])))
    enqueue_email(messages)
    return len(messages)


# --- inbox ----------------------------------------------------------------------------------------


def inbox_for(user: User) -> QuerySet[Delivery]:
    """Deliveries to the units where the person holds a role themselves, and to their department."""
    scope = scope_for(user)
    condition = Q(recipient_unit_id__in=scope.own_unit_ids())
    if user.department_id:
        condition |= scope.department_q("recipient_department")
    return scope.filter_q(Delivery.objects.all(), condition).select_related(
        "document", "document__sender_unit", "recipient_unit", "recipient_department", "receipted_by"
    )


def is_recipient(user: User, delivery: Delivery) -> bool:
    """Is the person one of the recipient's own people: a role in the recipient unit itself (not
    above it), or staff of the recipient department? Being a superuser does not make one."""
    scope = scope_for(user)
    if delivery.recipient_unit_id:
        return not is_administrator(user) and scope.can_here(DeliveryAction.RECEIPT, delivery.recipient_unit)
    return scope.member_of_department(delivery.recipient_department_id)


def may_act_on(user: User, delivery: Delivery) -> bool:
    """Read, receipt or answer a delivery: its recipient's own people (``is_recipient``) or a superuser."""
    return is_administrator(user) or is_recipient(user, delivery)


@transaction.atomic
def delivery_read(*, delivery: Delivery, by: User) -> Delivery:
    """The first opening by one of the recipient's own people marks it read. An administrator
    (or anyone else allowed to open it) reading it leaves it as it was: the recipient's unread
    badge is theirs."""
    if not may_act_on(by, delivery):
        raise PermissionDenied(_("This document was not sent to your unit."))
    if not is_recipient(by, delivery):
        return delivery
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.DELIVERED).update(
        state=Delivery.State.READ, read_at=timezone.now(), read_by=by
    )
    delivery.refresh_from_db()
    return delivery


@transaction.atomic
def delivery_receipt(*, delivery: Delivery, by: User) -> Delivery:
    """Receipt (签收) a delivery: once; a second receipt changes nothing."""
    if not may_act_on(by, delivery):
        raise PermissionDenied(_("This document was not sent to your unit."))
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(read_at=now, read_by=by)
    Delivery.objects.filter(pk=delivery.pk).exclude(state=Delivery.State.RECEIPTED).update(
        state=Delivery.State.RECEIPTED, receipted_at=now, receipted_by=by
    )
    delivery.refresh_from_db()
    return delivery
