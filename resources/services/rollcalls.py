"""Roll calls (点名) down the contact network: started from a county or a township, sent to every
unit below it through the delivery mechanism (a notice in each unit's inbox), acknowledged by
each person called (on their phone); the unacknowledged are escalated to their unit's leader once
``settings.ROLL_CALL_ESCALATE_MINUTES`` have passed (``escalate_due``, the periodic job)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import enqueue_email
from delivery.models import Delivery, Document
from delivery.services import delivery_receipt, is_recipient, send_document, send_documents
from grids.models import GridUnit, Membership, Role, User, within_q
from grids.rules import TIER_OF_KIND
from grids.selectors import ancestor_at
from resources import access
from resources.models import RequiredRole, RollCall, RollCallEntry


def required_roles() -> dict[int, list[str]]:
    """{tier: [roles that must be reachable]} from the rule table (one query)."""
    table: dict[int, list[str]] = defaultdict(list)
    for tier, role in RequiredRole.objects.order_by("tier", "order", "role").values_list("tier", "role"):
        table[tier].append(role)
    return table


@transaction.atomic
def roll_call_start(*, by: User, unit: GridUnit, message: str = "") -> RollCall:
    """Call everyone holding a role that must be reachable in ``unit`` and the units below it
    (except the caller): one entry per person and unit, one notice to each unit's inbox. The
    county's and the townships' leaders, officers and dispatchers (``resources.roll_call``)."""
    if not access.may_roll_call(by, unit):
        raise PermissionDenied(_("You may not run roll calls of this unit."))
    GridUnit.objects.select_for_update(of=("self",)).get(pk=unit.pk)
    roles = required_roles()
    now = timezone.now()
    message = (message or "").strip() or _("Roll call: please acknowledge that you are reachable.")
    roll_call = RollCall.objects.create(unit=unit, message=message[:200], started_by=by, started_at=now)
    memberships = (
        Membership.objects.active()
        .filter(within_q(unit, "unit__"))
        .exclude(user=by)
        .filter(user__is_active=True)
        .annotate(township=ancestor_at(1))
        .select_related("unit")
        .order_by("unit__tree_id", "unit__lft", "role", "user_id")
    )
    entries: dict[tuple[int, int], RollCallEntry] = {}
    for membership in memberships:
        if membership.role not in roles.get(TIER_OF_KIND[membership.unit.kind], ()):
            continue
        key = (membership.unit_id, membership.user_id)
        if key not in entries:
            township = membership.township if membership.unit.level >= 1 else None
            entries[key] = RollCallEntry(
                roll_call=roll_call, unit=membership.unit, township_id=township, person_id=membership.user_id,
                role=membership.role,
            )  # fmt: skip
    if not entries:
        raise ValidationError(_("Nobody below this unit holds a role that must be reachable."))
    RollCallEntry.objects.bulk_create(entries.values())
    units = list({entry.unit_id: entry.unit for entry in entries.values()}.values())
    roll_call.document = send_document(
        sender_unit=unit, kind=Document.Kind.NOTICE, by=by,
        title=_("Roll call from %(unit)s") % {"unit": unit.name}, body=roll_call.message,
        url=reverse("resources:roll_call_answer", args=[roll_call.pk]), to_units=units,
    )  # fmt: skip
    roll_call.save(update_fields=["document"])
    return roll_call


@transaction.atomic
def roll_call_acknowledge(*, roll_call: RollCall, by: User) -> int:
    """The person answers the roll call: each of their entries acknowledged once (a second answer
    changes nothing) and their units' notices receipted (签收). Refused for someone not called."""
    mine = RollCallEntry.objects.filter(roll_call=roll_call, person=by)
    if not mine.exists():
        raise PermissionDenied(_("This roll call did not call you."))
    now = timezone.now()
    answered = mine.filter(acknowledged_at__isnull=True).update(acknowledged_at=now)
    if roll_call.document_id:
        units = mine.values("unit_id")
        for delivery in Delivery.objects.filter(document_id=roll_call.document_id, recipient_unit_id__in=units).exclude(
            state=Delivery.State.RECEIPTED
        ):
            if is_recipient(by, delivery):
                delivery_receipt(delivery=delivery, by=by)
    return answered


def _leaders(unit_ids: set[int]) -> dict[int, list[int]]:
    leaders: dict[int, list[int]] = defaultdict(list)
    for unit_id, user_id in (
        Membership.objects.active()
        .filter(unit_id__in=unit_ids, role=Role.GRID_LEADER, user__is_active=True)
        .order_by("unit_id", "user_id")
        .values_list("unit_id", "user_id")
    ):
        leaders[unit_id].append(user_id)
    return leaders


def escalate_due(*, now: datetime.datetime | None = None) -> int:
    """Escalate every entry unanswered for ``ROLL_CALL_ESCALATE_MINUTES``: to the leader of its
    unit (or, when the unanswered person is that leader or there is none, to the leader of the unit
    above), with one notice per roll call and unit and an e-mail to the leader. Each entry is claimed
    under a row lock with a conditional update: a second run, or two workers, escalate it once."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.ROLL_CALL_ESCALATE_MINUTES)
    with transaction.atomic():
        due = list(
            RollCallEntry.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(acknowledged_at__isnull=True, escalated_at__isnull=True, roll_call__started_at__lte=cutoff)
            .select_related("unit__parent", "person", "roll_call__unit")
            .order_by("pk")
        )
        if not due:
            return 0
        units = {e.unit_id for e in due} | {e.unit.parent_id for e in due if e.unit.parent_id}
        leaders = _leaders(units)
        groups: dict[tuple[int, int, int | None], list[RollCallEntry]] = defaultdict(list)
        for entry in due:
            target_unit, leader = entry.unit, None
            candidates = [u for u in leaders.get(entry.unit_id, []) if u != entry.person_id]
            if candidates:
                leader = candidates[0]
            elif entry.unit.parent_id:
                target_unit = entry.unit.parent
                leader = next((u for u in leaders.get(entry.unit.parent_id, []) if u != entry.person_id), None)
            groups[(entry.roll_call_id, target_unit.pk, leader)].append(entry)
        claimed = 0
        documents, mails = [], []
        people = {u.pk: u for u in User.objects.filter(pk__in={k[2] for k in groups if k[2]})}
        for (_roll, unit_id, leader), entries in groups.items():
            count = RollCallEntry.objects.filter(
                pk__in=[e.pk for e in entries], acknowledged_at__isnull=True, escalated_at__isnull=True
            ).update(escalated_at=now, escalated_to_id=leader)
            if not count:
                continue
            claimed += count
            roll_call = entries[0].roll_call
            names = "、".join(f"{e.person.real_name or e.person.username}（{e.unit.name}）" for e in entries)
            title = _("Unanswered roll call: %(names)s") % {"names": names}
            target = entries[0].unit if entries[0].unit_id == unit_id else entries[0].unit.parent
            documents.append(
                (
                    Document(
                        sender_unit=roll_call.unit,
                        kind=Document.Kind.NOTICE,
                        title=title[:200],
                        body=roll_call.message,
                        url=reverse("resources:roll_call_detail", args=[roll_call.pk]),
                    ),  # fmt: skip
                    [target],
                    [],
                )
            )
            person = people.get(leader)
            if person is not None and person.email:
                mails.append((title[:200], roll_call.message, settings.DEFAULT_FROM_EMAIL, [person.email]))
        send_documents(documents)
        enqueue_email(mails)
    return claimed
