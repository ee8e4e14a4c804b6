"""The register: a plan and its versions, from draft through review to issue; revision and withdrawal.

States of a version: 起草 draft → 评审论证 review → 签发 issued → 备案 filed (``services.filing``) →
在用 in force; 修订中 revising (in force while a new version is drafted) → superseded once the new
one is in force; 废止 withdrawn with a reason, from any state but superseded."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.models import IncidentType
from grids.models import Department, GridUnit, User
from grids.scope import scope_for
from hazards.models import HazardCategory
from plans import access
from plans.files import document_extension
from plans.models import (
    OPEN_STATES,
    Plan,
    PlanDocument,
    PlanKind,
    PlanVersion,
    ReviewRecord,
    VersionState,
    owner_kind_of,
)
from plans.permissions import PlanAction


class TransitionRefused(Exception):
    """A step the version's state does not allow (or that someone else just took)."""


def locked_version(version: PlanVersion | int) -> PlanVersion:
    pk = version.pk if isinstance(version, PlanVersion) else version
    return (
        PlanVersion.objects.select_for_update(of=("self",))
        .select_related("plan", "plan__unit", "plan__department", "plan__kind")
        .get(pk=pk)
    )


def locked_plan(plan: Plan | int) -> Plan:
    pk = plan.pk if isinstance(plan, Plan) else plan
    return Plan.objects.select_for_update(of=("self",)).select_related("unit", "department", "kind").get(pk=pk)


def check_right(by: User, action: str, plan: Plan) -> None:
    if not access.may(by, action, plan):
        raise access._refuse(action)


def save_step(obj, fields: list[str], reason: str, by: User | None = None) -> None:
    obj._change_reason = reason  # the history row says why (the step's name)
    if by is not None:
        obj._history_user = by  # and who (outside a request too: the API, a task)
    obj.save(update_fields=fields)


def require_state(state: str, allowed: Iterable[str], message: str) -> None:
    if state not in allowed:
        raise TransitionRefused(message)


def _check_owner(by: User, unit: GridUnit, department: Department | None) -> None:
    scope = scope_for(by)
    if department is not None:
        if department.county_id != unit.pk:
            raise ValidationError({"department": _("A department's plan belongs to the department's county.")})
        if not scope.serves_department(department.pk):
            raise PermissionDenied(_("Only the department's own staff may draft its plans."))
    elif not scope.can(PlanAction.EDIT, unit):
        raise PermissionDenied(_("Only the unit's own people may draft its plans."))


def _set_relations(by, plan: Plan, hazard_categories, incident_types, linked_plans) -> None:
    linked = list(linked_plans)
    visible = set(
        access.linkable_plans(by, plan.unit).filter(pk__in=[p.pk for p in linked]).values_list("pk", flat=True)
    )
    if any(p.pk not in visible or p.pk == plan.pk for p in linked):
        raise ValidationError(
            {"linked_plans": _("A linked plan must be another plan you can see or one of the tiers above.")}
        )
    plan.hazard_categories.set(list(hazard_categories))
    plan.incident_types.set(list(incident_types))
    plan.linked_plans.set(linked)


