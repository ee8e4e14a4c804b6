"""The daily overdue job: mark rectifying hazards past their deadline and e-mail their tiers."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazards.models import (
    Hazard,
    HazardEvent,
    State,
)
from hazards.permissions import RULERS as HAZARD_RULERS

Action = HazardEvent.Action


def mark_overdue(*, today: datetime.date | None = None) -> list[int]:
    """Mark rectifying hazards past their deadline (once each) and return their ids.

    The rows are claimed under a lock that a second run skips, so two runs never mark (or
    notify) one hazard twice; a constant number of queries however many hazards are due."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(
            Hazard.objects.select_for_update(skip_locked=True)
            .filter(state=State.RECTIFYING, deadline__lt=today, overdue_since__isnull=True)
            .only("pk", "state", "deadline")
        )
        if not due:
            return []
        Hazard.objects.filter(pk__in=[h.pk for h in due]).update(overdue_since=today)
        HazardEvent.objects.bulk_create(
            HazardEvent(
                hazard=hazard,
                action=Action.OVERDUE,
                from_state=hazard.state,
                to_state=hazard.state,
                note=_("Deadline %(date)s passed.") % {"date": hazard.deadline.isoformat()},
            )
            for hazard in due
        )
    return [hazard.pk for hazard in due]


def notify_overdue(*, hazard_ids: Sequence[int]) -> int:
    """E-mail the leaders, officers and dispatchers of each owning tier the list of its newly
    overdue hazards (one message per tier), through the outbox: the messages are rows of the
    caller's transaction, sent by the worker after the commit. Returns the number of messages."""
    from collections import defaultdict

    from django.conf import settings

    from core.services import enqueue_email
    from grids.models import Membership

    if not hazard_ids:
        return 0
    by_owner: dict[int, list[Hazard]] = defaultdict(list)
    for hazard in Hazard.objects.filter(pk__in=hazard_ids).select_related("owner_unit", "unit"):
        by_owner[hazard.owner_unit_id].append(hazard)
    recipients: dict[int, set[str]] = defaultdict(set)
    rows = (
        Membership.objects.active()
        .filter(unit_id__in=by_owner, role__in=list(HAZARD_RULERS))
        .exclude(user__email="")
        .values_list("unit_id", "user__email")
    )
    for unit_id, email in rows:
        recipients[unit_id].add(email)
    messages = []
    for owner_id, hazards in by_owner.items():
        if not recipients[owner_id]:
            continue
        owner = hazards[0].owner_unit
        lines = [f"{h.number} {h.title}（{h.unit.name}，整改期限 {h.deadline:%Y-%m-%d}）" for h in hazards]
        subject = _("%(unit)s: %(count)d hazard(s) past their rectification deadline") % {
            "unit": owner.name,
            "count": len(hazards),
        }
        messages.append((subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, sorted(recipients[owner_id])))
    enqueue_email(messages)
    return len(messages)
