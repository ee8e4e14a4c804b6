"""The daily flags: findings past their deadline and drills due within the notice window go to
their owners once, as deliveries. A ``Notice`` row keyed by what it is about is inserted first
(a concurrent run inserts nothing), then claimed with a conditional update before it is sent."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.texts import ref
from delivery.models import Document
from delivery.services import send_documents
from drills.models import Drill, DrillState, Finding, Notice


def _titled(title: dict) -> dict:
    """A notice's title: the stored Chinese text and its ref (drills/texts.py)."""
    return {"title": title["text"][:200], "texts": {"title": title}}


def due_notices(today: datetime.date) -> list[Notice]:
    """The notices owed today: each open finding past its deadline (to its owner unit) and each
    planned drill due within ``DRILL_NOTICE_DAYS`` (to the organiser; a double-blind drill is
    never announced to the drilled unit: the organiser's notice only)."""
    notices = []
    for finding in Finding.objects.filter(state=Finding.State.OPEN, deadline__lt=today).select_related("drill"):
        notices.append(
            Notice(
                key=f"finding-overdue-{finding.pk}",
                unit_id=finding.owner_unit_id,
                **_titled(ref("drills.finding_overdue", text=finding.description[:80])),
            )
        )
    horizon = today + datetime.timedelta(days=settings.DRILL_NOTICE_DAYS)
    for drill in Drill.objects.filter(state=DrillState.PLANNED, planned_date__gte=today, planned_date__lte=horizon):
        notices.append(
            Notice(
                key=f"drill-due-{drill.pk}-{drill.planned_date.isoformat()}",
                unit_id=drill.organiser_id,
                **_titled(ref("drills.drill_due", date=drill.planned_date.isoformat(), title=drill.title)),
            )
        )
    return notices


def flag_due(*, today: datetime.date | None = None) -> int:
    """Insert today's notices (existing keys are skipped), claim the unsent ones and send them. Returns how many were sent."""
    today = today or timezone.localdate()
    Notice.objects.bulk_create(due_notices(today), ignore_conflicts=True)
    sent = 0
    with transaction.atomic():
        claimed = list(
            Notice.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(sent_at__isnull=True)
            .select_related("unit")
        )
        now = timezone.now()
        ids = [n.pk for n in claimed]
        sent = Notice.objects.filter(pk__in=ids, sent_at__isnull=True).update(sent_at=now)
        send_documents(
            [
                (
                    Document(
                        sender_unit=notice.unit,
                        kind=Document.Kind.DRILL_NOTICE,
                        title=notice.title,
                        texts={"title": notice.texts["title"]} if "title" in (notice.texts or {}) else {},
                        url=reverse("drills:findings") if notice.key.startswith("finding") else reverse("drills:list"),
                    ),
                    [notice.unit],
                    [],
                )
                for notice in claimed
            ]
        )
    return sent
