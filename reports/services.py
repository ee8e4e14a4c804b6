"""Monthly hazard reports and risk consultations: compiled by jobs, signed by people, sent one
tier up through ``delivery.services``.

The jobs are idempotent: reports and consultations are keyed by (unit, period) with unique
constraints; a run claims the rows it fills with row locks (``skip_locked``) and only fills rows
still pending, so a second run, a late run, or a rerun after a crash finishes the work without
doubling it."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import add_months, day_in_month, month_start, period_end, period_start
from delivery import services as delivery
from delivery.models import Document
from grids import limits
from grids.models import GridUnit, User
from grids.scope import scope_for
from hazards.models import HazardCategory
from reports import figures, monthly
from reports.access import may_record, may_sign
from reports.briefing import consultation_briefings
from reports.models import Consultation, Countermeasure, MonthlyReport, ReportingRule
from reports.permissions import ReportAction
from reports.selectors import fresh_briefing


class ReportRefused(Exception):
    """A step the report's state does not allow."""


# --- monthly hazard reports ---------------------------------------------------------------------


def _rules(kind: str) -> dict[int, ReportingRule]:
    return {rule.tier: rule for rule in ReportingRule.objects.filter(kind=kind, is_active=True)}


def _reports_due(rules: dict[int, ReportingRule], period: datetime.date) -> dict[int, ReportingRule]:
    """The tiers whose reporting period starts at ``period`` (every tier for monthly rules; a
    quarterly tier only at the start of a quarter: ``ReportingRule.period_months``)."""
    return {tier: rule for tier, rule in rules.items() if period_start(period, rule.period_months) == period}


def monthly_reports_open(*, period: datetime.date, tiers: set[int] | None = None) -> int:
    """Create the (pending) report of every unit of a reporting tier whose period starts at
    ``period`` (``ReportingRule.period_months``: 1 every month, 3 every quarter…), once. A report
    covers its tier's whole period and is due by the rule's day of the month after it. ``tiers``:
    only these (the monthly job opens each tier's period that just ended)."""
    period = month_start(limits.bound_date("period", period, allow_none=False))
    rules = _reports_due(_rules(ReportingRule.Kind.MONTHLY_REPORT), period)
    if tiers is not None:
        rules = {tier: rule for tier, rule in rules.items() if tier in tiers}
    if not rules:
        return 0
    due = _deadlines(rules, period)
    units = GridUnit.objects.filter(is_active=True, level__in=list(due)).values_list("id", "level")
    reports = [
        MonthlyReport(unit_id=unit_id, period=period, version=1, deadline=due[level]) for unit_id, level in units
    ]
    before = MonthlyReport.objects.filter(period=period).count()
    MonthlyReport.objects.bulk_create(reports, ignore_conflicts=True, batch_size=5000)
    return MonthlyReport.objects.filter(period=period).count() - before


def _deadlines(rules: dict[int, ReportingRule], period: datetime.date) -> dict[int, datetime.date]:
    """Level of the reporting units → the due date of their report for the period starting at ``period``."""
    return {
        tier - 1: day_in_month(add_months(period, rule.period_months), rule.deadline_day)
        for tier, rule in rules.items()
    }


def monthly_reports_write(*, period: datetime.date, tiers: set[int] | None = None) -> int:
    """Write, once and final, the draft report (figures computed by the database,
    ``reports.monthly``) of every unit of a reporting tier whose period starts at ``period`` and
    that has no report for it yet. ``tiers``: only these. Returns how many were written."""
    period = month_start(limits.bound_date("period", period, allow_none=False))
    rules = _reports_due(_rules(ReportingRule.Kind.MONTHLY_REPORT), period)
    if tiers is not None:
        rules = {tier: rule for tier, rule in rules.items() if tier in tiers}
    written = 0
    by_months: dict[int, dict[int, ReportingRule]] = {}
    for tier, rule in rules.items():
        by_months.setdefault(rule.period_months, {})[tier] = rule
    for months, group in sorted(by_months.items()):
        with transaction.atomic():
            written += monthly.reports_insert(period=period, months=months, deadlines=_deadlines(group, period))
    return written


