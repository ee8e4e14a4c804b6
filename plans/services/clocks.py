"""The plan clocks (评估, 演练, 备案) and revision triggers (修订情形).

- Intervals come from ``ClockRule`` (every row a minimum: when several apply, the shortest wins).
  The next evaluation or drill is due the interval after the later of the last record and the date
  the version in force came into force; the filing is due on the issued version (``filing_due``).
- ``drill_recorded`` is the hook the drills register calls; a drill that found a problem in the
  plan raises a trigger. ``evaluation_record`` likewise when the evaluation calls for revision.
- ``trigger_raise`` is idempotent per open trigger of the same source object (``source_key``,
  under the plan's row lock, backed by a partial unique constraint). Triggers close when a new
  version of the plan comes into force (``triggers_close``, from ``filing_receipt`` and from
  ``version_issue_into_force``).
- A revision that touches neither the command system, the response procedure nor the grading
  (the three booleans of the version, set when it is opened) may be issued straight into force
  without a new review or filing (``version_issue_into_force``); any other version repeats review
  and filing (the ordinary flow of ``plans.services.ledger`` and ``filing``)."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.registry import evaluation_blockers
from grids import limits
from grids.models import User
from plans.models import (
    Clock,
    ClockRule,
    HighRiskUnit,
    Plan,
    PlanDocument,
    PlanDrill,
    PlanEvaluation,
    PlanVersion,
    RevisionTrigger,
    TriggerCase,
    TriggerSource,
    VersionState,
)
from plans.permissions import PlanAction
from plans.services.ledger import TransitionRefused, check_right, locked_plan, locked_version, save_step

LIVE_STATES = (VersionState.IN_FORCE, VersionState.REVISING)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months; the 29–31st of a month become its last day when
    the target month is shorter (29 February + 12 months is 28 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- the rule table --------------------------------------------------------------------------------


@dataclass
class RuleBook:
    """The active rule rows and the high-risk list, read once (two queries) for any number of plans."""

    rules: list[ClockRule]
    high_risk: set[int]

    @classmethod
    def load(cls, unit_ids: Iterable[int] | None = None) -> RuleBook:
        listed = HighRiskUnit.objects.all()
        if unit_ids is not None:
            listed = listed.filter(unit_id__in=list(unit_ids))
        return cls(list(ClockRule.objects.filter(is_active=True)), set(listed.values_list("unit_id", flat=True)))

    def months(self, plan: Plan, clock: str) -> int | None:
        """The interval of ``clock`` for ``plan``: the shortest of the rows that apply, None if none."""
        owner = plan.owner_kind
        high_risk = plan.unit_id in self.high_risk and not plan.department_id
        found = [
            rule.months
            for rule in self.rules
            if rule.clock == clock
            and rule.owner_kind in ("", owner)
            and rule.plan_kind_id in (None, plan.kind_id)
            and (high_risk or not rule.high_risk_only)
        ]
        return min(found) if found else None


@dataclass
class PlanClocks:
    """The due dates of one plan's clocks (None: the clock does not apply or has no start)."""

    plan: Plan
    evaluation_due: datetime.date | None = None
    drill_due: datetime.date | None = None
    filing_due: datetime.date | None = None
    last_evaluation: datetime.date | None = None
    last_drill: datetime.date | None = None
    evaluation_months: int | None = None
    drill_months: int | None = None
    issued_version: PlanVersion | None = None
    triggers: list[RevisionTrigger] = field(default_factory=list)

    def due(self, clock: str) -> datetime.date | None:
        return {Clock.EVALUATION: self.evaluation_due, Clock.DRILL: self.drill_due, Clock.FILING: self.filing_due}[
            clock
        ]


def last_records(plan_ids: list[int]) -> tuple[dict[int, datetime.date], dict[int, datetime.date]]:
    """The last evaluation and the last drill of each plan: two queries."""
    evaluations = dict(
        PlanEvaluation.objects.filter(plan_id__in=plan_ids)
        .values("plan_id")
        .annotate(last=Max("held_on"))
        .values_list("plan_id", "last")
    )
    drills = dict(
        PlanDrill.objects.filter(plan_id__in=plan_ids)
        .values("plan_id")
        .annotate(last=Max("held_on"))
        .values_list("plan_id", "last")
    )
    return evaluations, drills


