"""The daily job's work: tell each owner, once, what of its plans falls due within the notice window
(``PLAN_CLOCK_NOTICE_DAYS``, 30) and what is overdue, through the delivery between tiers.

1. Every clock of every plan in force (and every issued version not filed yet) that is due within
   the window becomes a ``PlanClockNotice`` row keyed by (plan, clock, due date, kind): inserted
   with ``ignore_conflicts``, so a rerun adds nothing it already has.
2. The unsent rows are claimed (``select_for_update(skip_locked=True)``) a batch of owners at a
   time (``PLAN_CLOCK_NOTICE_BATCH``); each owner (unit, or department) gets one document listing
   its rows, sent from the county with ``delivery.services.send_documents``, and the rows are
   marked sent in the same transaction. Two runs at once send each notice once; when the delivery
   fails, the batch's transaction rolls back and the next run sends what is left.

The number of queries does not grow with the number of plans (one batch: about a dozen)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import Document
from delivery.services import send_documents
from grids.models import GridUnit
from plans.models import Clock, Plan, PlanClockNotice, PlanVersion, VersionState
from plans.services.clocks import LIVE_STATES, RuleBook, clocks_for, last_records

CLOCKS = (Clock.EVALUATION, Clock.DRILL, Clock.FILING)


def notice_days() -> int:
    return int(getattr(settings, "PLAN_CLOCK_NOTICE_DAYS", 30))


def status_of(due: datetime.date | None, today: datetime.date, days: int | None = None) -> str:
    """``overdue`` / ``due_soon`` / ``ok`` / ``none`` (no such clock)."""
    if due is None:
        return "none"
    if due < today:
        return PlanClockNotice.Kind.OVERDUE
    if due <= today + datetime.timedelta(days=notice_days() if days is None else days):
        return PlanClockNotice.Kind.DUE_SOON
    return "ok"


def live_plans():
    """Plans with a version in force, or an issued version not filed yet, with what the clocks need."""
    from django.db.models import Q

    return (
        Plan.objects.filter(Q(current_version__state__in=LIVE_STATES) | Q(versions__state=VersionState.ISSUED))
        .distinct()
        .select_related("unit", "department", "kind", "current_version")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=PlanVersion.objects.filter(state=VersionState.ISSUED).order_by("-number"),
                to_attr="issued_versions",
            )
        )
    )


def all_clocks(plans: list[Plan]) -> list:
    """The ``PlanClocks`` of many plans in a constant number of queries."""
    ids = [plan.pk for plan in plans]
    evaluations, drills = last_records(ids)
    book = RuleBook.load({plan.unit_id for plan in plans})
    return [
        clocks_for(
            plan,
            book,
            last_evaluation=evaluations.get(plan.pk),
            last_drill=drills.get(plan.pk),
            issued_version=(plan.issued_versions[0] if plan.issued_versions else None),
        )
        for plan in plans
    ]


def collect(today: datetime.date) -> int:
    """Step 1: write the notice rows due today (idempotent). Returns the rows considered."""
    rows = []
    for clocks in all_clocks(list(live_plans())):
        for clock in CLOCKS:
            due = clocks.due(clock)
            kind = status_of(due, today)
            if kind in (PlanClockNotice.Kind.OVERDUE, PlanClockNotice.Kind.DUE_SOON):
                rows.append(PlanClockNotice(plan=clocks.plan, clock=clock, due_on=due, kind=kind))
    PlanClockNotice.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _owner_key(plan: Plan) -> tuple[str, int]:
    return ("d", plan.department_id) if plan.department_id else ("u", plan.unit_id)


def _line(notice: PlanClockNotice) -> str:
    values = {"plan": notice.plan.title, "clock": notice.get_clock_display(), "date": notice.due_on.isoformat()}
    if notice.kind == PlanClockNotice.Kind.OVERDUE:
        return _("%(plan)s: %(clock)s was due on %(date)s and is overdue.") % values
    return _("%(plan)s: %(clock)s falls due on %(date)s.") % values


def send_batch(owners: int) -> int:
    """Step 2, one batch: claim the unsent rows of up to ``owners`` owners and deliver one document
    to each. Returns the notices sent (0: nothing left)."""
    with transaction.atomic():
        claimed = list(
            PlanClockNotice.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(sent_at__isnull=True)
            .select_related("plan", "plan__unit", "plan__department")
            .order_by("plan__unit_id", "plan_id", "clock", "id")[: owners * 50]
        )
        if not claimed:
            return 0
        by_owner: dict[tuple[str, int], list[PlanClockNotice]] = defaultdict(list)
        for notice in claimed:
            key = _owner_key(notice.plan)
            if key in by_owner or len(by_owner) < owners:
                by_owner[key].append(notice)
        trees = {notice.plan.unit.tree_id for rows in by_owner.values() for notice in rows}
        counties = {unit.tree_id: unit for unit in GridUnit.objects.filter(tree_id__in=trees, level=0)}
        url = reverse("plans:calendar")
        items, sent = [], []
        for rows in by_owner.values():
            plan = rows[0].plan
            overdue = sum(1 for n in rows if n.kind == PlanClockNotice.Kind.OVERDUE)
            document = Document(
                kind=Document.Kind.PLAN_CLOCK,
                sender_unit=counties.get(plan.unit.tree_id, plan.unit),
                title=(_("Plan deadlines: %(overdue)d overdue, %(soon)d due soon") % {
                    "overdue": overdue, "soon": len(rows) - overdue})[:200],
                body="\n".join(_line(n) for n in rows),
                url=url,
            )  # fmt: skip
            items.append((document, [] if plan.department_id else [plan.unit], [plan.department] if plan.department_id else []))  # fmt: skip
            sent.append(rows)
        documents = send_documents(items)
        now = timezone.now()
        updates = []
        for document, rows in zip(documents, sent, strict=True):
            for notice in rows:
                notice.sent_at = now
                notice.document = document
                updates.append(notice)
        PlanClockNotice.objects.bulk_update(updates, ["sent_at", "document"])
        return len(updates)


def plan_clock_notices(*, today: datetime.date | None = None, batch: int | None = None) -> dict[str, int]:
    """The daily job: collect, then send batch after batch until nothing is left."""
    today = today or timezone.localdate()
    batch = batch or int(getattr(settings, "PLAN_CLOCK_NOTICE_BATCH", 500))
    considered = collect(today)
    sent = 0
    while True:
        count = send_batch(batch)
        if not count:
            break
        sent += count
    return {"due": considered, "sent": sent}
