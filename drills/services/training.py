"""Training sessions (培训): who organised, topic, date, hours, attendees chosen from the grid's people."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from drills.models import Training
from drills.permissions import DrillAction
from grids.models import GridUnit, User
from grids.scope import scope_for, visible_people


@transaction.atomic
def training_record(
    *, by: User, unit: GridUnit, topic: str, held_on: datetime.date, hours: Decimal, attendees: Iterable[User]
) -> Training:
    if not scope_for(by).can(DrillAction.TRAIN, unit):
        raise PermissionDenied(_("Only the unit's own people or a tier above may record its training."))
    people = list(attendees)
    seen = set(visible_people(by).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
    if any(p.pk not in seen for p in people):
        raise ValidationError({"attendees": _("An attendee must be one of the people you can see.")})
    training = Training(unit=unit, topic=topic.strip(), held_on=held_on, hours=hours, created_by=by)
    training.full_clean()
    training._history_user = by
    training.save()
    training.attendees.set(people)
    return training