def clocks_for(
    plan: Plan,
    book: RuleBook,
    *,
    last_evaluation: datetime.date | None,
    last_drill: datetime.date | None,
    issued_version: PlanVersion | None = None,
) -> PlanClocks:
    """The due dates of ``plan`` (its ``current_version`` loaded) from what was read in bulk."""
    result = PlanClocks(plan=plan, last_evaluation=last_evaluation, last_drill=last_drill)
    current = plan.current_version
    if current is not None and current.state in LIVE_STATES:
        start = current.in_force_since or current.issued_on
        result.evaluation_months = book.months(plan, Clock.EVALUATION)
        result.drill_months = book.months(plan, Clock.DRILL)
        if start and result.evaluation_months:
            base = max(filter(None, [start, last_evaluation]))
            result.evaluation_due = add_months(base, result.evaluation_months)
        if start and result.drill_months:
            base = max(filter(None, [start, last_drill]))
            result.drill_due = add_months(base, result.drill_months)
    if issued_version is not None:
        result.issued_version = issued_version
        result.filing_due = issued_version.filing_due
    return result


def plan_clocks(plan: Plan) -> PlanClocks:
    """The clocks of one plan (the plan page)."""
    evaluations, drills = last_records([plan.pk])
    issued = plan.versions.filter(state=VersionState.ISSUED).order_by("-number").first()
    return clocks_for(
        plan,
        RuleBook.load([plan.unit_id]),
        last_evaluation=evaluations.get(plan.pk),
        last_drill=drills.get(plan.pk),
        issued_version=issued,
    )


# --- records that move the clocks ----------------------------------------------------------------


def _check_day(name: str, day, model) -> datetime.date:
    day = limits.bound_date(name, day, model=model, allow_none=False)
    if day > timezone.localdate():
        raise ValidationError({name: _("The date cannot be in the future.")})
    return day


def _require_live(plan: Plan) -> None:
    if plan.current_version_id is None or plan.current_version.state not in LIVE_STATES:
        raise TransitionRefused(_("Evaluations and drills are recorded for a plan in force."))


@transaction.atomic
def evaluation_record(
    *,
    plan: Plan,
    by: User,
    held_on: datetime.date,
    evaluated_by: str,
    conclusion: str,
    calls_for_revision: bool = False,
    case: str = TriggerCase.OTHER,
) -> PlanEvaluation:
    """Record an evaluation (评估) of a plan in force; the owner's own people. One that calls for
    revision raises a trigger (``case``, default "other")."""
    plan = locked_plan(plan)
    check_right(by, PlanAction.EDIT, plan)
    _require_live(plan)
    blockers = evaluation_blockers(plan.pk)  # e.g. drills: problems found in drills still open
    if blockers:
        raise TransitionRefused("；".join(blockers))
    held_on = _check_day("held_on", held_on, PlanEvaluation)
    if calls_for_revision and case not in TriggerCase.values:
        raise ValidationError({"case": _("Choose one of the cases for revision.")})
    evaluation = PlanEvaluation(
        plan=plan,
        held_on=held_on,
        evaluated_by=(evaluated_by or "").strip(),
        conclusion=(conclusion or "").strip(),
        calls_for_revision=bool(calls_for_revision),
        recorded_by=by,
    )
    evaluation.full_clean()
    evaluation._history_user = by
    evaluation.save()
    if evaluation.calls_for_revision:
        trigger_raise(
            plan=plan,
            case=case,
            source=TriggerSource.EVALUATION,
            source_key=f"evaluation:{evaluation.pk}",
            note=evaluation.conclusion,
            by=by,
        )
    return evaluation


@transaction.atomic
def drill_recorded(
    plan: Plan, held_on: datetime.date, by: User | None, plan_problem: bool, note: str = ""
) -> PlanDrill:
    """A drill of ``plan`` was held on ``held_on``: the hook the drills register calls (it checks its
    own rights); ``drill_record`` is the plan page's way in. A drill that found a problem in the
    plan (``plan_problem``) raises a trigger (case: problems found in a drill)."""
    plan = locked_plan(plan)
    _require_live(plan)
    held_on = _check_day("held_on", held_on, PlanDrill)
    drill = PlanDrill(plan=plan, held_on=held_on, plan_problem=bool(plan_problem), note=(note or "").strip(),
                      recorded_by=by)  # fmt: skip
    drill.full_clean()
    if by is not None:
        drill._history_user = by
    drill.save()
    if drill.plan_problem:
        trigger_raise(
            plan=plan,
            case=TriggerCase.PRACTICE,
            source=TriggerSource.DRILL,
            source_key=f"drill:{drill.pk}",
            note=drill.note or _("The drill of %(date)s found a problem in the plan.") % {"date": held_on},
            by=by,
        )
    return drill


@transaction.atomic
def drill_record(*, plan: Plan, by: User, held_on: datetime.date, plan_problem: bool = False, note: str = ""):
    """Record a drill by hand from the plan page (until the drills register exists): the owner's own people."""
    check_right(by, PlanAction.EDIT, plan)
    return drill_recorded(plan, held_on, by, plan_problem, note)


# --- revision triggers -----------------------------------------------------------------------------


