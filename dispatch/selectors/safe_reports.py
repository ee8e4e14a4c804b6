"""无事报平安: which villages owe a daily report (in their county's flood and fire seasons,
``settings.SAFE_REPORT_SEASONS``, and while a warning delivered to them is in force), the cut-off
(``SAFE_REPORT_CUTOFF_HOUR``), who has not reported, and the person's own villages' box."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from delivery.models import Delivery
from dispatch.models import SafeReport, Warning
from dispatch.permissions import DispatchAction
from grids.models import GridUnit
from grids.rules import Kind
from grids.scope import scope_for

VILLAGE_KINDS = (Kind.VILLAGE, Kind.GACHA, Kind.COMMUNITY)


def _md(text: str) -> tuple[int, int]:
    month, day = text.split("-")
    return int(month), int(day)


def in_season(county_code: str, day: datetime.date) -> bool:
    """Whether ``day`` falls in one of the county's seasons (a range may run across the new year)."""
    seasons = settings.SAFE_REPORT_SEASONS
    ranges = seasons.get(county_code, seasons.get("*", []))
    today = (day.month, day.day)
    for start, end in ranges:
        first, last = _md(start), _md(end)
        if (first <= today <= last) if first <= last else (today >= first or today <= last):
            return True
    return False


def cutoff_at(day: datetime.date) -> datetime.datetime:
    """The moment of ``day`` (local time) by which each village reports."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(settings.SAFE_REPORT_CUTOFF_HOUR)))


def past_cutoff(now: datetime.datetime) -> datetime.datetime | None:
    """Today's cut-off when ``now`` is past it, else None."""
    cutoff = cutoff_at(timezone.localdate(now))
    return cutoff if now >= cutoff else None


def due_villages(day: datetime.date, *, now: datetime.datetime | None = None) -> QuerySet[GridUnit]:
    """The active villages that owe a report on ``day``: all of a county in its season, and those
    with a warning in force delivered to them. Two queries when evaluated."""
    now = now or timezone.now()
    seasonal = [
        tree for tree, code in GridUnit.objects.filter(level=0).values_list("tree_id", "code") if in_season(code, day)
    ]
    warned = Delivery.objects.filter(
        recipient_unit=OuterRef("pk"),
        document_id__in=Warning.objects.filter(
            state=Warning.State.ACTIVE, valid_from__lte=now, valid_to__gt=now, document__isnull=False
        ).values("document_id"),
    )
    return GridUnit.objects.filter(kind__in=VILLAGE_KINDS, is_active=True).filter(
        Q(tree_id__in=seasonal) | Q(Exists(warned))
    )


def missing_villages(day: datetime.date, *, now: datetime.datetime | None = None) -> QuerySet[GridUnit]:
    """The villages due on ``day`` that have not reported."""
    return due_villages(day, now=now).exclude(Exists(SafeReport.objects.filter(unit=OuterRef("pk"), day=day)))


def missing_for_user(user, day: datetime.date, *, now: datetime.datetime | None = None) -> QuerySet[GridUnit]:
    """``missing_villages`` in the person's scope, with their township, by township and code."""
    return (
        missing_villages(day, now=now)
        .filter(scope_for(user).unit_q())
        .select_related("parent")
        .order_by("parent__code", "code")
    )


def own_villages_due(user, day: datetime.date, *, now: datetime.datetime | None = None) -> list[dict]:
    """The person's own villages (where they may send the report) that owe one on ``day``, each
    with the report already sent, if any: the home page's 平安 box. Three queries."""
    own = scope_for(user).units_granting(DispatchAction.SAFE_REPORT)
    if not own:
        return []
    units = list(due_villages(day, now=now).filter(pk__in=own).order_by("code"))
    sent = {r.unit_id: r for r in SafeReport.objects.filter(unit__in=units, day=day)} if units else {}
    return [{"unit": unit, "report": sent.get(unit.pk)} for unit in units]