def monthly_reports_compile(*, period: datetime.date) -> int:
    """Fill the figures of every pending report of ``period`` (over its tier's period) and make it
    a draft — the reports a run opened (``monthly_reports_open``) and died before filling. Rows are
    claimed with ``select_for_update(skip_locked=True)``: two runs never fill the same report."""
    period = month_start(limits.bound_date("period", period, allow_none=False))
    months = {tier: rule.period_months for tier, rule in _rules(ReportingRule.Kind.MONTHLY_REPORT).items()}
    with transaction.atomic():
        claimed = list(
            MonthlyReport.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(period=period, state=MonthlyReport.State.PENDING)
            .values_list("id", "unit__level")
        )
        by_months: dict[int, list[int]] = {}
        for report_id, level in claimed:
            by_months.setdefault(months.get(level + 1, 1), []).append(report_id)
        return sum(
            monthly.reports_fill(period=period, months=count, report_ids=ids)
            for count, ids in sorted(by_months.items())
        )


def monthly_job(*, today: datetime.date | None = None) -> dict[str, int]:
    """The first-of-the-month job: write the reports of every period that ended with last month —
    last month's for a monthly tier, last quarter's for a quarterly one on the first month of a
    quarter (``ReportingRule.period_months``) — each once, final; then fill any report a crashed
    run left pending. Safe to run again: a unit's report for a period is written only once."""
    today = limits.bound_date("today", today) or timezone.localdate()
    this_month = month_start(today)
    periods: dict[datetime.date, set[int]] = {}
    for tier, rule in _rules(ReportingRule.Kind.MONTHLY_REPORT).items():
        periods.setdefault(add_months(this_month, -rule.period_months), set()).add(tier)
    opened = compiled = 0
    for period, tiers in sorted(periods.items()):
        written = monthly_reports_write(period=period, tiers=tiers)
        opened += written
        compiled += written + monthly_reports_compile(period=period)
    return {"opened": opened, "compiled": compiled}


@transaction.atomic
def monthly_report_annotate(*, report: MonthlyReport, by: User, annotation: str) -> MonthlyReport:
    """The unit's people add their notes to a draft."""
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    if not may_sign(by, report):
        raise PermissionDenied(_("Only the people of %(unit)s can change its report.") % {"unit": report.unit.name})
    if report.state != MonthlyReport.State.DRAFT:
        raise ReportRefused(_("This report has been submitted; issue a new version to correct it."))
    report.annotation = annotation
    report.save(update_fields=["annotation"])
    return report


@transaction.atomic
def monthly_report_submit(
    *, report: MonthlyReport, by: User | None, signer_name: str = "", annotation: str | None = None, auto: bool = False
) -> MonthlyReport:
    """Submit a draft: it is signed (a name), frozen, and lands in the parent unit's inbox."""
    report = (
        MonthlyReport.objects.select_for_update(of=("self",)).select_related("unit", "unit__parent").get(pk=report.pk)
    )
    if not auto and not may_sign(by, report):
        raise PermissionDenied(_("Only the people of %(unit)s can submit its report.") % {"unit": report.unit.name})
    if report.state != MonthlyReport.State.DRAFT:
        raise ReportRefused(
            _("This report is “%(state)s”; only a draft can be submitted.") % {"state": report.get_state_display()}
        )
    if not auto and not signer_name.strip():
        raise ValidationError({"signer_name": _("Sign with your name to submit the report.")})
    if annotation is not None:
        report.annotation = annotation
    _finish_submission(report, by=by, signer_name=signer_name.strip() or _("(submitted automatically)"), auto=auto)
    report.save(
        update_fields=[
            "annotation",
            "state",
            "signer_name",
            "auto_submitted",
            "submitted_at",
            "submitted_by",
            "figures",
        ]
    )
    documents = _report_documents([report], by=by)
    if documents:
        MonthlyReport.objects.filter(pk=report.pk).update(document=documents[0])
    return report


