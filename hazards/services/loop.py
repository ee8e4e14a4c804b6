"""The closed loop: report, confirm or reject, plan, evidence, acceptance, escalation,
supervision and department copies. Each step locks the hazard row and writes its timeline entry."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.idempotency import once
from delivery.models import Document
from delivery.services import send_document
from grids import limits
from grids.models import Department, GridUnit, User
from grids.scope import scope_for
from hazards.models import (
    OPEN_STATES,
    Family,
    Grade,
    Hazard,
    HazardCategory,
    HazardCopy,
    HazardEvent,
    HazardPhoto,
    State,
)
from hazards.permissions import HazardAction
from hazards.photos import check_photo_batch, inspect_photo
from hazards.services.grading import allocate_number, apply_grading, owner_id_for
from hazards.services.photos import store_pending

Action = HazardEvent.Action


class TransitionRefused(Exception):
    """A step the hazard's state does not allow (or that someone else just took)."""


# --- the loop -----------------------------------------------------------------------------------


def bound_texts(**texts: tuple[str, int]) -> None:
    """Refuse a free text longer than its limit (``grids.limits``), named by its field: the same
    limits the forms and serializers show, checked here since the service is the one validator."""
    for field, (value, limit) in texts.items():
        limits.bound_text(field, value or "", HazardEvent, "note", max_length=limit)


def _event(
    hazard: Hazard,
    action: str,
    by: User | None,
    *,
    from_state: str = "",
    note: str = "",
    from_unit: GridUnit | None = None,
    to_unit: GridUnit | None = None,
    to_unit_id: int | None = None,
) -> HazardEvent:
    return HazardEvent.objects.create(
        hazard=hazard,
        action=action,
        by=by,
        from_state=from_state,
        to_state=hazard.state,
        note=note,
        from_unit=from_unit,
        to_unit_id=to_unit.pk if to_unit is not None else to_unit_id,
    )


def _check_photos(photos: Sequence) -> list:
    """Check every photo on its header before anything is saved, so a bad one refuses the whole
    submission: (upload, (width, height)) for ``store_pending``, which leaves the decoding to the worker."""
    check_photo_batch(photos)
    return [(upload, inspect_photo(upload)[1:]) for upload in photos]


