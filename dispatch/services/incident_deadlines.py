"""Deadlines and late flags (迟报) of an incident's tiers.

The phone and written deadlines come from ``ReportingDeadline`` for the incident's level, counted
from the time it happened; they are stored on the incident (``phone_due``, ``written_due``) when it
is reported and when its level changes, so editing the rule does not change a past incident's
lateness. A tier's report is on time at or before the deadline and late after it; a tier with no
time yet is late once the deadline has passed. The reporting unit itself has no deadline."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from dispatch.models import (
    Incident,
    IncidentTier,
    ReportingDeadline,
)


@dataclass(frozen=True)
class Deadlines:
    phone: datetime.datetime | None
    written: datetime.datetime | None


def rule_deadlines(incident: Incident, rules: Mapping[int, ReportingDeadline] | None = None) -> Deadlines:
    """The phone and written deadlines the rule in force now gives the incident's level."""
    rule = (rules if rules is not None else deadline_rules()).get(incident.level)
    if rule is None:
        return Deadlines(None, None)
    return Deadlines(
        incident.occurred_at + datetime.timedelta(minutes=rule.phone_minutes),
        incident.occurred_at + datetime.timedelta(minutes=rule.written_minutes),
    )


def store_deadlines(incident: Incident) -> Deadlines:
    """Set ``phone_due`` and ``written_due`` on the incident from the rule in force now (when it is
    reported and when its level changes); the caller saves them."""
    due = rule_deadlines(incident)
    incident.phone_due, incident.written_due = due.phone, due.written
    return due


def deadlines_for(incident: Incident) -> Deadlines:
    """When the phone and the written report are due at every tier above the reporting unit: the
    times stored on the incident, so a later change of the rule does not rewrite them."""
    return Deadlines(incident.phone_due, incident.written_due)


def deadline_rules() -> dict[int, ReportingDeadline]:
    return {rule.level: rule for rule in ReportingDeadline.objects.all()}


def _is_late(at: datetime.datetime | None, due: datetime.datetime | None, now: datetime.datetime) -> bool:
    """On time at or before the deadline (inclusive); late after it; late without a time once it passed."""
    if due is None:
        return False
    return at > due if at is not None else now > due


def apply_flags(incident: Incident, tier: IncidentTier, due: Deadlines, now: datetime.datetime) -> bool:
    """Set the tier's late flags; True when they changed. The reporting unit has none."""
    if tier.unit_id == incident.unit_id:
        phone_late = written_late = False
    else:
        phone_late = _is_late(tier.phone_at, due.phone, now)
        written_late = _is_late(tier.written_at, due.written, now)
    changed = (phone_late, written_late) != (tier.phone_late, tier.written_late)
    tier.phone_late, tier.written_late = phone_late, written_late
    return changed


def refresh_all_flags(incident: Incident, now: datetime.datetime) -> None:
    """Recompute every tier's flags from the stored deadlines (after the level, hence the deadlines, changed)."""
    due = deadlines_for(incident)
    tiers = list(IncidentTier.objects.select_for_update().filter(incident=incident))
    changed = [tier for tier in tiers if apply_flags(incident, tier, due, now)]
    if changed:
        IncidentTier.objects.bulk_update(changed, ["phone_late", "written_late"])
