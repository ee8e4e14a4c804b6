"""Every change to the grid: units, memberships. Each checks the caller's scope first.

Callers: the pages, the API, the admin and the import. None of them saves a unit or a
membership by another road.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from core.services import enqueue, enqueue_many
from grids import limits, rules
from grids.models import GridUnit, ImportJob, Membership, Role, User, within_q
from grids.scope import Action, forget_scope, is_administrator, scope_for
from grids.signals import unit_moving

UNIT_FIELDS = (
    "name",
    "kind",
    "code",
    "credit_code",
    "is_hazardous",
    "boundary",
    "location",
    "population",
    "households",
    "address",
    "is_active",
)

logger = logging.getLogger(__name__)


def _require(by: User, action: str, unit: GridUnit | None, message: str) -> None:
    if unit is None:  # the top of the tree: a county
        if not is_administrator(by):
            raise PermissionDenied(message)
    elif not scope_for(by).can(action, unit):
        raise PermissionDenied(message)


UNIT_COUNTS = ("population", "households")


def _bound_numbers(unit: GridUnit) -> None:
    """The unit's counts fit their fields (``grids.limits``), whoever calls: form, API, import, admin."""
    errors: dict[str, list] = {}
    for name in UNIT_COUNTS:
        try:
            limits.bound_int(name, getattr(unit, name), GridUnit, allow_none=True)
        except ValidationError as exc:
            exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def unit_create(*, by: User, parent: GridUnit | None, **fields) -> GridUnit:
    """Add a unit under ``parent``. Only someone who manages ``parent`` (or a superuser for a county)."""
    _require(by, Action.MANAGE_GRID, parent, _("You may not add units here."))
    unit = GridUnit(parent=parent, **fields)
    _bound_numbers(unit)
    unit.full_clean()
    unit._change_reason = _("created")
    unit.save()
    forget_scope(by)
    return unit


