"""无事报平安: a village's one-tap daily answer."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.models import SafeReport
from dispatch.permissions import DispatchAction
from grids.models import GridUnit
from grids.scope import scope_for


def safe_report_send(
    *, unit: GridUnit, by, state: str = SafeReport.State.SAFE, note: str = ""
) -> tuple[SafeReport, bool]:
    """Send ``unit``'s daily answer for today: 平安, or a short report (``note`` required). Only the
    village's own people (``safe.report``, here only). The first answer of the day stands: sent
    again (the phone's queue resending, a double tap) it changes nothing. Returns (report, created)."""
    if not scope_for(by).can(DispatchAction.SAFE_REPORT, unit):
        raise PermissionDenied(_("Only the village's own people send its daily safety report."))
    if state not in SafeReport.State.values:
        raise ValidationError(_("Choose “all safe” or write what to report."))
    note = note.strip()
    if state == SafeReport.State.REPORT and not note:
        raise ValidationError(_("Write in one line what there is to report."))
    now = timezone.now()
    day = timezone.localdate(now)
    existing = SafeReport.objects.filter(unit=unit, day=day).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return SafeReport.objects.create(unit=unit, day=day, state=state, note=note[:300], by=by, at=now), True
    except IntegrityError:  # the same answer raced itself: the first one stands
        return SafeReport.objects.get(unit=unit, day=day), False
