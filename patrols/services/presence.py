"""Presence checks (到岗抽查): while a warning of ``PRESENCE_CHECK_MIN_LEVEL`` (orange) or above is in
force over a unit, its township or the county asks officers below it — picked at random or by list —
to check in with their location within ``PRESENCE_CHECK_MINUTES``. An answer after the deadline is
recorded as late; no answer, once the deadline has passed, as unanswered."""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.idempotency import once
from delivery.models import TextMessage
from delivery.texts import text_messages_queue
from dispatch.models import Warning
from grids.models import GridUnit, Membership, User, within_q
from patrols import access
from patrols.models import PresenceCheck, PresenceRequest


def _officers_below(unit: GridUnit) -> dict[int, tuple[User, GridUnit]]:
    """Each person with an active role in a unit below ``unit`` (their lowest unit)."""
    found: dict[int, tuple[User, GridUnit]] = {}
    memberships = (
        Membership.objects.active()
        .filter(within_q(unit, "unit__"), unit__level__gt=unit.level, user__is_active=True)
        .select_related("user", "unit")
        .order_by("-unit__level", "unit__tree_id", "unit__lft", "user_id")
    )
    for membership in memberships:
        found.setdefault(membership.user_id, (membership.user, membership.unit))
    return found


def warning_in_force_over(warning: Warning, unit: GridUnit, now: datetime.datetime) -> bool:
    if warning.state != Warning.State.ACTIVE or not (warning.valid_from <= now <= warning.valid_to):
        return False
    return any(area.contains(unit) or unit.contains(area) for area in warning.areas.all())


def presence_check_start(
    *,
    warning: Warning,
    unit: GridUnit,
    by,
    officers: Iterable[User] = (),
    count: int = 0,
    rng: random.Random | None = None,
) -> PresenceCheck:
    """Ask officers below ``unit`` (``patrol.presence``) to check in: those of ``officers``, or
    ``count`` of them at random. Refused unless a warning of orange or above is in force there."""
    if not access.may_run_presence(by, unit):
        raise PermissionDenied(_("You may not run presence checks for this unit."))
    now = timezone.now()
    if warning.level > settings.PRESENCE_CHECK_MIN_LEVEL or not warning_in_force_over(warning, unit, now):
        raise ValidationError(_("Presence checks are run only while a warning of orange or above is in force here."))
    below = _officers_below(unit)
    chosen_ids = [person.pk for person in officers]
    outside = [pk for pk in chosen_ids if pk not in below]
    if outside:
        raise ValidationError(_("Pick officers of the units below yours."))
    if not chosen_ids:
        if count < 1:
            raise ValidationError(_("Pick officers from the list or say how many to pick at random."))
        pool = sorted(below)
        chosen_ids = (rng or random.SystemRandom()).sample(pool, min(count, len(pool)))
    if not chosen_ids:
        raise ValidationError(_("No officer holds a role below this unit."))
    minutes = settings.PRESENCE_CHECK_MINUTES
    with transaction.atomic():
        check = PresenceCheck.objects.create(warning=warning, unit=unit, by=by, at=now, minutes=minutes)
        due = now + datetime.timedelta(minutes=minutes)
        requests = PresenceRequest.objects.bulk_create(
            [PresenceRequest(check_run=check, officer=below[pk][0], unit=below[pk][1], due_at=due) for pk in chosen_ids]
        )
        _text_officers(requests, due)  # each officer's phone is told, not only their 巡查 page
    return check


def _text_officers(requests: list[PresenceRequest], due: datetime.datetime) -> None:
    """A text message to each officer asked (once per request: keyed), sent after the commit."""
    text = _("[Presence check] Check in with your location on 应急网格 (巡查) by %(time)s.") % {
        "time": timezone.localtime(due).strftime("%H:%M")
    }
    text_messages_queue(
        TextMessage(
            key=f"presence:{request.pk}",
            unit=request.unit,
            person=request.officer,
            phone=request.officer.mobile or "",
            text=text,
        )
        for request in requests
    )


def presence_answer(
    *,
    request: PresenceRequest,
    by,
    lng: float | None,
    lat: float | None,
    client_time: datetime.datetime | None = None,
    client_key: uuid.UUID | None = None,
) -> tuple[PresenceRequest, bool]:
    """The officer asked answers with their location. The first answer counts: in time or late by
    the time it was made on the phone (if not after the server's), later copies change nothing."""

    def run() -> tuple[PresenceRequest, bool]:
        locked = PresenceRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
        if locked.officer_id != by.pk:
            raise PermissionDenied(_("Only the officer asked may answer this request."))
        if locked.answered_at is not None:
            return locked, False
        if lng is None or lat is None:
            raise ValidationError(_("The answer needs the phone's location."))
        now = timezone.now()
        if client_time is not None and client_time > now + settings.FUTURE_TOLERANCE:
            raise ValidationError(_("The phone's clock is ahead of the server's; check the time on the phone."))
        moment = min(client_time, now) if client_time is not None else now
        moment = max(moment, locked.check_run.at)
        locked.answered_at, locked.client_time, locked.lng, locked.lat = moment, client_time, lng, lat
        locked.save(update_fields=["answered_at", "client_time", "lng", "lat"])
        return locked, True

    with transaction.atomic():
        return once(
            user=by, key=client_key, action="patrol.presence", run=run,
            result_of=lambda outcome: outcome[0].pk,
            replay=lambda pk: (PresenceRequest.objects.get(pk=int(pk)), False),
        )  # fmt: skip
