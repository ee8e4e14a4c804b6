"""Running a drill: the organiser starts it (the drilled unit receives the alarm as a delivery,
like a real one), the drilled unit acknowledges (the first acknowledgement wins), the times of
the first responders at the point and of everyone assembled are recorded, people sign in, and
the record of the drill held is written."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import Document
from delivery.services import send_document
from drills import access
from drills.models import Attendance, Drill, DrillState
from drills.services.common import TransitionRefused, locked_drill, require_state, save_step
from grids.models import User


def _organiser(by: User, drill: Drill) -> None:
    if not access.may_organise(by, drill):
        raise PermissionDenied(_("Only the organiser's people may do this."))


def _moment(value: datetime.datetime | None, field: str) -> datetime.datetime:
    now = timezone.now()
    value = value or now
    if timezone.is_naive(value):
        raise ValidationError({field: _("Give the time with its time zone.")})
    if value > now + settings.FUTURE_TOLERANCE:
        raise ValidationError({field: _("The time cannot be in the future.")})
    return value


@transaction.atomic
def drill_start(*, drill: Drill, by: User) -> Drill:
    """Start the drill: the alarm goes to the drilled unit (and the participating units) as a
    delivery; a double-blind drill becomes visible to the drilled unit from now on."""
    drill = locked_drill(drill)
    _organiser(by, drill)
    require_state(drill.state, (DrillState.PLANNED,), _("This drill has started already."))
    now = timezone.now()
    units = [drill.unit, *[u for u in drill.participating_units.all() if u.pk != drill.unit_id]]
    drill.alarm_document = send_document(
        sender_unit=drill.organiser,
        kind=Document.Kind.DRILL_ALARM,
        title=_("Drill alarm: %(title)s") % {"title": drill.title},
        body=drill.scenario,
        url=reverse("drills:detail", args=[drill.pk]),
        by=by,
        to_units=units,
    )
    drill.state, drill.started_by, drill.alarm_sent_at = DrillState.STARTED, by, now
    save_step(drill, ["state", "started_by", "alarm_sent_at", "alarm_document"], "start", by)
    return drill


@transaction.atomic
def drill_acknowledge(*, drill: Drill, by: User) -> Drill:
    """The drilled unit acknowledges the alarm: the first acknowledgement is kept, a second changes nothing."""
    drill = locked_drill(drill)
    if not access.scope_for(by).can(access.DrillAction.RESPOND, drill.unit):
        raise PermissionDenied(_("Only the drilled unit's own people acknowledge the alarm."))
    if drill.state == DrillState.PLANNED:
        raise TransitionRefused(_("The drill has not started."))
    if drill.acknowledged_at is None:
        drill.acknowledged_at, drill.acknowledged_by = timezone.now(), by
        save_step(drill, ["acknowledged_at", "acknowledged_by"], "acknowledge", by)
    return drill


MILESTONES = {"first_on_scene": "first_on_scene_at", "assembled": "assembled_at"}


@transaction.atomic
def drill_record_time(*, drill: Drill, by: User, milestone: str, at: datetime.datetime | None = None) -> Drill:
    """Record when the first responders reached the point or everyone assembled (once each;
    never before the alarm, assembly never before the first arrival)."""
    if milestone not in MILESTONES:
        raise ValidationError({"milestone": _("Unknown mobilisation step.")})
    drill = locked_drill(drill)
    if not access.may_respond(by, drill):
        raise PermissionDenied(_("Only the drilled unit's own people or the organiser record the times."))
    require_state(drill.state, (DrillState.STARTED,), _("Times are recorded while the drill runs."))
    field = MILESTONES[milestone]
    if getattr(drill, field) is not None:
        raise TransitionRefused(_("This time has been recorded already."))
    at = _moment(at, field)
    if at < drill.alarm_sent_at:
        raise ValidationError({field: _("The time cannot be before the alarm.")})
    if milestone == "assembled" and drill.first_on_scene_at and at < drill.first_on_scene_at:
        raise ValidationError({field: _("Everyone cannot assemble before the first responders arrive.")})
    setattr(drill, field, at)
    save_step(drill, [field], milestone, by)
    return drill


def drill_sign_in(*, drill: Drill, by: User) -> tuple[Attendance, bool]:
    """签到: a person of the drilled or a participating unit signs in once (a second tap returns the first)."""
    drill = access.get_drill_for_user(by, drill.pk)
    unit = access.sign_in_unit(by, drill)
    if unit is None:
        raise PermissionDenied(_("Only the people of the drilled and participating units sign in."))
    if drill.state == DrillState.EVALUATED:
        raise TransitionRefused(_("The drill is over: the sign-in sheet is closed."))
    existing = Attendance.objects.filter(drill=drill, person=by).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return Attendance.objects.create(drill=drill, person=by, unit=unit, signed_at=timezone.now()), True
    except IntegrityError:
        return Attendance.objects.get(drill=drill, person=by), False


@transaction.atomic
def drill_record_held(
    *,
    drill: Drill,
    by: User,
    held_at: datetime.datetime,
    place: str,
    headcount: int,
    participants: str = "",
    script: str = "",
    narrative: str = "",
) -> Drill:
    """The record of the drill held: actual time and place, participants, headcount, script, what happened."""
    drill = locked_drill(drill)
    _organiser(by, drill)
    allowed = (DrillState.STARTED,) if drill.double_blind else (DrillState.PLANNED, DrillState.STARTED)
    require_state(drill.state, allowed, _("This drill's record has been written already."))
    drill.held_at = _moment(held_at, "held_at")
    drill.held_place, drill.headcount = place.strip(), headcount
    drill.participants, drill.script, drill.narrative = participants, script, narrative
    drill.state = DrillState.HELD
    drill.full_clean()
    fields = ["held_at", "held_place", "headcount", "participants", "script", "narrative", "state"]
    save_step(drill, fields, "held", by)
    return drill
