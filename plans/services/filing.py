"""Filing up a tier (备案): the issued version goes, as a delivery, to the receiver its
``FilingRoute`` names; the receiver's own people issue a 备案回执 with a number (per receiver and
year, under a row lock) or return it with reasons, and a returned version goes back to its owner,
who may file it again."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.sequences import next_value
from delivery.models import Document
from delivery.services import send_document
from grids.models import Department, GridUnit, User
from plans import access
from plans.models import Filing, FilingRoute, FilingSequence, Plan, PlanVersion, VersionState
from plans.permissions import PlanAction
from plans.services.ledger import (
    TransitionRefused,
    check_right,
    locked_plan,
    locked_version,
    require_state,
    save_step,
)


def route_for(plan: Plan) -> FilingRoute | None:
    """The route row for the plan's owner kind and kind, else the owner kind's default row."""
    rows = {
        row.plan_kind_id: row
        for row in FilingRoute.objects.filter(
            Q(plan_kind_id=plan.kind_id) | Q(plan_kind__isnull=True), owner_kind=plan.owner_kind
        )
    }
    return rows.get(plan.kind_id) or rows.get(None)


def receiver_of(plan: Plan, route: FilingRoute) -> GridUnit | Department:
    if route.receiver == FilingRoute.Receiver.PARENT and plan.unit.parent_id:
        return plan.unit.parent
    if route.receiver == FilingRoute.Receiver.LEAD_DEPARTMENT:
        if plan.lead_department_id is None:
            raise ValidationError(_("Name the plan's lead department before filing a special plan."))
        return plan.lead_department
    return plan.unit.get_root()


def allocate_filing_number(*, receiver: GridUnit | Department, year: int) -> str:
    """``<receiver>备〔year〕NNNN``: the next number of the receiver in ``year``, unique under
    concurrent receipts (the sequence row is updated under its row lock)."""
    key = f"u{receiver.pk}" if isinstance(receiver, GridUnit) else f"d{receiver.pk}"
    prefix = receiver.code if isinstance(receiver, GridUnit) else (receiver.short_name or receiver.name)
    with transaction.atomic():
        while True:
            number = f"{prefix}备〔{year}〕{next_value(FilingSequence, receiver=key, year=year):04d}"[:40]
            if not Filing.objects.filter(number=number).exists():
                return number


@transaction.atomic
def version_file(*, version: PlanVersion, by: User) -> Filing:
    """签发 → 备案: send the issued version to its receiver (and the copy its route asks for) as a
    delivery. A filing after the due date is flagged late. The owner's own people."""
    version = locked_version(version)
    plan = version.plan
    check_right(by, PlanAction.EDIT, plan)
    require_state(version.state, (VersionState.ISSUED,), _("Only an issued version is filed."))
    route = route_for(plan)
    if route is None:
        raise TransitionRefused(_("No filing route applies to this plan: ask the administrator to add one."))
    receiver = receiver_of(plan, route)
    now = timezone.now()
    filing = Filing(
        version=version,
        filed_by=by,
        filed_at=now,
        late=bool(version.filing_due and timezone.localdate(now) > version.filing_due),
    )
    filing._history_user = by
    if isinstance(receiver, GridUnit):
        filing.receiver_unit = receiver
    else:
        filing.receiver_department = receiver
    filing.save()
    units = [receiver] if isinstance(receiver, GridUnit) else []
    departments = [receiver] if isinstance(receiver, Department) else []
    county = plan.unit.get_root()
    if route.copy_to_county and county not in units:
        units.append(county)
    filing.document = send_document(
        sender_unit=plan.unit,
        kind=Document.Kind.PLAN_FILING,
        title=_("Plan filing: %(title)s (version %(n)s)") % {"title": plan.title, "n": version.number},
        body=_("%(owner)s files its plan issued on %(date)s.") % {"owner": plan.owner_name, "date": version.issued_on},
        url=reverse("plans:filing_detail", args=[filing.pk]),
        by=by,
        to_units=units,
        to_departments=departments,
    )
    filing.save(update_fields=["document"])
    version.state = VersionState.FILED
    save_step(version, ["state"], "file", by)
    return filing


def _locked_filing(filing: Filing) -> Filing:
    return (
        Filing.objects.select_for_update(of=("self",))
        .select_related("receiver_unit", "receiver_department", "version")
        .get(pk=filing.pk)
    )


def _check_receiver(by: User, filing: Filing) -> None:
    if not access.may_receive(by, filing):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only the receiving unit's own people may check this filing."))


@transaction.atomic
def filing_receipt(*, filing: Filing, by: User) -> Filing:
    """Issue the 备案回执: a filing number, the version in force (the one it replaces superseded)."""
    filing = _locked_filing(filing)
    _check_receiver(by, filing)
    if filing.state != Filing.State.PENDING:
        raise TransitionRefused(_("This filing has already been decided."))
    version = locked_version(filing.version_id)
    plan = locked_plan(version.plan_id)
    now = timezone.now()
    receiver = filing.receiver_unit or filing.receiver_department
    filing._history_user = by
    filing.number = allocate_filing_number(receiver=receiver, year=timezone.localdate(now).year)
    filing.state = Filing.State.RECEIPTED
    filing.decided_by = by
    filing.decided_at = now
    filing.save(update_fields=["number", "state", "decided_by", "decided_at"])
    if plan.current_version_id and plan.current_version_id != version.pk:
        previous = locked_version(plan.current_version_id)
        if previous.state in (VersionState.IN_FORCE, VersionState.REVISING):
            previous.state = VersionState.SUPERSEDED
            save_step(previous, ["state"], "superseded", by)
    version.state = VersionState.IN_FORCE
    version.in_force_since = timezone.localdate(now)
    save_step(version, ["state", "in_force_since"], "receipt", by)
    plan.current_version = version
    save_step(plan, ["current_version"], "receipt", by)
    from plans.services.clocks import triggers_close

    triggers_close(plan=plan, version=version, by=by)
    return filing


@transaction.atomic
def filing_return(*, filing: Filing, by: User, reason: str) -> Filing:
    """Return a filing with reasons: the version goes back to its owner (issued, to be filed again)."""
    filing = _locked_filing(filing)
    _check_receiver(by, filing)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the filing is returned.")})
    if filing.state != Filing.State.PENDING:
        raise TransitionRefused(_("This filing has already been decided."))
    version = locked_version(filing.version_id)
    filing._history_user = by
    filing.state = Filing.State.RETURNED
    filing.return_reason = reason[:2000]
    filing.decided_by = by
    filing.decided_at = timezone.now()
    filing.save(update_fields=["state", "return_reason", "decided_by", "decided_at"])
    version.state = VersionState.ISSUED
    save_step(version, ["state"], "returned", by)
    plan = version.plan
    sender = filing.receiver_unit or filing.receiver_department.county
    send_document(
        sender_unit=sender,
        kind=Document.Kind.PLAN_FILING,
        title=_("Plan filing returned: %(title)s") % {"title": plan.title},
        body=reason,
        url=reverse("plans:detail", args=[plan.pk]),
        by=by,
        to_units=[] if plan.department_id else [plan.unit],
        to_departments=[plan.department] if plan.department_id else [],
    )
    return filing