def hazard_report(
    *,
    by: User,
    unit: GridUnit,
    category: HazardCategory,
    title: str,
    description: str = "",
    lng: float | None = None,
    lat: float | None = None,
    address: str = "",
    source: str = "patrol",
    root_cause: str = "",
    found_at: datetime.datetime | None = None,
    photos: Sequence = (),
    client_key: uuid.UUID | None = None,
    fixed_on_spot: bool = False,
    evidence_photos: Sequence = (),
    evidence_note: str = "",
) -> tuple[Hazard, bool]:
    """Report a danger in ``unit``. Returns (hazard, created): a repeated ``client_key`` from the
    same reporter returns the hazard already saved. Anyone with a role in the unit may report.
    ``fixed_on_spot`` closes it at once; it needs evidence photos."""
    bound_texts(
        description=(description, limits.NOTE_MAX_LENGTH), evidence_note=(evidence_note, limits.NOTE_MAX_LENGTH)
    )
    # A resend of ``client_key`` (the phone's queue after a lost answer) is caught by the unique
    # (reporter, client_key) constraint below, not looked up first: a new report, nearly every
    # one, saves that query; a resend's INSERT fails inside the transaction, which rolls back its
    # number, and the report saved first is returned.
    if not scope_for(by).can(HazardAction.REPORT, unit):
        raise PermissionDenied(_("You may only report hazards in your own grid."))
    if not category.is_active:
        raise ValidationError({"category": _("This category is no longer in use.")})
    if category.family == Family.PRODUCTION and root_cause == "":
        root_cause = ""  # optional on the phone; the township sets it when confirming
    if category.family == Family.NATURAL:
        root_cause = ""
    if fixed_on_spot and not evidence_photos:
        raise ValidationError({"evidence_photos": _("A danger fixed on the spot needs a photo of the result.")})
    lng, lat = limits.bound_lng_lat(lng, lat, model=Hazard)
    found_at = limits.bound_moment("found_at", found_at, model=Hazard)
    check_photo_batch([*photos, *evidence_photos])  # the limits are per request, both fields together
    report_photos = _check_photos(photos)
    evidence = _check_photos(evidence_photos)
    found_at = found_at or timezone.now()
    if found_at > timezone.now() + settings.FUTURE_TOLERANCE:
        raise ValidationError({"found_at": _("The time found cannot be in the future.")})
    try:
        with transaction.atomic():
            hazard = Hazard(
                number=allocate_number(unit=unit, year=timezone.localdate(found_at).year),
                title=title.strip(),
                description=description.strip(),
                family=category.family,
                category=category,
                root_cause=root_cause,
                unit=unit,
                owner_unit_id=owner_id_for(unit),  # the id only: no query for the parent
                lng=lng,
                lat=lat,
                address=address,
                source=source,
                reporter=by,
                found_at=found_at,
                client_key=client_key,
            )
            # the unit, category and reporter are rows already read: no query to check they exist
            hazard.full_clean(
                exclude=["number", "owner_unit", "unit", "category", "reporter"], validate_constraints=False
            )
            hazard.save()
            store_pending(hazard, report_photos, HazardPhoto.Kind.REPORT, by)
            _event(hazard, Action.REPORT, by, to_unit_id=hazard.owner_unit_id)
            if fixed_on_spot:
                previous = hazard.state
                hazard.state, hazard.closed_at = State.CLOSED, timezone.now()
                hazard.save(update_fields=["state", "closed_at", "updated_at"])
                store_pending(hazard, evidence, HazardPhoto.Kind.EVIDENCE, by)
                _event(hazard, Action.CLOSE_ON_SPOT, by, from_state=previous, note=evidence_note)
    except IntegrityError:
        if client_key:  # the same submission sent again (a resend, a double tap): return the first
            existing = Hazard.objects.filter(reporter=by, client_key=client_key).first()
            if existing:
                return existing, False
        raise
    return hazard, True


def _locked(hazard: Hazard | int) -> Hazard:
    pk = hazard.pk if isinstance(hazard, Hazard) else hazard
    return Hazard.objects.select_for_update(of=("self",)).select_related("owner_unit", "unit", "category").get(pk=pk)


def _require_state(hazard: Hazard, allowed: Sequence[str], doing: str) -> None:
    if hazard.state not in allowed:
        raise TransitionRefused(
            _("This hazard is now “%(state)s”; it cannot be %(doing)s. Reload the page to see the latest.")
            % {"state": hazard.get_state_display(), "doing": doing}
        )


def _require(by: User, action: str, unit: GridUnit, message: str) -> None:
    if not scope_for(by).can(action, unit):
        raise PermissionDenied(message)


@transaction.atomic
def hazard_confirm(
    *,
    hazard: Hazard,
    by: User,
    grade: str,
    risk_method: str,
    risk_level: int | None = None,
    risk_inputs: dict | None = None,
    risk_reason: str = "",
    root_cause: str = "",
    note: str = "",
) -> Hazard:
    """The owning tier confirms a reported danger, grades it and sets its risk level. A major
    hazard passes to the county at once. The sector's county departments get a copy."""
    limits.bound_text("risk_reason", risk_reason or "", Hazard)
    bound_texts(note=(note, limits.NOTE_MAX_LENGTH))
    hazard = _locked(hazard)
    _require_state(hazard, [State.REPORTED], _("confirmed"))
    _require(by, HazardAction.RULE, hazard.owner_unit, _("Only the owning tier can confirm this hazard."))
    if grade not in Grade.values:
        raise ValidationError({"grade": _("Choose general or major.")})
    apply_grading(hazard, method=risk_method, level=risk_level, inputs=risk_inputs, reason=risk_reason)
    previous = hazard.state
    hazard.grade = grade
    if root_cause and hazard.family == Family.PRODUCTION:
        hazard.root_cause = root_cause
    hazard.state = State.CONFIRMED
    hazard.full_clean(exclude=["number"])
    hazard.save()
    _event(hazard, Action.CONFIRM, by, from_state=previous, note=note)
    if grade == Grade.MAJOR:
        _move_to_county(hazard, by, note=_("A major hazard is owned by the county."))
    _copy_to_departments(hazard, by)
    return hazard


