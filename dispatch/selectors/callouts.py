"""The township dispatcher's call list (叫应, the ladder's last step) and the warning board's
per-township coverage. Reads through ``dispatch.access``; a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from delivery.models import Delivery, TextMessage
from dispatch.access import visible_calls
from dispatch.models import SafeReport, Warning
from dispatch.services.escalation import LEADER_ROLES, OFFICER_ROLES
from grids.models import Membership

CALL_LIST_DAYS = 7
CALL_LIST_LIMIT = 200


@dataclass
class CallRow:
    call: object
    subject: str
    numbers: list[tuple[str, str, str]] = field(default_factory=list)  # (name, role, mobile)
    responded: bool = False


def call_list(user, *, now: datetime.datetime | None = None) -> list[CallRow]:
    """The last week's calls to make: units that did not answer a warning or their 平安, with the
    numbers of their officers and leaders; the ones still to ring first. Four queries."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=CALL_LIST_DAYS)
    calls = list(
        visible_calls(user)
        .filter(at__gte=since)
        .select_related("unit", "unit__parent", "delivery", "delivery__document", "called_by")
        .annotate(reported=Exists(SafeReport.objects.filter(unit=OuterRef("unit"), day=OuterRef("day"))))
        .order_by("-at", "unit__code")[:CALL_LIST_LIMIT]
    )
    people: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for membership in (
        Membership.objects.active()
        .filter(unit_id__in={c.unit_id for c in calls}, role__in=OFFICER_ROLES | LEADER_ROLES)
        .exclude(user__mobile="")
        .select_related("user")
        .order_by("unit_id", "role", "user_id")
    ):
        people[membership.unit_id].append(
            (membership.user.display_name, membership.get_role_display(), membership.user.mobile)
        )
    rows = []
    for call in calls:
        if call.delivery_id:
            subject = call.delivery.document.title
            responded = call.delivery.state == Delivery.State.RECEIPTED
        else:
            subject = call.day.isoformat()
            responded = call.reported
        rows.append(CallRow(call=call, subject=subject, numbers=people[call.unit_id], responded=responded))
    rows.sort(key=lambda r: (r.responded or r.call.answer == "answered", -r.call.at.timestamp()))
    return rows


@dataclass
class TownshipCoverage:
    township: object
    sent: int
    delivered: int
    read: int
    acknowledged: int

    @property
    def reached(self) -> int:
        return max(self.delivered, self.read)

    @property
    def coverage(self) -> float:
        return round(100 * self.acknowledged / self.sent, 1) if self.sent else 0.0

    @property
    def meets_target(self) -> bool:
        return self.coverage >= settings.SMS_COVERAGE_TARGET


def township_coverage(warning: Warning, deliveries) -> list[TownshipCoverage]:
    """Per township of ``deliveries`` (the board's, already in scope): villages sent to, whose
    text reached a phone (or who opened it), read, acknowledged, and the coverage against
    ``SMS_COVERAGE_TARGET``. One query."""
    texted = TextMessage.objects.filter(delivery=OuterRef("pk"), state=TextMessage.State.DELIVERED)
    rows = (
        deliveries.filter(recipient_unit__level=2)
        .annotate(texted=Exists(texted))
        .values("recipient_unit__parent_id", "recipient_unit__parent__name", "recipient_unit__parent__code")
        .annotate(
            sent=Count("pk"),
            delivered=Count("pk", filter=Q(texted=True) | ~Q(state=Delivery.State.DELIVERED)),
            read=Count("pk", filter=~Q(state=Delivery.State.DELIVERED)),
            acknowledged=Count("pk", filter=Q(state=Delivery.State.RECEIPTED)),
        )
        .order_by("recipient_unit__parent__code")
    )
    return [
        TownshipCoverage(
            township={"id": r["recipient_unit__parent_id"], "name": r["recipient_unit__parent__name"]},
            sent=r["sent"],
            delivered=r["delivered"],
            read=r["read"],
            acknowledged=r["acknowledged"],
        )
        for r in rows
    ]