@transaction.atomic
def plan_create(
    *,
    by: User,
    unit: GridUnit,
    kind: PlanKind,
    title: str,
    leader_name: str,
    department: Department | None = None,
    lead_department: Department | None = None,
    leader: User | None = None,
    contacts: str = "",
    hazard_categories: Iterable[HazardCategory] = (),
    incident_types: Iterable[IncidentType] = (),
    linked_plans: Iterable[Plan] = (),
) -> Plan:
    """Register a new plan of ``unit`` (or of ``department``, whose county ``unit`` is) with its
    first version, a draft. The owner's own people only."""
    _check_owner(by, unit, department)
    if lead_department is not None and lead_department.county_id != unit.get_root().pk:
        raise ValidationError({"lead_department": _("The lead department must be one of the county's.")})
    plan = Plan(
        title=title,
        kind=kind,
        unit=unit,
        department=department,
        lead_department=lead_department,
        leader_name=leader_name,
        leader=leader,
        contacts=contacts,
        created_by=by,
    )
    plan.full_clean(exclude=["current_version"])
    plan._change_reason = "create"
    plan._history_user = by
    plan.save()
    _set_relations(by, plan, hazard_categories, incident_types, linked_plans)
    version = PlanVersion(plan=plan, number=1)
    version._change_reason = "create"
    version._history_user = by
    version.save()
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, by: User, **fields) -> Plan:
    """Change the register fields of a plan (title, kind, leader, contacts, coverage, links).
    The owner's own people; not once the plan is withdrawn."""
    plan = locked_plan(plan)
    check_right(by, PlanAction.EDIT, plan)
    if plan.current_version_id and plan.current_version.state == VersionState.WITHDRAWN:
        raise TransitionRefused(_("A withdrawn plan cannot be changed."))
    relations = {
        name: fields.pop(name) for name in ("hazard_categories", "incident_types", "linked_plans") if name in fields
    }
    allowed = {"title", "kind", "lead_department", "leader_name", "leader", "contacts"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"plan_update cannot change {sorted(unknown)}")
    old_leader = plan.leader_name
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean(exclude=["current_version"])
    if fields:
        save_step(plan, list(fields), "update", by)
    if plan.leader_name != old_leader:
        from plans.services.clock_hooks import leader_name_changed

        leader_name_changed(plan=plan, old=old_leader, new=plan.leader_name, by=by)
    if relations:
        _set_relations(
            by,
            plan,
            relations.get("hazard_categories", plan.hazard_categories.all()),
            relations.get("incident_types", plan.incident_types.all()),
            relations.get("linked_plans", plan.linked_plans.all()),
        )
    return plan


@transaction.atomic
def document_add(*, version: PlanVersion, by: User, kind: str, upload) -> PlanDocument:
    """Attach a document to a version being drafted or reviewed. The file is checked by its
    content (``plans.files``) and stored under a random name; nothing is saved when it is refused."""
    version = locked_version(version)
    check_right(by, PlanAction.EDIT, version.plan)
    require_state(
        version.state,
        (VersionState.DRAFT, VersionState.REVIEW),
        _("Documents are attached while the version is drafted or reviewed."),
    )
    if kind not in PlanDocument.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of document.")})
    extension = document_extension(upload)
    original = (getattr(upload, "name", "") or "")[-200:] or f"{kind}{extension}"
    document = PlanDocument(version=version, kind=kind, original_name=original, size=upload.size, uploaded_by=by)
    document.file.save(f"{kind}{extension}", upload, save=False)
    document.save()
    return document


@transaction.atomic
def version_submit_review(*, version: PlanVersion, by: User) -> PlanVersion:
    """起草 → 评审论证: the draft goes to review. It needs its official text (送审稿)."""
    version = locked_version(version)
    check_right(by, PlanAction.EDIT, version.plan)
    require_state(version.state, (VersionState.DRAFT,), _("Only a draft can be sent to review."))
    if not version.documents.filter(kind=PlanDocument.Kind.OFFICIAL_TEXT).exists():
        raise ValidationError(_("Attach the plan's text before sending it to review."))
    version.state = VersionState.REVIEW
    save_step(version, ["state"], "submit_review", by)
    return version


