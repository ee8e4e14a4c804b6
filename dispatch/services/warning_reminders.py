"""The periodic job of the warnings: reminders and escalation of unacknowledged deliveries, from the
``AcknowledgementRule`` of each tier. Claimed with conditional updates, so reruns never remind twice."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import transaction
from django.db.models import (
    Q,
    QuerySet,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import enqueue_email
from delivery.models import Delivery, Document
from delivery.services import send_documents
from dispatch.models import (
    AcknowledgementRule,
    Warning,
)
from grids.models import GridUnit, Membership


@dataclass
class ReminderRun:
    reminded: int = 0
    parents_told: int = 0
    notices: int = 0
    emails: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "reminded": self.reminded,
            "parents_told": self.parents_told,
            "notices": self.notices,
            "emails": self.emails,
        }


def _due(rules: list[AcknowledgementRule], attribute: str, now: datetime.datetime) -> Q:
    return reduce(
        or_,
        (
            Q(
                recipient_unit__level=rule.tier - 1,
                document__sent_at__lte=now - datetime.timedelta(minutes=getattr(rule, attribute)),
            )
            for rule in rules
        ),
        Q(pk__in=[]),
    )


def _claim(queryset: QuerySet[Delivery], flag: str, now: datetime.datetime) -> list[int]:
    """Lock the due rows no other run holds, then set ``flag`` only where it is still empty."""
    ids = list(
        queryset.filter(**{f"{flag}__isnull": True})
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", flat=True)
    )
    if not ids:
        return []
    Delivery.objects.filter(pk__in=ids, **{f"{flag}__isnull": True}).update(**{flag: now})
    return ids


def warning_reminders(*, now: datetime.datetime | None = None) -> ReminderRun:
    """For warnings in force: a delivery not acknowledged ``remind_after_minutes`` (of its tier's
    AcknowledgementRule) after it was sent is reminded once (``reminded_at``; its people get an
    e-mail); one not acknowledged ``tell_parent_after_minutes`` after is escalated once
    (``parent_told_at``): each parent unit gets one notice per run listing its children that have
    not acknowledged. Rows are claimed with conditional updates, so concurrent or repeated runs
    never remind twice. A constant number of queries, whatever the number of units."""
    now = now or timezone.now()
    run = ReminderRun()
    rules = list(AcknowledgementRule.objects.all())
    if not rules:
        return run
    current = Warning.objects.filter(state=Warning.State.ACTIVE, document__isnull=False).values("document_id")
    base = Delivery.objects.filter(document_id__in=current, recipient_unit__isnull=False).exclude(
        state=Delivery.State.RECEIPTED
    )
    with transaction.atomic():
        remind_ids = _claim(base.filter(_due(rules, "remind_after_minutes", now)), "reminded_at", now)
        told_ids = _claim(base.filter(_due(rules, "tell_parent_after_minutes", now)), "parent_told_at", now)
        run.reminded, run.parents_told = len(remind_ids), len(told_ids)
        wanted = set(remind_ids) | set(told_ids)
        rows = (
            list(
                Delivery.objects.filter(pk__in=wanted)
                .select_related("document", "document__sender_unit", "recipient_unit")
                .order_by("recipient_unit__code")
            )
            if wanted
            else []
        )
        warnings_by_document = (
            {w.document_id: w for w in Warning.objects.filter(document_id__in={row.document_id for row in rows})}
            if rows
            else {}
        )
        messages = []
        if remind_ids:
            reminded = [row for row in rows if row.pk in set(remind_ids)]
            emails: dict[int, set[str]] = defaultdict(set)
            for unit_id, email in (
                Membership.objects.active()
                .filter(unit_id__in={row.recipient_unit_id for row in reminded})
                .exclude(user__email="")
                .values_list("unit_id", "user__email")
            ):
                emails[unit_id].add(email)
            for row in reminded:
                if emails[row.recipient_unit_id]:
                    subject = _("Reminder: acknowledge the warning “%(title)s”") % {"title": row.document.title}
                    body = _("%(unit)s has not yet acknowledged this warning. Open it and tap Acknowledge: %(url)s") % {
                        "unit": row.recipient_unit.name,
                        "url": row.document.url,
                    }
                    messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, sorted(emails[row.recipient_unit_id])))
        if told_ids:
            told = set(told_ids)
            children: dict[int, list[Delivery]] = defaultdict(list)
            for row in rows:
                if row.pk in told and row.recipient_unit.parent_id:
                    children[row.recipient_unit.parent_id].append(row)
            parents = GridUnit.objects.in_bulk(list(children))
            notices = []
            for parent_id, late in sorted(children.items()):
                parent = parents.get(parent_id)
                if parent is None:
                    continue
                first = warnings_by_document.get(late[0].document_id)
                lines = [
                    _("%(unit)s (%(code)s): %(title)s, sent %(sent)s")
                    % {
                        "unit": row.recipient_unit.name,
                        "code": row.recipient_unit.code,
                        "title": row.document.title,
                        "sent": timezone.localtime(row.document.sent_at).strftime("%Y-%m-%d %H:%M"),
                    }
                    for row in late
                ]
                body = _("These units under %(parent)s have not acknowledged the warning:") % {"parent": parent.name}
                notices.append(
                    (
                        Document(
                            kind=Document.Kind.NOTICE,
                            sender_unit=late[0].document.sender_unit,
                            title=(
                                _("%(count)d units below you have not acknowledged a warning") % {"count": len(late)}
                            )[:200],
                            body=body + "\n" + "\n".join(lines),
                            url=reverse("dispatch:warning_board", args=[first.pk]) if first else "",
                        ),
                        [parent],
                        [],
                    )
                )
            send_documents(notices)
            run.notices = len(notices)
        if messages:
            run.emails = len(messages)
            enqueue_email(messages)  # with the claims: sent by the worker, retried by the outbox sweep
    return run