@transaction.atomic
def hazard_reject(*, hazard: Hazard, by: User, reason: str) -> Hazard:
    """The owning tier finds that a report is not a hazard. The reason is required."""
    bound_texts(reason=(reason, limits.NOTE_MAX_LENGTH))
    hazard = _locked(hazard)
    _require_state(hazard, [State.REPORTED], _("rejected"))
    _require(by, HazardAction.RULE, hazard.owner_unit, _("Only the owning tier can rule on this hazard."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this is not a hazard.")})
    previous, hazard.state, hazard.closed_at = hazard.state, State.REJECTED, timezone.now()
    hazard.save(update_fields=["state", "closed_at", "updated_at"])
    _event(hazard, Action.REJECT, by, from_state=previous, note=reason)
    return hazard


@transaction.atomic
def hazard_plan(
    *,
    hazard: Hazard,
    by: User,
    measures: str,
    responsible_unit: str,
    responsible_person: str,
    deadline: datetime.date,
    contingency: str,
    funds: Decimal | None = None,
    responsible_phone: str = "",
    note: str = "",
) -> Hazard:
    """Set the five-in-place (措施、责任、资金、时限、预案) and start rectification."""
    bound_texts(
        measures=(measures, limits.LONG_TEXT_MAX_LENGTH),
        contingency=(contingency, limits.LONG_TEXT_MAX_LENGTH),
        note=(note, limits.NOTE_MAX_LENGTH),
    )
    hazard = _locked(hazard)
    _require_state(hazard, [State.CONFIRMED], _("given a rectification plan"))
    _require(by, HazardAction.RULE, hazard.owner_unit, _("Only the owning tier can set the rectification plan."))
    errors = {}
    for name, value in (
        ("measures", measures),
        ("responsible_unit", responsible_unit),
        ("responsible_person", responsible_person),
        ("contingency", contingency),
    ):
        if not (value or "").strip():
            errors[name] = _("Required for the five-in-place.")
    for name, check in (
        ("deadline", lambda: limits.bound_date("deadline", deadline, model=Hazard)),
        ("funds", lambda: limits.bound_decimal("funds", funds, Hazard)),
    ):
        try:
            check()
        except ValidationError as exc:
            errors[name] = exc.error_dict[name]
    if "deadline" in errors:
        pass
    elif deadline is None:
        errors["deadline"] = _("Required for the five-in-place.")
    elif deadline < timezone.localdate():
        errors["deadline"] = _("The deadline cannot be in the past.")
    if hazard.grade == Grade.MAJOR and funds is None:
        errors["funds"] = _("A major hazard's plan needs its funds.")
    if errors:
        raise ValidationError(errors)
    previous = hazard.state
    hazard.measures, hazard.responsible_unit, hazard.responsible_person = measures, responsible_unit, responsible_person
    hazard.responsible_phone, hazard.funds, hazard.deadline, hazard.contingency = (
        responsible_phone,
        funds,
        deadline,
        contingency,
    )
    hazard.state, hazard.overdue_since = State.RECTIFYING, None
    hazard.full_clean(exclude=["number"])
    hazard.save()
    _event(hazard, Action.PLAN, by, from_state=previous, note=note)
    return hazard


@transaction.atomic
def hazard_submit_evidence(
    *, hazard: Hazard, by: User, note: str, photos: Sequence, client_key: uuid.UUID | None = None
) -> Hazard:
    """Anyone with a role where the hazard is (the village officer too) reports it rectified, with photos.
    A repeated ``client_key`` from the same person (the phone's queue resending) changes nothing."""
    bound_texts(note=(note, limits.NOTE_MAX_LENGTH))
    processed = _check_photos(photos)
    return once(
        user=by,
        key=client_key,
        action="hazards.evidence",
        run=lambda: _submit_evidence(hazard, by, note, processed),
        result_of=lambda h: h.pk,
        replay=lambda pk: Hazard.objects.get(pk=pk),
    )


def _submit_evidence(hazard: Hazard, by: User, note: str, processed: list) -> Hazard:
    hazard = _locked(hazard)
    _require_state(hazard, [State.RECTIFYING], _("reported as rectified"))
    _require(by, HazardAction.EVIDENCE, hazard.unit, _("You may only add evidence in your own grid."))
    if not processed:
        raise ValidationError({"photos": _("Add at least one photo of the rectified place.")})
    previous, hazard.state = hazard.state, State.AWAITING_ACCEPTANCE
    hazard.save(update_fields=["state", "updated_at"])
    store_pending(hazard, processed, HazardPhoto.Kind.EVIDENCE, by)
    _event(hazard, Action.EVIDENCE, by, from_state=previous, note=note)
    return hazard


@transaction.atomic
def hazard_accept(*, hazard: Hazard, by: User, note: str = "") -> Hazard:
    """The owning tier accepts the rectification and closes the hazard (销号)."""
    bound_texts(note=(note, limits.NOTE_MAX_LENGTH))
    hazard = _locked(hazard)
    _require_state(hazard, [State.AWAITING_ACCEPTANCE], _("accepted"))
    _require(by, HazardAction.RULE, hazard.owner_unit, _("Only the owning tier can accept the rectification."))
    previous, hazard.state, hazard.closed_at, hazard.overdue_since = hazard.state, State.CLOSED, timezone.now(), None
    hazard.save(update_fields=["state", "closed_at", "overdue_since", "updated_at"])
    _event(hazard, Action.ACCEPT, by, from_state=previous, note=note)
    return hazard


@transaction.atomic
def hazard_fail_acceptance(*, hazard: Hazard, by: User, reason: str) -> Hazard:
    """The rectification is not good enough: back to rectifying, with the reason."""
    bound_texts(reason=(reason, limits.NOTE_MAX_LENGTH))
    hazard = _locked(hazard)
    _require_state(hazard, [State.AWAITING_ACCEPTANCE], _("sent back"))
    _require(by, HazardAction.RULE, hazard.owner_unit, _("Only the owning tier can rule on the rectification."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what is still wrong.")})
    previous, hazard.state = hazard.state, State.RECTIFYING
    hazard.save(update_fields=["state", "updated_at"])
    _event(hazard, Action.FAIL, by, from_state=previous, note=reason)
    return hazard


@transaction.atomic
def hazard_escalate(*, hazard: Hazard, by: User, reason: str) -> Hazard:
    """The owning tier passes an open hazard up one tier (beyond its authority). Lower tiers keep seeing it."""
    bound_texts(reason=(reason, limits.NOTE_MAX_LENGTH))
    hazard = _locked(hazard)
    _require_state(hazard, OPEN_STATES, _("passed up"))
    _require(by, HazardAction.RULE, hazard.owner_unit, _("Only the owning tier can pass this hazard up."))
    if hazard.owner_unit.parent_id is None:
        raise TransitionRefused(_("The county is the top tier; there is no tier above to pass it to."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this is beyond your tier.")})
    previous_owner = hazard.owner_unit
    hazard.owner_unit = previous_owner.parent
    hazard.save(update_fields=["owner_unit", "updated_at"])
    _event(
        hazard,
        Action.ESCALATE,
        by,
        from_state=hazard.state,
        note=reason,
        from_unit=previous_owner,
        to_unit=hazard.owner_unit,
    )
    if hazard.state != State.REPORTED:
        _copy_to_departments(hazard, by)
    return hazard


def _move_to_county(hazard: Hazard, by: User, *, note: str) -> None:
    county = hazard.unit.get_root()
    if hazard.owner_unit_id != county.pk:
        previous_owner = hazard.owner_unit
        hazard.owner_unit = county
        hazard.save(update_fields=["owner_unit", "updated_at"])
        _event(
            hazard, Action.ESCALATE, by, from_state=hazard.state, note=note, from_unit=previous_owner, to_unit=county
        )


@transaction.atomic
def hazard_supervise(
    *, hazard: Hazard, by: User, department: Department, deadline: datetime.date, requirements: str, order_no: str = ""
) -> Hazard:
    """The county puts a major hazard under listed supervision (挂牌督办) with a supervision order."""
    bound_texts(requirements=(requirements, limits.LONG_TEXT_MAX_LENGTH))
    hazard = _locked(hazard)
    _require_state(hazard, [State.CONFIRMED, State.RECTIFYING, State.AWAITING_ACCEPTANCE], _("put under supervision"))
    if hazard.grade != Grade.MAJOR:
        raise TransitionRefused(_("Only a major hazard is put under listed supervision."))
    if hazard.supervised:
        raise TransitionRefused(_("This hazard is already under listed supervision."))
    _require(
        by,
        HazardAction.SUPERVISE,
        hazard.owner_unit,
        _("Only the county's leaders and dispatchers can list a hazard for supervision."),
    )
    county = hazard.unit.get_root()
    if department.county_id != county.pk:
        raise ValidationError({"department": _("Choose a department of this county.")})
    deadline = limits.bound_date("deadline", deadline, model=Hazard)
    if deadline is None or deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The supervision deadline cannot be in the past.")})
    hazard.supervised, hazard.supervising_department, hazard.supervision_deadline = True, department, deadline
    hazard.supervision_requirements = requirements
    hazard.supervision_order_no = order_no or _("Supervision order %(number)s") % {"number": hazard.number}
    hazard.save(
        update_fields=[
            "supervised",
            "supervising_department",
            "supervision_deadline",
            "supervision_requirements",
            "supervision_order_no",
            "updated_at",
        ]
    )
    _event(hazard, Action.SUPERVISE, by, from_state=hazard.state, note=requirements)
    HazardCopy.objects.get_or_create(hazard=hazard, department=department)
    return hazard


def _copy_to_departments(hazard: Hazard, by: User) -> None:
    """Copy (抄告) to the county departments that supervise the hazard's sector, once each."""
    if hazard.category.sector_id is None:
        return
    county = hazard.unit.get_root()
    departments = Department.objects.filter(county=county, is_active=True, sectors=hazard.category.sector_id)
    already = set(hazard.copies.values_list("department_id", flat=True))
    new = [department for department in departments if department.pk not in already]
    for department in new:
        HazardCopy.objects.create(hazard=hazard, department=department)
        _event(hazard, Action.COPY, by, from_state=hazard.state, note=department.name)
    if new:  # the 抄告 arrives in each department's inbox, with its unread badge
        send_document(
            sender_unit=hazard.owner_unit or hazard.unit,
            kind=Document.Kind.HAZARD_COPY,
            title=(
                _("Copied to your department: %(number)s %(title)s") % {"number": hazard.number, "title": hazard.title}
            )[:200],
            url=reverse("hazards:detail", args=[hazard.pk]),
            by=by,
            to_departments=new,
        )


@transaction.atomic
def hazard_copy_feedback(*, copy: HazardCopy, by: User, feedback: str) -> HazardCopy:
    """A department's staff record what they did about a hazard copied to them (反馈)."""
    bound_texts(feedback=(feedback, limits.LONG_TEXT_MAX_LENGTH))
    copy = HazardCopy.objects.select_for_update(of=("self",)).select_related("hazard").get(pk=copy.pk)
    if not scope_for(by).serves_department(copy.department_id):
        raise PermissionDenied(_("Only the department the hazard was copied to can reply."))
    if not feedback.strip():
        raise ValidationError({"feedback": _("Write what the department did.")})
    copy.feedback, copy.feedback_by, copy.feedback_at = feedback, by, timezone.now()
    copy.save(update_fields=["feedback", "feedback_by", "feedback_at"])
    _event(copy.hazard, Action.FEEDBACK, by, from_state=copy.hazard.state, note=f"{copy.department.name}：{feedback}")
    return copy