@transaction.atomic
def review_record_add(
    *, version: PlanVersion, by: User, held_on: datetime.date, experts: str, opinions: str, handling: str
) -> ReviewRecord:
    """Record a review or argumentation (评审论证): experts, opinions and how each was handled."""
    version = locked_version(version)
    check_right(by, PlanAction.EDIT, version.plan)
    require_state(version.state, (VersionState.REVIEW,), _("Reviews are recorded while the version is under review."))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The review cannot be in the future.")})
    record = ReviewRecord(
        version=version, held_on=held_on, experts=experts, opinions=opinions, handling=handling, recorded_by=by
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def version_issue(
    *, version: PlanVersion, by: User, issued_on: datetime.date | None = None, issue_number: str = ""
) -> PlanVersion:
    """评审论证 → 签发: the owner's main leader signs and issues the reviewed version. The filing
    due date (working days of its ``FilingRoute``, on the working-day calendar) is stored on it."""
    from plans.services.filing import route_for
    from plans.workdays import add_workdays

    version = locked_version(version)
    check_right(by, PlanAction.ISSUE, version.plan)
    require_state(version.state, (VersionState.REVIEW,), _("Only a reviewed version can be issued."))
    if not version.reviews.exists():
        raise ValidationError(_("Record the review (experts, opinions, handling) before issuing."))
    today = timezone.localdate()
    issued_on = issued_on or today
    if issued_on > today:
        raise ValidationError({"issued_on": _("The issue date cannot be in the future.")})
    route = route_for(version.plan)
    version.state = VersionState.ISSUED
    version.issued_on = issued_on
    version.issued_by = by
    version.issue_number = issue_number[:60]
    version.filing_due = add_workdays(issued_on, route.due_workdays) if route else None
    save_step(version, ["state", "issued_on", "issued_by", "issue_number", "filing_due"], "issue", by)
    return version


@transaction.atomic
def version_open_revision(
    *,
    plan: Plan,
    by: User,
    summary: str = "",
    touches_command: bool = False,
    touches_procedure: bool = False,
    touches_grading: bool = False,
) -> PlanVersion:
    """在用 → 修订中: open a new draft version of a plan in force (it stays in force meanwhile).
    What it touches is recorded: touching the command system, the response procedure or the
    grading repeats review and filing; otherwise ``clocks.version_issue_into_force`` may skip them."""
    plan = locked_plan(plan)
    check_right(by, PlanAction.EDIT, plan)
    current = locked_version(plan.current_version_id) if plan.current_version_id else None
    if current is None or current.state != VersionState.IN_FORCE:
        raise TransitionRefused(_("A revision is opened on a plan in force."))
    if plan.versions.filter(state__in=OPEN_STATES).exists():
        raise TransitionRefused(_("A revision of this plan is already open."))
    current.state = VersionState.REVISING
    save_step(current, ["state"], "open_revision", by)
    number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PlanVersion(
        plan=plan,
        number=number,
        summary=summary,
        touches_command=bool(touches_command),
        touches_procedure=bool(touches_procedure),
        touches_grading=bool(touches_grading),
    )
    version._change_reason = "open_revision"
    version._history_user = by
    version.save()
    return version


@transaction.atomic
def version_withdraw(*, version: PlanVersion, by: User, reason: str) -> PlanVersion:
    """废止: withdraw a version, with a reason; the owner's main leader. Withdrawing the version in
    force withdraws the plan, and its open revision with it; withdrawing an open revision leaves
    the version in force as it was."""
    version = locked_version(version)
    plan = locked_plan(version.plan_id)
    check_right(by, PlanAction.ISSUE, plan)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the plan is withdrawn.")})
    require_state(
        version.state,
        (*OPEN_STATES, VersionState.IN_FORCE, VersionState.REVISING),
        _("This version is already withdrawn or superseded."),
    )
    if version.state == VersionState.FILED:
        raise TransitionRefused(_("The filing is being checked: wait for its receipt or return."))
    targets = [version]
    if version.pk == plan.current_version_id:
        targets += [locked_version(v) for v in plan.versions.filter(state__in=OPEN_STATES).exclude(pk=version.pk)]
        if any(v.state == VersionState.FILED for v in targets):
            raise TransitionRefused(_("The filing is being checked: wait for its receipt or return."))
    elif plan.current_version_id:
        current = locked_version(plan.current_version_id)
        if current.state == VersionState.REVISING:
            current.state = VersionState.IN_FORCE
            save_step(current, ["state"], "revision_withdrawn", by)
    for target in targets:
        target.state = VersionState.WITHDRAWN
        target.withdrawn_reason = reason[:1000]
        save_step(target, ["state", "withdrawn_reason"], "withdraw", by)
    return version


def owner_kind(plan: Plan) -> str:
    return owner_kind_of(plan.unit, plan.department_id)
