"""Recording a team or an expert on an incident, a consultation or a plan review."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from grids.models import User
from resources import access
from resources.models import Expert, Participant, Team


def participant_add(*, by: User, target, place: str, team: Team | None = None, expert: Expert | None = None,
                    note: str = "") -> Participant:  # fmt: skip
    """Record ``team`` or ``expert`` on ``target`` (``place``: incident, consultation or plan).
    The caller fetched ``target`` and the team or expert through their access helpers; the person
    needs ``resources.assign`` on the target's unit. Recording the same one twice changes nothing."""
    if (team is None) == (expert is None):
        raise ValidationError(_("Choose a team or an expert."))
    if place not in ("incident", "consultation", "plan"):
        raise ValidationError(_("Unknown place."))
    if not access.may_assign(by, target.unit):
        raise PermissionDenied(_("You may not record teams and experts here."))
    if team is not None and team.readiness != Team.Readiness.READY:
        raise ValidationError(_("The team %(name)s is not ready.") % {"name": team.name})
    if expert is not None and expert.availability == Expert.Availability.AWAY:
        raise ValidationError(_("The expert %(name)s is away.") % {"name": expert.name})
    lookup = {place: target, "team": team, "expert": expert}
    existing = Participant.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Participant.objects.create(**lookup, note=note, added_by=by)
    except IntegrityError:  # recorded at the same moment by someone else
        return Participant.objects.get(**lookup)


@transaction.atomic
def participant_remove(*, by: User, participant: Participant, target) -> None:
    if not access.may_assign(by, target.unit):
        raise PermissionDenied(_("You may not record teams and experts here."))
    participant.delete()
