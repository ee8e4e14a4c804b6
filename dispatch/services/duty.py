"""Services of the 24-hour duty desk (值班值守): the roster and the duty log. Every change checks
the person's right through ``dispatch.access`` (built on ``grids.scope``).

Rules, each refused with a Chinese message (``ValidationError`` for the data, ``PermissionDenied``
for the person's right):

- Dispatch centres are the tier-1 and tier-2 units (the county, townships and parks; DOMAIN.md §1).
- Keeping the roster needs ``DispatchAction.DUTY`` at the centre (its leaders and dispatchers, or
  the county's above it).
- The leader on duty and the A and B posts hold an active role in the centre or in a unit above it;
  for the county centre, the staff of the county's departments may stand duty too.
- Every shift needs an A post; a shift at a centre of tier ``DUTY_AB_POSTS_FROM_TIER`` (setting,
  default 2) or below needs both A and B posts (AB岗): by default the townships and parks, not the
  county. A and B are two different people.
- Shifts of one centre never overlap (every shift carries the A post); a shift starts inclusive and
  ends exclusive, so one shift may begin exactly when the previous one ends.
- Writing in the duty log of a centre: see ``dispatch.access.may_write_log``; an entry is edited
  only by its author, only while they may still write in that log, and only while the shift during
  which it was written is still running (``may_edit_entry``).
- Rights come from ACTIVE memberships only. Ending a membership does not delete their shifts: the
  roster shows them flagged (``<post>_on_roll`` is False) and the roster keeper replaces them (the
  shift cannot be saved again with them on it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.access import (  # who may see and do what: dispatch/access.py
    is_centre,
    may_edit_entry,
    may_write_log,
    require_duty,
)
from dispatch.models import DutyLogEntry, DutyShift, Incident, Warning
from dispatch.selectors.duty import WEEK, day_range, duty_people, week_start
from grids import limits
from grids.models import GridUnit, User, above_q, within_q

SHIFT_FIELDS = ("starts_at", "ends_at", "leader", "post_a", "post_b", "note")


LOG_FIELDS = ("at", "kind", "summary", "details", "caller", "warning", "incident")


def needs_b_post(unit: GridUnit) -> bool:
    """Does a shift of this centre need a B post as well as an A post (AB岗)? Setting
    ``DUTY_AB_POSTS_FROM_TIER``: its tier or below."""
    return unit.level + 1 >= settings.DUTY_AB_POSTS_FROM_TIER


def _check_shift(shift: DutyShift) -> None:
    """Every rule of one shift except overlap (checked under the centre's lock)."""
    unit = shift.unit
    errors: dict[str, list[str]] = {}
    if not is_centre(unit):
        raise ValidationError(
            {"unit": _("Only the county and the townships or parks run a dispatch centre with a duty roster.")}
        )
    if shift.starts_at is None or shift.ends_at is None:
        raise ValidationError(_("A shift needs a start and an end."))
    bounded = _bounded_moments(shift, ("starts_at", "ends_at"))
    if bounded:
        raise ValidationError(bounded)
    if shift.ends_at <= shift.starts_at:
        errors.setdefault("ends_at", []).append(_("A shift must end after it starts."))
    if shift.post_a_id is None:
        errors.setdefault("post_a", []).append(_("Every shift needs an A post."))
    if needs_b_post(unit) and shift.post_b_id is None:
        errors.setdefault("post_b", []).append(
            _("A township or park centre keeps A and B posts (AB岗): name the B post.")
        )
    if shift.post_a_id and shift.post_a_id == shift.post_b_id:
        errors.setdefault("post_b", []).append(_("The A and B posts must be two different people."))
    named = {"leader": shift.leader_id, "post_a": shift.post_a_id, "post_b": shift.post_b_id}
    eligible = set(duty_people(unit).filter(pk__in=[pk for pk in named.values() if pk]).values_list("pk", flat=True))
    for field, pk in named.items():
        if pk and pk not in eligible:
            errors.setdefault(field, []).append(
                _("This person holds no role in %(unit)s or above it, so cannot stand duty there.")
                % {"unit": unit.name}
            )
    if errors:
        raise ValidationError(errors)


def _bounded_moments(obj, names: Iterable[str]) -> dict[str, list]:
    """Bound the moments ``names`` of ``obj`` in place (``grids.limits``); the refusals by field."""
    errors: dict[str, list] = {}
    for name in names:
        try:
            setattr(obj, name, limits.bound_moment(name, getattr(obj, name), model=type(obj)))
        except ValidationError as exc:
            exc.update_error_dict(errors)
    return errors


def _check_overlap(shift: DutyShift) -> None:
    clash = (
        DutyShift.objects.filter(unit_id=shift.unit_id, starts_at__lt=shift.ends_at, ends_at__gt=shift.starts_at)
        .exclude(pk=shift.pk)
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _(
                "This shift overlaps the shift from %(start)s to %(end)s at %(unit)s; one post cannot be held twice at once."
            )
            % {
                "start": timezone.localtime(clash.starts_at).strftime("%Y-%m-%d %H:%M"),
                "end": timezone.localtime(clash.ends_at).strftime("%Y-%m-%d %H:%M"),
                "unit": shift.unit.name,
            }
        )


def _lock_centre(unit: GridUnit) -> GridUnit:
    """Serialise roster changes of one centre (the overlap check then cannot race)."""
    return GridUnit.objects.select_for_update().get(pk=unit.pk)


@transaction.atomic
def duty_shift_add(
    *,
    by: User,
    unit: GridUnit,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    leader: User,
    post_a: User | None,
    post_b: User | None = None,
    note: str = "",
) -> DutyShift:
    """Add a shift to the roster of ``unit``. Callers: whoever has ``DUTY`` there."""
    require_duty(by, unit)
    unit = _lock_centre(unit)
    shift = DutyShift(
        unit=unit, starts_at=starts_at, ends_at=ends_at, leader=leader, post_a=post_a, post_b=post_b, note=note or ""
    )
    _check_shift(shift)
    _check_overlap(shift)
    shift.save()
    return shift


@transaction.atomic
def duty_shift_change(*, by: User, shift: DutyShift, **fields) -> DutyShift:
    """Change the times, people or note of a shift. Callers: whoever has ``DUTY`` at its centre."""
    unknown = set(fields) - set(SHIFT_FIELDS)
    if unknown:
        raise ValueError(f"duty_shift_change cannot change {sorted(unknown)}")
    require_duty(by, shift.unit)
    _lock_centre(shift.unit)
    shift = DutyShift.objects.select_for_update(of=("self",)).select_related("unit").get(pk=shift.pk)
    changed = [
        name for name, value in fields.items() if getattr(shift, name) != (value if name != "note" else value or "")
    ]
    if not changed:
        return shift
    for name in changed:
        setattr(shift, name, fields[name] if name != "note" else fields[name] or "")
    _check_shift(shift)
    _check_overlap(shift)
    shift.save(update_fields=changed)
    return shift


@transaction.atomic
def duty_shift_remove(*, by: User, shift: DutyShift) -> None:
    """Take a shift off the roster. A shift that has begun is part of the duty record: change it
    instead. Callers: whoever has ``DUTY`` at its centre."""
    require_duty(by, shift.unit)
    _lock_centre(shift.unit)
    shift = DutyShift.objects.select_for_update().get(pk=shift.pk)
    if shift.starts_at <= timezone.now():
        raise ValidationError(
            _("A shift that has begun is part of the duty record and cannot be removed; change it instead.")
        )
    shift.delete()


def _week_later(moment: datetime.datetime) -> datetime.datetime:
    """The same wall-clock time a week later (safe across daylight-saving changes)."""
    local = timezone.localtime(moment).replace(tzinfo=None)
    return timezone.make_aware(local + WEEK)


@dataclass
class WeekCopy:
    created: list[DutyShift]
    skipped: int  # already on the roster (the copy was made before)


@transaction.atomic
def duty_week_copy(*, by: User, unit: GridUnit, week: datetime.date) -> WeekCopy:
    """Copy the shifts of the week before ``week`` (its Monday) into ``week``, same people and times.

    Idempotent: shifts already copied are skipped; any other clash or a person who may no longer
    stand duty refuses the whole copy (nothing is written). Callers: whoever has ``DUTY`` there."""
    require_duty(by, unit)
    week = limits.bound_date("week", week, allow_none=False)
    unit = _lock_centre(unit)
    monday = week_start(week)
    start, end = day_range(monday - WEEK, 7)
    source = list(DutyShift.objects.filter(unit=unit, starts_at__gte=start, starts_at__lt=end).order_by("starts_at"))
    if not source:
        raise ValidationError(_("The week before has no shifts at %(unit)s to copy.") % {"unit": unit.name})
    created, skipped, errors = [], 0, []
    for old in source:
        new = DutyShift(
            unit=unit,
            starts_at=_week_later(old.starts_at),
            ends_at=_week_later(old.ends_at),
            leader_id=old.leader_id,
            post_a_id=old.post_a_id,
            post_b_id=old.post_b_id,
            note=old.note,
        )
        if DutyShift.objects.filter(unit=unit, starts_at=new.starts_at, ends_at=new.ends_at).exists():
            skipped += 1
            continue
        try:
            _check_shift(new)
            _check_overlap(new)
        except ValidationError as exc:
            when = timezone.localtime(new.starts_at).strftime("%Y-%m-%d %H:%M")
            errors.extend(f"{when}: {message}" for message in exc.messages)
            continue
        new.save()
        created.append(new)
    if errors:
        transaction.set_rollback(True)
        raise ValidationError(errors)
    return WeekCopy(created=created, skipped=skipped)


def _check_entry(entry: DutyLogEntry) -> None:
    errors: dict[str, list[str]] = _bounded_moments(entry, ["at"] if entry.at is not None else [])
    if not (entry.summary or "").strip():
        errors.setdefault("summary", []).append(_("Write what happened in one line."))
    if entry.kind not in DutyLogEntry.Kind.values:
        errors.setdefault("kind", []).append(_("Choose the kind of entry."))
    if entry.at is None:
        errors.setdefault("at", []).append(_("Give the time."))
    elif "at" in errors:
        pass
    elif entry.at > timezone.now() + settings.FUTURE_TOLERANCE:
        errors.setdefault("at", []).append(_("The time cannot be in the future."))
    if entry.kind == DutyLogEntry.Kind.CALL and not (entry.caller or "").strip():
        errors.setdefault("caller", []).append(_("Write who called and their number."))
    unit = entry.unit
    if entry.incident_id:
        incident = Incident.objects.select_related("unit").get(pk=entry.incident_id)
        if not unit.contains(incident.unit):
            errors.setdefault("incident", []).append(
                _("This incident is not in the grid of %(unit)s.") % {"unit": unit.name}
            )
    if entry.warning_id and not _warning_concerns(entry.warning_id, unit):
        errors.setdefault("warning", []).append(_("This warning does not concern %(unit)s.") % {"unit": unit.name})
    if errors:
        raise ValidationError(errors)


def _warning_concerns(warning_id: int, unit: GridUnit) -> bool:
    """Issued by the centre, or targets an area that contains the centre or lies under it."""
    inside = within_q(unit, "areas__")
    above = above_q(unit, "areas__")
    return (
        Warning.objects.filter(Q(issuer_unit=unit) | inside | above, pk=warning_id)
        .exclude(state=Warning.State.DRAFT)
        .exists()
    )


@transaction.atomic
def duty_log_add(
    *,
    by: User,
    unit: GridUnit,
    kind: str,
    summary: str,
    at: datetime.datetime | None = None,
    details: str = "",
    caller: str = "",
    warning: Warning | None = None,
    incident: Incident | None = None,
) -> DutyLogEntry:
    """Write an entry in the duty log of ``unit``. Callers: see ``may_write_log``."""
    if not may_write_log(by, unit):
        raise PermissionDenied(
            _("Only the people of %(unit)s and those on duty there may write in its duty log.") % {"unit": unit.name}
        )
    entry = DutyLogEntry(
        unit=unit,
        at=at or timezone.now(),
        kind=kind,
        summary=(summary or "").strip(),
        details=details or "",
        caller=(caller or "").strip(),
        warning=warning,
        incident=incident,
        by=by,
    )
    _check_entry(entry)
    entry.save()
    return entry


@transaction.atomic
def duty_log_change(*, by: User, entry: DutyLogEntry, **fields) -> DutyLogEntry:
    """Correct an entry: its author only, while the shift it was written in is running."""
    unknown = set(fields) - set(LOG_FIELDS)
    if unknown:
        raise ValueError(f"duty_log_change cannot change {sorted(unknown)}")
    entry = DutyLogEntry.objects.select_for_update(of=("self",)).select_related("unit").get(pk=entry.pk)
    if not may_edit_entry(by, entry):
        raise PermissionDenied(_("Only its author may change an entry, and only during the shift it was written in."))
    changed = [name for name, value in fields.items() if getattr(entry, name) != value]
    if not changed:
        return entry
    for name in changed:
        setattr(entry, name, fields[name])
    entry.summary = (entry.summary or "").strip()
    _check_entry(entry)
    if set(changed) & set(entry.texts or {}):  # a text the system wrote, corrected by hand: shown as written
        entry.texts = {name: value for name, value in entry.texts.items() if name not in changed}
        changed.append("texts")
    entry.save(update_fields=changed)
    return entry