def _finish_submission(report: MonthlyReport, *, by: User | None, signer_name: str, auto: bool) -> None:
    if report.unit.tier == 2:
        submitted = set(
            MonthlyReport.objects.filter(
                period=report.period, unit__parent=report.unit, state=MonthlyReport.State.SUBMITTED
            ).values_list("unit_id", flat=True)
        )
        for child in report.figures.get("children", []):
            child["reported"] = child["id"] in submitted
    report.state = MonthlyReport.State.SUBMITTED
    report.signer_name = signer_name
    report.auto_submitted = auto
    report.submitted_at = timezone.now()
    report.submitted_by = by


def _report_documents(reports: list[MonthlyReport], *, by: User | None) -> list[Document]:
    items = []
    for report in reports:
        if report.unit.parent_id is None:
            continue
        title = _("%(unit)s monthly hazard report, %(month)s") % {
            "unit": report.unit.name,
            "month": report.period.strftime("%Y-%m"),
        }
        if report.version > 1:
            title += _(" (version %(version)d)") % {"version": report.version}
        totals = report.figures.get("totals", {})
        body = _("New %(new)d, closed %(closed)d, open at month end %(open)d, overdue %(overdue)d.") % {
            "new": totals.get("new", 0),
            "closed": totals.get("closed", 0),
            "open": totals.get("open_end", 0),
            "overdue": totals.get("overdue", 0),
        }
        document = Document(
            kind=Document.Kind.MONTHLY_REPORT,
            sender_unit=report.unit,
            title=title,
            body=body,
            url=reverse("reports:monthly_detail", args=[report.pk]),
            sent_by=by,
        )
        items.append((document, [report.unit.parent], []))
    return delivery.send_documents(items)