@transaction.atomic
def trigger_raise(
    *, plan: Plan, case: str, source: str, note: str = "", by: User | None = None, source_key: str = ""
) -> RevisionTrigger:
    """Raise a revision trigger on ``plan``. With a ``source_key`` (the drill, incident, membership
    or evaluation it comes from) a second raise while the first is open returns the first."""
    if case not in TriggerCase.values:
        raise ValidationError({"case": _("Choose one of the cases for revision.")})
    if source not in TriggerSource.values:
        raise ValidationError({"source": _("Unknown source of a trigger.")})
    plan = locked_plan(plan)
    note = limits.bound_text("note", (note or "").strip(), RevisionTrigger) if note else ""
    if source_key:
        existing = RevisionTrigger.objects.filter(
            plan=plan, source=source, source_key=source_key, closed_at__isnull=True
        ).first()
        if existing is not None:
            return existing
    trigger = RevisionTrigger(
        plan=plan, case=case, source=source, source_key=source_key[:60], note=note, raised_at=timezone.now(),
        raised_by=by,
    )  # fmt: skip
    if by is not None:
        trigger._history_user = by
    try:
        with transaction.atomic():
            trigger.save()
    except IntegrityError:  # raised at the same moment by another request (the constraint held)
        return RevisionTrigger.objects.get(plan=plan, source=source, source_key=source_key, closed_at__isnull=True)
    return trigger


@transaction.atomic
def trigger_raise_by_hand(*, plan: Plan, by: User, case: str, note: str = "") -> RevisionTrigger:
    """Record a revision trigger on the plan page: the owner's own people, on a plan in force."""
    plan = locked_plan(plan)
    check_right(by, PlanAction.EDIT, plan)
    _require_live(plan)
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what changed.")})
    return trigger_raise(plan=plan, case=case, source=TriggerSource.MANUAL, note=note, by=by)


def triggers_close(*, plan: Plan, version: PlanVersion, by: User | None) -> int:
    """A new version of ``plan`` came into force: close its open triggers with it (history kept)."""
    now = timezone.now()
    closed = 0
    for trigger in RevisionTrigger.objects.select_for_update(of=("self",)).filter(plan=plan, closed_at__isnull=True):
        trigger.closed_by_version = version
        trigger.closed_at = now
        save_step(trigger, ["closed_by_version", "closed_at"], "closed_by_version", by)
        closed += 1
    return closed


# --- the minor-revision branch ---------------------------------------------------------------------


def repeats_review_and_filing(version: PlanVersion) -> bool:
    """A first version, and a revision touching the command system, the response procedure or the
    grading, repeat review and filing (RULES.md §5.1); another revision need not."""
    return version.number == 1 or version.touches_command or version.touches_procedure or version.touches_grading


@transaction.atomic
def version_issue_into_force(
    *, version: PlanVersion, by: User, issued_on: datetime.date | None = None, issue_number: str = ""
) -> PlanVersion:
    """A minor revision (it touches neither command, procedure nor grading): the owner's main
    leader issues it and it comes into force at once, without a new review or filing; the version
    it revises is superseded and the plan's open triggers close."""
    version = locked_version(version)
    plan = locked_plan(version.plan_id)
    check_right(by, PlanAction.ISSUE, plan)
    if repeats_review_and_filing(version):
        raise TransitionRefused(
            _(
                "This version touches the command system, the response procedure or the grading: it is reviewed and filed."
            )
        )
    if version.state not in (VersionState.DRAFT, VersionState.REVIEW, VersionState.ISSUED):
        raise TransitionRefused(_("Only an open revision can be brought into force."))
    if not version.documents.filter(kind=PlanDocument.Kind.OFFICIAL_TEXT).exists():
        raise ValidationError(_("Attach the plan's text before issuing it."))
    today = timezone.localdate()
    issued_on = version.issued_on or issued_on or today
    if issued_on > today:
        raise ValidationError({"issued_on": _("The issue date cannot be in the future.")})
    if plan.current_version_id and plan.current_version_id != version.pk:
        previous = locked_version(plan.current_version_id)
        if previous.state in LIVE_STATES:
            previous.state = VersionState.SUPERSEDED
            save_step(previous, ["state"], "superseded", by)
    version.state = VersionState.IN_FORCE
    version.issued_on = issued_on
    version.issued_by = version.issued_by or by
    version.issue_number = (issue_number or version.issue_number)[:60]
    version.in_force_since = today
    save_step(version, ["state", "issued_on", "issued_by", "issue_number", "in_force_since"], "issue_into_force", by)
    plan.current_version = version
    save_step(plan, ["current_version"], "issue_into_force", by)
    triggers_close(plan=plan, version=version, by=by)
    return version
