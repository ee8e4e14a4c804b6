"""Every change to the grid: units, memberships. Each checks the caller's scope first.

Callers: the pages, the API, the admin and the import. None of them saves a unit or a
membership by another road.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.models import GridUnit, ImportJob, Membership, Role, User
from grids.scope import Action, forget_scope, scope_for

UNIT_FIELDS = (
    "name",
    "kind",
    "code",
    "credit_code",
    "boundary",
    "location",
    "population",
    "households",
    "address",
    "is_active",
)


def _require(by: User, action: str, unit: GridUnit | None, message: str) -> None:
    scope = scope_for(by)
    if unit is None:
        if not scope.is_superuser:
            raise PermissionDenied(message)
    elif not scope.can(action, unit):
        raise PermissionDenied(message)


@transaction.atomic
def unit_create(*, by: User, parent: GridUnit | None, **fields) -> GridUnit:
    """Add a unit under ``parent``. Only someone who manages ``parent`` (or a superuser for a county)."""
    _require(by, Action.MANAGE_GRID, parent, _("You may not add units here."))
    unit = GridUnit(parent=parent, **fields)
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
    unit.full_clean()
    unit.save(update_fields=[*changed, "updated_at"])
    return unit


@transaction.atomic
def unit_move(*, by: User, unit: GridUnit, new_parent: GridUnit | None, position: str = "last-child") -> GridUnit:
    """Move a unit (with its subtree) under ``new_parent``, refusing moves the grid forbids."""
    unit = GridUnit.objects.select_for_update().get(pk=unit.pk)
    _require(by, Action.MANAGE_GRID, unit, _("You may not move this unit."))
    _require(by, Action.MANAGE_GRID, new_parent, _("You may not move units into that unit."))
    if new_parent is not None and new_parent.tree_id == unit.tree_id and unit.lft <= new_parent.lft <= unit.rght:
        raise ValidationError(_("A unit cannot be placed inside itself."))
    candidate = GridUnit(
        parent=new_parent, kind=unit.kind, code=unit.code, credit_code=unit.credit_code, name=unit.name
    )
    candidate.clean()  # placement and code against the new parent
    if new_parent is None:
        unit.move_to(None)
    else:
        unit.move_to(new_parent, position)
    unit.refresh_from_db()
    unit._change_reason = _("moved")
    unit.save()
    forget_scope(by)
    return unit


@transaction.atomic
def unit_deactivate(*, by: User, unit: GridUnit) -> GridUnit:
    """Retire a unit: it keeps its code and its records, and drops out of the active grid."""
    return unit_update(by=by, unit=unit, is_active=False)


@transaction.atomic
def membership_grant(*, by: User, user: User, unit: GridUnit, role: str, note: str = "") -> Membership:
    """Give ``user`` a role in ``unit`` (idempotent: re-activates a past membership)."""
    _require(by, Action.MANAGE_GRID, unit, _("You may not assign roles in this unit."))
    role = Role(role)
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user, unit=unit, role=role, defaults={"note": note}
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    forget_scope(user)
    return membership


@transaction.atomic
def membership_revoke(*, by: User, membership: Membership) -> Membership:
    """End a membership; its history stays."""
    _require(by, Action.MANAGE_GRID, membership.unit, _("You may not change roles in this unit."))
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active"])
    return membership


def import_job_create(*, by: User, dataset: str, upload) -> ImportJob:
    """Store an uploaded file and queue its import once the upload is committed."""
    from grids.tasks import run_import_job

    job = ImportJob.objects.create(dataset=dataset, file=upload, original_name=upload.name[:200], created_by=by)
    transaction.on_commit(lambda: run_import_job.delay(job.pk))
    return job


def import_job_run(*, job_id: int) -> str:
    """Run a queued import as the person who uploaded it. Claimed with a conditional update."""
    from grids.importing import run_import

    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING
    )
    if not claimed:
        return "already claimed"
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        result = run_import(by=job.created_by, dataset=job.dataset, data=data, filename=job.original_name)
    except Exception as exc:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now(), errors=[{"row": 0, "message": str(exc)}]
        )
        raise
    job.status = ImportJob.Status.DONE if result.ok else ImportJob.Status.REFUSED
    job.errors = [error.as_dict() for error in result.errors]
    job.summary = result.summary()
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "errors", "summary", "finished_at"])
    return job.status