def monthly_reports_auto_submit(*, today: datetime.date | None = None) -> int:
    """Submit, marked as automatic, every draft whose deadline has passed."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(
            MonthlyReport.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=MonthlyReport.State.DRAFT, deadline__lt=today)
            .select_related("unit", "unit__parent")
            .order_by("-unit__level")  # villages first, so their townships see them as reported
        )
        if not due:
            return 0
        submitted_children = set(
            MonthlyReport.objects.filter(
                period__in={r.period for r in due}, state=MonthlyReport.State.SUBMITTED
            ).values_list("unit_id", "period")
        ) | {(r.unit_id, r.period) for r in due}
        for report in due:
            report.state = MonthlyReport.State.SUBMITTED
            report.signer_name = _("(submitted automatically)")
            report.auto_submitted = True
            report.submitted_at = timezone.now()
            for child in report.figures.get("children", []):
                child["reported"] = (child["id"], report.period) in submitted_children
        MonthlyReport.objects.bulk_update(
            due, ["state", "signer_name", "auto_submitted", "submitted_at", "figures"], batch_size=2000
        )
        documents = _report_documents(due, by=None)
        by_sender = {d.sender_unit_id: d for d in documents}
        for report in due:
            report.document = by_sender.get(report.unit_id)
        MonthlyReport.objects.bulk_update(due, ["document"], batch_size=2000)
    return len(due)


@transaction.atomic
def monthly_report_reissue(*, report: MonthlyReport, by: User, reason: str) -> MonthlyReport:
    """Correct a submitted month: a new version, recompiled, as a draft; the old one is kept."""
    report = MonthlyReport.objects.select_for_update(of=("self",)).select_related("unit").get(pk=report.pk)
    if not may_sign(by, report):
        raise PermissionDenied(_("Only the people of %(unit)s can correct its report.") % {"unit": report.unit.name})
    if report.state != MonthlyReport.State.SUBMITTED:
        raise ReportRefused(_("Only a submitted report can be re-issued."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the new version corrects.")})
    limits.bound_text("reason", reason, MonthlyReport, "correction_reason")
    report.state = MonthlyReport.State.SUPERSEDED
    report.save(update_fields=["state"])
    rule = _rules(ReportingRule.Kind.MONTHLY_REPORT).get(report.unit.level + 1)
    months = rule.period_months if rule is not None else 1  # a quarterly tier's report covers its quarter
    computed = figures.monthly_figures(start=report.period, end=period_end(report.period, months), units=[report.unit])
    return MonthlyReport.objects.create(
        unit=report.unit,
        period=report.period,
        version=report.version + 1,
        state=MonthlyReport.State.DRAFT,
        figures=computed[report.unit_id],
        annotation=report.annotation,
        deadline=max(report.deadline, timezone.localdate()),
        correction_reason=reason,
    )


# --- risk consultations ---------------------------------------------------------------------------


def consultations_open(*, today: datetime.date | None = None) -> int:
    """Open, once per unit and period, the consultation of every consulting tier whose period
    starts this month (townships monthly, the county quarterly, by default), with its briefing."""
    today = limits.bound_date("today", today) or timezone.localdate()
    created_total = 0
    for tier, rule in _rules(ReportingRule.Kind.CONSULTATION).items():
        start = period_start(today, rule.period_months)
        if start != month_start(today):
            continue  # e.g. a quarterly tier in the 2nd or 3rd month of the quarter
        end = period_end(start, rule.period_months)
        unit_ids = list(GridUnit.objects.filter(level=tier - 1, is_active=True).values_list("id", flat=True))
        Consultation.objects.bulk_create(
            [Consultation(unit_id=uid, period_start=start, period_end=end) for uid in unit_ids],
            ignore_conflicts=True,
            batch_size=5000,
        )
        created_total += consultations_brief(period_start=start, months=rule.period_months, tier=tier)
    return created_total


def consultations_brief(*, period_start: datetime.date, months: int, tier: int) -> int:
    """Write the briefing of every consultation of ``tier`` for the period that has none yet."""
    with transaction.atomic():
        claimed = list(
            Consultation.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(period_start=period_start, unit__level=tier - 1, briefing={})
            .select_related("unit")
        )
        if not claimed:
            return 0
        briefings = consultation_briefings(units=[c.unit for c in claimed], start=period_start, months=months)
        for consultation in claimed:
            consultation.briefing = briefings[consultation.unit_id]
        Consultation.objects.bulk_update(claimed, ["briefing"], batch_size=2000)
    return len(claimed)


@transaction.atomic
def consultation_record(
    *, consultation: Consultation, by: User, held_on: datetime.date, participants: str, summary: str
) -> Consultation:
    """Record the meeting: date, participants (departments, experts, lower governments), trend analysis."""
    consultation = Consultation.objects.select_for_update(of=("self",)).select_related("unit").get(pk=consultation.pk)
    _require_consultation_right(by, consultation)
    if consultation.state != Consultation.State.OPEN:
        raise ReportRefused(_("This consultation is completed."))
    errors = {}
    if held_on is None:
        errors["held_on"] = _("Give the date of the meeting.")
    else:
        try:
            limits.bound_date("held_on", held_on, model=Consultation)
        except ValidationError as exc:
            exc.update_error_dict(errors)
    if not participants.strip():
        errors["participants"] = _("List who took part.")
    if errors:
        raise ValidationError(errors)
    frozen = consultation.held_on is None  # the first record freezes the briefing as the meeting read it
    consultation.held_on, consultation.participants, consultation.summary = held_on, participants, summary
    fields = ["held_on", "participants", "summary"]
    if frozen:
        consultation.briefing = fresh_briefing(consultation, until=max(held_on, consultation.period_start))
        fields.append("briefing")
    consultation.save(update_fields=fields)
    return consultation


def _require_consultation_right(by: User, consultation: Consultation) -> None:
    if not may_record(by, consultation):
        raise PermissionDenied(
            _("Only the people of %(unit)s can record its consultation.") % {"unit": consultation.unit.name}
        )


@transaction.atomic
def countermeasure_add(
    *,
    consultation: Consultation,
    by: User,
    risk: str,
    level: int,
    trend: str,
    measure: str,
    responsible_unit: GridUnit,
    deadline: datetime.date,
    category: HazardCategory | None = None,
) -> Countermeasure:
    """Add a line to the judgement list; it becomes a tracked task of ``responsible_unit``."""
    consultation = Consultation.objects.select_for_update(of=("self",)).select_related("unit").get(pk=consultation.pk)
    _require_consultation_right(by, consultation)
    if consultation.state != Consultation.State.OPEN:
        raise ReportRefused(_("This consultation is completed."))
    unit = consultation.unit
    if not (
        responsible_unit.tree_id == unit.tree_id
        and unit.lft <= responsible_unit.lft
        and responsible_unit.rght <= unit.rght
    ):
        raise ValidationError({"responsible_unit": _("Choose %(unit)s or a unit under it.") % {"unit": unit.name}})
    errors: dict[str, list] = {}
    for check in (
        lambda: limits.bound_int("level", level, Countermeasure),
        lambda: limits.bound_date("deadline", deadline, model=Countermeasure, allow_none=False),
    ):
        try:
            check()
        except ValidationError as exc:
            exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    item = Countermeasure(
        consultation=consultation,
        risk=risk,
        level=level,
        trend=trend,
        measure=measure,
        responsible_unit=responsible_unit,
        deadline=deadline,
        category=category,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def consultation_complete(*, consultation: Consultation, by: User) -> Consultation:
    """Complete the consultation: its trend analysis and countermeasure report goes one tier up."""
    consultation = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("unit", "unit__parent")
        .get(pk=consultation.pk)
    )
    _require_consultation_right(by, consultation)
    if consultation.state != Consultation.State.OPEN:
        raise ReportRefused(_("This consultation is already completed."))
    if consultation.held_on is None:
        raise ValidationError({"held_on": _("Record the meeting before completing the consultation.")})
    if not consultation.countermeasures.exists():
        raise ValidationError({"countermeasures": _("Add at least one line to the judgement list.")})
    consultation.state, consultation.completed_at, consultation.completed_by = (
        Consultation.State.COMPLETED,
        timezone.now(),
        by,
    )
    if consultation.unit.parent_id:
        title = _("%(unit)s trend analysis and countermeasure report, %(start)s–%(end)s") % {
            "unit": consultation.unit.name,
            "start": consultation.period_start.strftime("%Y-%m"),
            "end": consultation.period_end.strftime("%Y-%m"),
        }
        consultation.document = delivery.send_document(
            sender_unit=consultation.unit,
            kind=Document.Kind.CONSULTATION,
            title=title,
            body=consultation.summary,
            url=reverse("reports:consultation_detail", args=[consultation.pk]),
            by=by,
            to_units=[consultation.unit.parent],
        )
    consultation.save(update_fields=["state", "completed_at", "completed_by", "document"])
    return consultation


@transaction.atomic
def countermeasure_done(*, item: Countermeasure, by: User, note: str) -> Countermeasure:
    item = Countermeasure.objects.select_for_update(of=("self",)).select_related("responsible_unit").get(pk=item.pk)
    if not scope_for(by).can(ReportAction.FINISH_COUNTERMEASURE, item.responsible_unit):
        raise PermissionDenied(_("Only the responsible unit can report this countermeasure done."))
    if item.state == Countermeasure.State.DONE:
        raise ReportRefused(_("This countermeasure is already done."))
    if not note.strip():
        raise ValidationError({"note": _("Say what was done.")})
    item.state, item.done_at, item.done_note = Countermeasure.State.DONE, timezone.now(), note
    item.save(update_fields=["state", "done_at", "done_note"])
    return item


def countermeasures_mark_overdue(*, today: datetime.date | None = None) -> int:
    """Mark open countermeasures past their deadline, once (conditional update)."""
    today = limits.bound_date("today", today) or timezone.localdate()
    return Countermeasure.objects.filter(
        state=Countermeasure.State.OPEN, deadline__lt=today, overdue_since__isnull=True
    ).update(overdue_since=today)
