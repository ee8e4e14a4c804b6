"""Evaluation and what follows: scores per indicator of the drill form's evaluation table
(weights from the rule table), the weighted score and its conclusion band (优/良/中/差), the
written reports; findings (问题清单) added and closed — a danger becomes a hazard in the register
through the hazard services, a plan problem raises a revision trigger (``drills.plan_link``)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from drills import access, plan_link
from drills.models import (
    DONE_STATES,
    ConclusionBand,
    Drill,
    DrillState,
    Evaluation,
    EvaluationIndicator,
    Finding,
    IndicatorScore,
)
from drills.services.common import TransitionRefused, locked_drill, locked_finding, require_state, save_step
from grids.models import GridUnit, User
from hazards.models import HazardCategory


def weighted_score(scores: dict[int, int], indicators: list[EvaluationIndicator]) -> Decimal:
    """Σ weight × score / Σ weight, two decimals (each score 0–100)."""
    total_weight = sum(i.weight for i in indicators)
    if not total_weight:
        raise ValidationError(_("No evaluation indicators are set for this drill form: ask the administrator."))
    total = sum(Decimal(i.weight) * Decimal(scores[i.pk]) for i in indicators)
    return (total / Decimal(total_weight)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def conclusion_for(score: Decimal) -> ConclusionBand:
    band = ConclusionBand.objects.filter(min_score__lte=score).order_by("-min_score").first()
    if band is None:
        raise ValidationError(_("No conclusion band covers this score: ask the administrator."))
    return band


@transaction.atomic
def drill_evaluate(
    *, drill: Drill, by: User, scores: dict[int, int], report: str = "", summary: str = ""
) -> Evaluation:
    """Score every indicator of the drill's form (0–100), conclude by band, mark the drill
    evaluated and tell its linked plans a drill was held. The organiser's people, once."""
    drill = locked_drill(drill)
    if not access.may_organise(by, drill):
        raise PermissionDenied(_("Only the organiser's people may do this."))
    require_state(drill.state, (DrillState.HELD,), _("Only a drill held and not yet evaluated is evaluated."))
    indicators = list(EvaluationIndicator.objects.filter(form=drill.form, is_active=True))
    missing = [i.name for i in indicators if i.pk not in scores]
    if missing:
        raise ValidationError({"scores": _("Score every indicator: %(names)s.") % {"names": "、".join(missing)}})
    for value in scores.values():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            raise ValidationError({"scores": _("Each score is a whole number from 0 to 100.")})
    score = weighted_score(scores, indicators)
    evaluation = Evaluation(
        drill=drill,
        score=score,
        conclusion=conclusion_for(score),
        report=report,
        summary=summary,
        evaluated_by=by,
        evaluated_at=timezone.now(),
    )
    evaluation.full_clean(exclude=["drill"])
    evaluation._history_user = by
    evaluation.save()
    IndicatorScore.objects.bulk_create(
        [IndicatorScore(evaluation=evaluation, indicator=i, score=scores[i.pk]) for i in indicators]
    )
    drill.state = DrillState.EVALUATED
    save_step(drill, ["state"], "evaluate", by)
    plan_link.drill_held(drill, by)
    return evaluation


@transaction.atomic
def finding_add(
    *,
    drill: Drill,
    by: User,
    kind: str,
    description: str,
    owner_unit: GridUnit,
    deadline: datetime.date,
    plan=None,
    hazard_category: HazardCategory | None = None,
) -> Finding:
    """Add a problem the drill exposed. A plan problem names one of the drill's plans and raises
    its revision trigger; a danger is reported into the hazard register in the owner unit."""
    drill = locked_drill(drill)
    if not access.may_organise(by, drill):
        raise PermissionDenied(_("Only the organiser's people may do this."))
    require_state(drill.state, DONE_STATES, _("Findings are added once the drill has been held."))
    if not access.scope_for(by).can_see(owner_unit):
        raise ValidationError({"owner_unit": _("The owner must be a unit you can see.")})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    finding = Finding(
        drill=drill,
        kind=kind,
        description=description.strip(),
        owner_unit=owner_unit,
        deadline=deadline,
        created_by=by,
    )
    if kind == Finding.Kind.PLAN_PROBLEM:
        if plan is None or not drill.linked_plans.filter(pk=plan.pk).exists():
            raise ValidationError({"plan": _("A plan problem names one of the drill's plans.")})
        finding.plan = plan
    if kind == Finding.Kind.DANGER and hazard_category is None:
        raise ValidationError({"hazard_category": _("Choose the kind of danger.")})
    finding.full_clean()
    if kind == Finding.Kind.DANGER:
        from hazards.services import hazard_report

        finding.hazard, _created = hazard_report(
            by=by,
            unit=owner_unit,
            category=hazard_category,
            title=finding.description[:100],
            description=_("Found in the drill “%(title)s”.") % {"title": drill.title},
            source="other",
        )
    finding._history_user = by
    finding._change_reason = "add"
    finding.save()
    if kind == Finding.Kind.PLAN_PROBLEM:
        plan_link.plan_problem_found(finding, by)
    return finding


@transaction.atomic
def finding_close(*, finding: Finding, by: User, note: str) -> Finding:
    """Close an open finding with how it was fixed; a second closure (even a concurrent one) is refused."""
    finding = locked_finding(finding)
    if not access.may_close(by, finding):
        raise PermissionDenied(_("Only the owner unit's people or the drill's organiser may close this finding."))
    require_state(finding.state, (Finding.State.OPEN,), _("This finding has been closed already."))
    if not note.strip():
        raise ValidationError({"closing_note": _("Say how the problem was fixed.")})
    finding.state, finding.closing_note = Finding.State.CLOSED, note.strip()
    finding.closed_at, finding.closed_by = timezone.now(), by
    finding.full_clean()
    save_step(finding, ["state", "closing_note", "closed_at", "closed_by"], "close", by)
    return finding


__all__ = ["TransitionRefused", "conclusion_for", "drill_evaluate", "finding_add", "finding_close", "weighted_score"]