@transaction.atomic
def unit_update(*, by: User, unit: GridUnit, **fields) -> GridUnit:
    """Change a unit's own fields (not its place in the tree: see ``unit_move``)."""
    unit = GridUnit.objects.select_for_update().get(pk=unit.pk)
    _require(by, Action.MANAGE_GRID, unit, _("You may not change this unit."))
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise ValueError(f"unit_update cannot change {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(unit, name) != value]
    if not changed:
        return unit
    for name in changed:
        setattr(unit, name, fields[name])
    if "code" in changed and unit.children.exists():
        raise ValidationError(
            {"code": _("The code of a unit with children cannot be changed; its children's codes derive from it.")}
        )
    _bound_numbers(unit)
    unit.full_clean()
    unit.save(update_fields=[*changed, "updated_at"])
    return unit


@transaction.atomic
def unit_move(
    *,
    by: User,
    unit: GridUnit,
    new_parent: GridUnit | None,
    position: str = "last-child",
    code: str | None = None,
) -> GridUnit:
    """Move a unit (with its subtree) under ``new_parent``, refusing moves the grid forbids.

    ``code`` gives the unit a new code as part of the move (a village moved to another township
    needs one: its code begins with its township's). The codes of the units below it, which
    derive from it, change with it: its old prefix is replaced by the new one in each. Who may
    call it: someone who manages both the unit and ``new_parent``. The unit, its subtree and the
    new parent are locked; the tree, the codes and the history change together or not at all.
    """
    unit = GridUnit.objects.select_for_update().get(pk=unit.pk)
    _require(by, Action.MANAGE_GRID, unit, _("You may not move this unit."))
    _require(by, Action.MANAGE_GRID, new_parent, _("You may not move units into that unit."))
    if new_parent is not None:
        new_parent = GridUnit.objects.select_for_update().get(pk=new_parent.pk)
        if new_parent.tree_id == unit.tree_id and unit.lft <= new_parent.lft <= unit.rght:
            raise ValidationError(_("A unit cannot be placed inside itself."))
    descendants = list(GridUnit.objects.select_for_update().filter(within_q(unit)).exclude(pk=unit.pk).order_by("lft"))
    new_codes = _codes_after_move(unit=unit, new_parent=new_parent, code=code, descendants=descendants)
    old_code = unit.code
    if unit.pk in new_codes:
        unit.code = new_codes[unit.pk]
        unit._change_reason = _("moved; code %(old)s → %(new)s") % {"old": old_code, "new": unit.code}
    else:
        unit._change_reason = _("moved")
    unit._history_user = by
    # ``move_to`` saves the unit (one history record); with a new code django-mptt also places
    # it among its new siblings in code order (``order_insertion_by``).
    unit_moving.send(sender=GridUnit, unit=unit)
    if new_parent is None:
        unit.move_to(None)
    else:
        unit.move_to(new_parent, position)
    recoded = [descendant for descendant in descendants if descendant.pk in new_codes]
    if recoded:
        now = timezone.now()
        for descendant in recoded:
            descendant.code = new_codes[descendant.pk]
            descendant.updated_at = now
        bulk_update_with_history(
            recoded,
            GridUnit,
            ["code", "updated_at"],
            batch_size=500,
            default_user=by,
            default_change_reason=_("code changed with %(unit)s: %(old)s → %(new)s")
            % {"unit": unit.name, "old": old_code, "new": unit.code},
        )
    unit.refresh_from_db()
    forget_scope(by)
    return unit


def unit_move_check(*, unit: GridUnit, new_parent: GridUnit | None, code: str | None = None) -> dict[int, str]:
    """What ``unit_move`` would refuse, checked without writing or locking (for forms).

    Returns the new code of each unit whose code the move would change, by primary key.
    """
    descendants = list(unit.get_descendants().order_by("lft"))
    return _codes_after_move(unit=unit, new_parent=new_parent, code=code, descendants=descendants)


MAX_LISTED_PROBLEMS = 5


def _children_prefix(kind: str, code: str) -> str:
    """The part of a unit's code that the codes of the units below it begin with (rules.check_code)."""
    if kind in rules.TOWNSHIP_KINDS:
        return code[:9]
    if rules.TIER_OF_KIND.get(kind) == 1:
        return code[:6]
    return code  # a park: its enterprises are "<park code>-<suffix>"; tier 3 has no children


def _codes_after_move(
    *, unit: GridUnit, new_parent: GridUnit | None, code: str | None, descendants: list[GridUnit]
) -> dict[int, str]:
    """Check placement and codes after the move; return {pk: new code} of every code that changes.

    ``descendants`` are the units below ``unit`` in tree order (parents before children).
    """
    new_code = (code or "").strip().upper() or unit.code
    candidate = GridUnit(parent=new_parent, kind=unit.kind, code=new_code, credit_code=unit.credit_code, name=unit.name)
    try:
        candidate.clean()  # placement and code against the new parent
    except ValidationError as exc:
        errors = exc.update_error_dict({})
        misplaced = "parent" in errors or "kind" in errors
        if new_code == unit.code and "code" in errors and new_parent is not None and not misplaced:
            errors["code"].append(_new_code_needed(unit, new_parent))
        raise ValidationError(errors) from None
    if new_code == unit.code:
        return {}

    new_codes = {unit.pk: new_code}
    old_prefix, new_prefix = _children_prefix(unit.kind, unit.code), _children_prefix(unit.kind, new_code)
    problems: list[str] = []
    if old_prefix != new_prefix:
        for descendant in descendants:
            if not descendant.code.startswith(old_prefix):
                problems.append(
                    _("%(unit)s (%(code)s) does not begin with %(prefix)s and cannot follow the new code.")
                    % {"unit": descendant.name, "code": descendant.code, "prefix": old_prefix}
                )
                continue
            parent_code = new_codes.get(descendant.parent_id)
            if parent_code is None:  # below a unit already listed as a problem
                continue
            recoded = new_prefix + descendant.code[len(old_prefix) :]
            try:
                rules.check_code(kind=descendant.kind, code=recoded, parent_code=parent_code)
            except ValidationError as exc:
                problems.append(
                    _("%(unit)s would get the code %(code)s: %(error)s")
                    % {"unit": descendant.name, "code": recoded, "error": " ".join(exc.messages)}
                )
            new_codes[descendant.pk] = recoded
    if not problems:
        # Codes outside the subtree, and the subtree's present codes (rows are updated one by one).
        # (The other unit may be outside the caller's scope: its name is not shown.)
        taken = GridUnit.objects.filter(code__in=list(new_codes.values())).values_list("code", flat=True)
        problems = [
            _("The code %(code)s is already used by another unit.") % {"code": taken_code}
            for taken_code in taken[:MAX_LISTED_PROBLEMS]
        ]
    if problems:
        if len(problems) > MAX_LISTED_PROBLEMS:
            problems = problems[:MAX_LISTED_PROBLEMS] + [_("… and more.")]
        raise ValidationError({"code": problems})
    return new_codes


def _new_code_needed(unit: GridUnit, new_parent: GridUnit) -> ValidationError:
    """The hint added when a move is refused for the code the unit would keep."""
    old_prefix = _children_prefix(unit.parent.kind, unit.parent.code) if unit.parent_id else ""
    new_prefix = _children_prefix(new_parent.kind, new_parent.code)
    example = ""
    if old_prefix and unit.code.startswith(old_prefix):
        example = new_prefix + unit.code[len(old_prefix) :]
        try:
            rules.check_code(kind=unit.kind, code=example, parent_code=new_parent.code)
        except ValidationError:
            example = ""
        else:
            if GridUnit.objects.filter(code=example).exists():
                example = ""
    if example:
        message = _("Give the unit a new code with the move, beginning with %(prefix)s, e.g. %(example)s.") % {
            "prefix": new_prefix,
            "example": example,
        }
    else:
        message = _("Give the unit a new code with the move, beginning with %(prefix)s.") % {"prefix": new_prefix}
    return ValidationError(message, code="new_code_needed")


@transaction.atomic
def unit_deactivate(*, by: User, unit: GridUnit) -> GridUnit:
    """Retire a unit: it keeps its code and its records, and drops out of the active grid."""
    return unit_update(by=by, unit=unit, is_active=False)


@transaction.atomic
def membership_grant(*, by: User, user: User, unit: GridUnit, role: str, note: str = "") -> Membership:
    """Give ``user`` a role in ``unit`` (idempotent: re-activates a past membership). The granter
    manages the unit and the person: every place the person's rights already come from, and the
    unit (``GridScope.may_manage_person``) — so nobody grants themselves a role, nor widens the
    rights of someone whose other roles lie outside their own scope."""
    _require(by, Action.MANAGE_GRID, unit, _("You may not assign roles in this unit."))
    if not scope_for(by).may_manage_person(user, also=[unit]):
        raise PermissionDenied(_("You may not give roles to this person: they hold roles outside your units."))
    note = limits.bound_text("note", note or "", Membership)
    role = Role(role)
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user, unit=unit, role=role, defaults={"note": note}
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
        created = True  # a leader again: the same as a new one for the plans
    if created:
        _leader_changed(membership, granted=True)
    forget_scope(user)
    return membership


def _leader_changed(membership: Membership, *, granted: bool) -> None:
    """Tell the apps above (``grids.signals``) that a unit's grid leader changed, inside the same
    transaction: what they write (plans' revision triggers) commits with the change, or not at all.
    A receiver's failure is logged and rolled back to its savepoint; the grant itself stands."""
    if membership.role != Role.GRID_LEADER:
        return
    from grids.signals import grid_leader_changed

    try:
        with transaction.atomic():
            grid_leader_changed.send(
                sender=Membership,
                unit_id=membership.unit_id,
                user_id=membership.user_id,
                membership_id=membership.pk,
                granted=granted,
            )
    except Exception:
        logger.exception("a receiver of grid_leader_changed failed for membership %s", membership.pk)


@transaction.atomic
def membership_revoke(*, by: User, membership: Membership) -> Membership:
    """End a membership; its history stays."""
    _require(by, Action.MANAGE_GRID, membership.unit, _("You may not change roles in this unit."))
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        _leader_changed(membership, granted=False)
    return membership


def import_job_create(*, by: User, dataset: str, upload) -> ImportJob:
    """Store an uploaded file and queue its import once the upload is committed (through the
    outbox: if the broker is down, the upload still succeeds and the import runs when it is back)."""
    job = ImportJob.objects.create(dataset=dataset, file=upload, original_name=upload.name[:200], created_by=by)
    enqueue("grids.tasks.run_import_job", job.pk)
    return job


IMPORT_STALE_MINUTES = 30  # settings.IMPORT_STALE_MINUTES overrides
IMPORT_MAX_ATTEMPTS = 3  # settings.IMPORT_MAX_ATTEMPTS overrides


class _ClaimLost(Exception):
    """The job was given to another worker while this one was importing: undo this import."""


def import_job_claim(*, job_id: int, now: datetime | None = None) -> int | None:
    """Claim a queued import for this worker (pending → running) with a conditional update.

    Returns the attempt number that identifies this claim, or None if the job was not pending.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING, started_at=now or timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    return ImportJob.objects.filter(pk=job_id).values_list("attempts", flat=True).get()


def import_job_run(*, job_id: int, now: datetime | None = None) -> str:
    """Run a queued import as the person who uploaded it. Called by the Celery task only.

    The job is claimed with a conditional update, so a message delivered twice imports once. The
    import and the job's outcome are committed together, and only while the claim is still this
    worker's: if the job was handed to another worker as stale (``import_jobs_requeue_stale``),
    this worker's import is rolled back.
    """
    from grids.importing import run_import

    attempt = import_job_claim(job_id=job_id, now=now)
    if attempt is None:
        return "already claimed"
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    ours = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING, attempts=attempt)
    try:
        with transaction.atomic():
            with job.file.open("rb") as handle:
                data = handle.read()
            result = run_import(by=job.created_by, dataset=job.dataset, data=data, filename=job.original_name)
            finished = ours.update(
                status=ImportJob.Status.DONE if result.ok else ImportJob.Status.REFUSED,
                errors=[error.as_dict() for error in result.errors],
                summary=result.summary(),
                finished_at=timezone.now(),
            )
            if not finished:
                raise _ClaimLost
    except _ClaimLost:
        return "claim lost"
    except Exception as exc:
        ours.update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now(), errors=[{"row": 0, "message": str(exc)}]
        )
        raise
    return ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).get()


@transaction.atomic
def import_jobs_requeue_stale(*, now: datetime | None = None) -> dict[str, list[int]]:
    """Give imports whose worker died back to the queue; give up after too many attempts.

    A job running for longer than ``IMPORT_STALE_MINUTES`` goes back to pending and is queued
    again (the import is one transaction, so nothing of the dead worker's run was saved); a job
    that has already been claimed ``IMPORT_MAX_ATTEMPTS`` times is marked failed instead. Called
    by the periodic task ``grids.tasks.requeue_stale_imports``; it changes no one's data.
    """
    now = now or timezone.now()
    stale_after = timedelta(minutes=getattr(settings, "IMPORT_STALE_MINUTES", IMPORT_STALE_MINUTES))
    max_attempts = getattr(settings, "IMPORT_MAX_ATTEMPTS", IMPORT_MAX_ATTEMPTS)
    # Jobs claimed before ``started_at`` existed have none: they are stale too.
    stale = ImportJob.objects.filter(status=ImportJob.Status.RUNNING).filter(
        Q(started_at__lt=now - stale_after) | Q(started_at__isnull=True)
    )
    # Rows a worker is finishing right now are locked by it: skip them, they are not stale.
    found = list(stale.select_for_update(skip_locked=True).values_list("pk", "attempts"))
    give_up = [pk for pk, attempts in found if attempts >= max_attempts]
    retry = [pk for pk, attempts in found if attempts < max_attempts]
    if give_up:
        message = _(
            "The import was interrupted %(count)d times (the worker stopped before finishing); "
            "nothing was imported. Check the file size or upload it again later."
        ) % {"count": max_attempts}
        stale.filter(pk__in=give_up).update(
            status=ImportJob.Status.FAILED, finished_at=now, errors=[{"row": 0, "message": message}]
        )
    if retry:
        stale.filter(pk__in=retry).update(status=ImportJob.Status.PENDING, started_at=None)
        enqueue_many("grids.tasks.run_import_job", [(pk,) for pk in retry])
    return {"requeued": retry, "failed": give_up}


IMPORT_PENDING_MINUTES = 5  # settings.IMPORT_PENDING_MINUTES overrides


@transaction.atomic
def import_jobs_requeue_pending(*, now: datetime | None = None) -> list[int]:
    """Queue again the imports still pending ``IMPORT_PENDING_MINUTES`` after their upload: their
    message never reached a worker (the broker was down, or lost its queue in a restart). A job
    already queued and merely waiting runs once anyway: the first worker claims it, the second
    message finds it claimed. Called by ``grids.tasks.requeue_stale_imports``; returns the ids."""
    now = now or timezone.now()
    waited = timedelta(minutes=getattr(settings, "IMPORT_PENDING_MINUTES", IMPORT_PENDING_MINUTES))
    pending = list(
        ImportJob.objects.filter(status=ImportJob.Status.PENDING, created_at__lt=now - waited, started_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    enqueue_many("grids.tasks.run_import_job", [(pk,) for pk in pending])
    return pending
