"""What patrols adds to lower apps' pages and briefings (registered in ``apps.py``):

- ``briefing_patrols``: a consultation's briefing (the township's monthly 研判, the county's
  quarterly) counts the patrols of the previous period in the unit's subtree: due, done, late and
  missed; one compliance table per county, whatever the number of units;
- ``consultation_section``: shows them on the consultation page (from the stored briefing);
- ``warning_links``: on a warning's page, the presence-check board (到岗抽查) for those who run
  them or were asked, and one's own waiting request;
- ``presence_section``: on the person's home page and inbox, the presence checks waiting for
  their answer, each answered there in one tap (one query, whatever their number)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.registry import WarningLink
from grids.models import GridUnit
from patrols import access, selectors
from patrols.models import PresenceRequest

KEYS = ("due", "done", "late", "missed")


def briefing_patrols(units: list[GridUnit], start: datetime.date, end: datetime.date) -> dict[int, dict[str, Any]]:
    by_tree: dict[int, list[GridUnit]] = defaultdict(list)
    for unit in units:
        by_tree[unit.tree_id].append(unit)
    today = timezone.localdate()
    result: dict[int, dict[str, Any]] = {}
    for tree_id, group in by_tree.items():
        county = GridUnit.objects.filter(tree_id=tree_id, level=0).first()
        if county is None:
            continue
        table = selectors.compliance(county, start, end, today, routes=False)
        for unit in group:
            rows = [row for row in table.villages if unit.contains(row.unit)]
            counts = {key: sum(getattr(row, key) for row in rows) for key in KEYS}
            result[unit.pk] = {"patrols": {**counts, "villages": len(rows)}}
    return result


def monthly_report_section(user, report) -> dict | None:
    """The month's patrols of the report's unit (its villages for a township), counted with the
    hazards: due, done, late, missed. Live until the month is over (the report page is read by the
    person the reports app let in; this reads no register of another unit)."""
    start = report.period
    today = timezone.localdate()
    if start > today:
        return None
    end = min((start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1), today)
    table = selectors.compliance(report.unit, start, end, today, routes=False)
    if not table.villages:
        return None
    counts = {key: sum(getattr(row, key) for row in table.villages) for key in KEYS}
    return {
        "patrols": {**counts, "villages": len(table.villages)},
        "rows": table.villages if len(table.villages) > 1 else [],
        "unit": report.unit,
    }


def consultation_section(user, consultation) -> dict | None:
    briefing = consultation.briefing or {}
    if "patrols" not in briefing:
        return None
    return {"patrols": briefing["patrols"], "unit": consultation.unit}


def warning_links(user, warning, units: list) -> list[WarningLink]:
    links = []
    if warning.level <= settings.PRESENCE_CHECK_MIN_LEVEL and (
        access.presence_units(user).exists() or access.visible_presence_checks(user).filter(warning=warning).exists()
    ):
        links.append(WarningLink(_("Presence checks (到岗抽查)"), reverse("patrols:presence_board", args=[warning.pk])))
    waiting = (
        PresenceRequest.objects.filter(officer=user, check_run__warning=warning, answered_at__isnull=True)
        .order_by("due_at")
        .first()
    )
    if waiting is not None:
        links.append(
            WarningLink(
                _("Check in: you are asked to report your presence"),
                reverse("patrols:presence_request", args=[waiting.pk]),
            )
        )
    return links


def presence_section(user, _obj=None) -> dict | None:
    """The presence requests waiting for ``user``'s answer (``selectors.open_requests_for``: only
    the person's own, not answered), for the home page and the inbox; None when there are none."""
    now = timezone.now()
    requests = selectors.open_requests_for(user, now)
    if not requests:
        return None
    return {"requests": [{"req": req, "late": req.due_at < now} for req in requests]}
