"""Which warnings, incidents, duty rosters and duty logs a person may see and act on: built on
grids.scope, nowhere else. The services, views and API of dispatch fetch through these helpers
(``get_<thing>_for_user``: 404 when unseen, 403 when the action is not allowed)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import Delivery
from dispatch.models import DutyLogEntry, DutyShift, Escalation, Incident, IncidentTier, Warning
from dispatch.permissions import DispatchAction
from grids.models import GridUnit, User
from grids.scope import get_unit_for_user, scope_for

# --- warnings --------------------------------------------------------------------------------


def visible_warnings(user) -> QuerySet[Warning]:
    """Warnings delivered to a unit in the person's scope or issued by one; drafts only to those who
    may issue warnings for the issuing unit."""
    scope = scope_for(user)
    delivered = scope.filter_q(
        Delivery.objects.filter(document_id=OuterRef("document_id")), scope.unit_in_q("recipient_unit")
    )
    sent = (Exists(delivered) | scope.unit_q("issuer_unit__")) & ~Q(state=Warning.State.DRAFT)
    drafts = Q(state=Warning.State.DRAFT, issuer_unit__in=scope.units_where(DispatchAction.ISSUE_WARNING).values("pk"))
    return scope.filter_q(Warning.objects.all(), sent | drafts)


def may_issue(user, warning: Warning) -> bool:
    return scope_for(user).can(DispatchAction.ISSUE_WARNING, warning.issuer_unit)


def get_warning_for_user(user, pk, *, action: str | None = None) -> Warning:
    """The warning ``pk``: 404 when the person cannot see it, 403 when they may not ``action``
    (``DispatchAction.ISSUE_WARNING``: draft, issue, update, lift, CAP)."""
    try:
        warning = (
            visible_warnings(user)
            .select_related("type", "issuer_unit", "document")
            .defer(*(f"issuer_unit__{name}" for name in GridUnit.SHAPES))
            .get(pk=pk)
        )
    except (Warning.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such warning.")) from None
    if action == DispatchAction.ISSUE_WARNING and not may_issue(user, warning):
        raise PermissionDenied(_("Only the command of the issuing unit may change this warning."))
    return warning


def issuer_units(user) -> QuerySet[GridUnit]:
    """The units for which the person may issue warnings: those where they hold a command role of
    tier 1 (an administrator: every county)."""
    scope = scope_for(user)
    ids = scope.units_granting(DispatchAction.ISSUE_WARNING)
    own = GridUnit.objects.filter(pk__in=ids, is_active=True)
    return (own | scope.administrator_counties()).order_by("level", "code")


# --- incidents -------------------------------------------------------------------------------


def visible_incidents(user: User) -> QuerySet[Incident]:
    """Incidents whose unit is in the person's scope (department staff: their county, read-only),
    plus incidents that reached a tier where the person holds a role."""
    scope = scope_for(user)
    condition = scope.unit_q("unit__")
    own = scope.own_unit_ids()
    if own:
        reached = IncidentTier.objects.filter(incident=OuterRef("pk"), unit_id__in=own, received_at__isnull=False)
        condition |= Q(Exists(reached))
    return scope.filter_q(Incident.objects.all(), condition)


def can_see_incident(user: User, incident: Incident) -> bool:
    scope = scope_for(user)
    if scope.can_see(incident.unit):
        return True
    own = scope.own_unit_ids()
    return bool(own) and incident.tiers.filter(unit_id__in=own, received_at__isnull=False).exists()


def may_add_report(user: User, incident: Incident) -> bool:
    """Follow-up reports: anyone who may report in the incident's unit (its own people and the tiers above)."""
    return scope_for(user).can(DispatchAction.REPORT_INCIDENT, incident.unit)


def may_close(user: User, incident: Incident) -> bool:
    """The final report: the officers of tiers 1 and 2 over the incident's unit."""
    return scope_for(user).can(DispatchAction.HANDLE_INCIDENT, incident.unit)


def may_handle_tier(user: User, unit: GridUnit) -> bool:
    """Confirm, forward and record the phone time at a tier: that unit's own officers (a role held
    in the unit itself, allowed by the scope table for its tier), not people of the tiers above."""
    return scope_for(user).can_here(DispatchAction.HANDLE_INCIDENT, unit)


def reporting_units(user: User) -> QuerySet[GridUnit]:
    """The units where the person holds a role that may report an incident: their own grids, deepest first."""
    scope = scope_for(user)
    return (
        scope.units_where(DispatchAction.REPORT_INCIDENT)
        .filter(pk__in=scope.own_unit_ids(), is_active=True)
        .order_by("-level", "tree_id", "lft")
    )


def may_report_incident(user: User) -> bool:
    """May the person report an incident (the 上报突发事件 link and page)?"""
    return reporting_units(user).exists()


INCIDENT_ACTIONS = {"follow_up": may_add_report, "final": may_close}


def get_incident_for_user(user: User, pk: Any, *, action: str | None = None) -> Incident:
    """The incident ``pk``: 404 when the person cannot see it, 403 when they may not do ``action``
    (``follow_up`` or ``final``; tier actions are checked with ``get_tier_for_user``)."""
    try:
        incident = Incident.objects.select_related("type", "unit", "reporter").get(pk=pk)
    except (Incident.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such incident.")) from None
    if not can_see_incident(user, incident):
        raise Http404(_("No such incident."))
    if action and not INCIDENT_ACTIONS[action](user, incident):
        raise PermissionDenied(_("Your roles do not allow this on this incident."))
    return incident


def get_tier_for_user(user: User, incident: Incident, unit_pk: Any) -> IncidentTier:
    """The incident's tier at unit ``unit_pk``: 404 when there is none, 403 when the person is
    not one of that unit's officers."""
    try:
        tier = incident.tiers.select_related("unit").get(unit_id=unit_pk)
    except (IncidentTier.DoesNotExist, ValueError, TypeError):
        raise Http404(_("This incident has no such tier.")) from None
    if not may_handle_tier(user, tier.unit):
        raise PermissionDenied(_("Only the officers of %(unit)s can act for that tier.") % {"unit": tier.unit.name})
    return tier


def handled_units(user: User, incident: Incident, tiers: Iterable[IncidentTier]) -> set[int]:
    """Units among the incident's tiers where the person may act."""
    return {tier.unit_id for tier in tiers if may_handle_tier(user, tier.unit)}


# --- numbers and documents -----------------------------------------------------------------------


# --- the duty desk -----------------------------------------------------------------------------

CENTRE_MAX_LEVEL = 1  # MPTT depth: 0 the county, 1 a township or park (tiers 1 and 2)


def is_centre(unit: GridUnit) -> bool:
    return unit.level <= CENTRE_MAX_LEVEL


def visible_centres(user: User) -> QuerySet[GridUnit]:
    """The dispatch centres (tiers 1 and 2) in the person's scope, in tree order."""
    return scope_for(user).units().filter(level__lte=CENTRE_MAX_LEVEL, is_active=True).order_by("tree_id", "lft")


def get_shift_for_user(user: User, pk, *, write: bool = False) -> DutyShift:
    """The shift ``pk``: 404 when its centre is unseen, 403 when ``write`` and no ``DUTY`` there."""
    from dispatch.selectors.duty import with_roll  # the roster's queries (dispatch.selectors.duty imports this module)

    try:
        shift = with_roll(DutyShift.objects.select_related("unit", "leader", "post_a", "post_b")).get(pk=pk)
    except (DutyShift.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such duty shift.")) from None
    scope = scope_for(user)
    if not scope.can_see(shift.unit):
        raise Http404(_("No such duty shift."))
    if write and not scope.can(DispatchAction.DUTY, shift.unit):
        raise PermissionDenied(_("You may view this roster but not change it."))
    return shift


def get_centre_for_user(user: User, pk, *, write: bool = False) -> GridUnit:
    """A dispatch centre: 404 when unseen or not a centre, 403 when ``write`` and no ``DUTY``."""
    try:
        unit = GridUnit.objects.get(pk=pk, level__lte=CENTRE_MAX_LEVEL)
    except (GridUnit.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such dispatch centre.")) from None
    scope = scope_for(user)
    if not scope.can_see(unit):
        raise Http404(_("No such dispatch centre."))
    if write and not scope.can(DispatchAction.DUTY, unit):
        raise PermissionDenied(_("You may view this roster but not change it."))
    return unit


# --- services of the roster -----------------------------------------------------------------------


def require_duty(by: User, unit: GridUnit) -> None:
    if not scope_for(by).can(DispatchAction.DUTY, unit):
        raise PermissionDenied(
            _("Only the leaders and dispatchers of %(unit)s (or of the county) may keep its duty roster.")
            % {"unit": unit.name}
        )


def visible_log(user: User) -> QuerySet[DutyLogEntry]:
    """Entries of the centres in the person's scope."""
    return scope_for(user).filter(DutyLogEntry.objects.all(), "unit")


def may_write_log(user: User, unit: GridUnit, *, at: datetime.datetime | None = None) -> bool:
    """``DUTY`` at the centre, any role held in the centre itself, or a post on the shift on duty
    now while still standing in the centre (an ended membership gives nothing)."""
    if not is_centre(unit):
        return False
    scope = scope_for(user)
    if scope.can(DispatchAction.DUTY, unit) or scope.holds_role_in(unit):
        return True
    return _on_shift(user, unit, at)


def _on_shift(user: User, unit: GridUnit, at: datetime.datetime | None = None) -> bool:
    from dispatch.selectors.duty import (
        on_duty_now,  # the roster's queries (dispatch.selectors.duty imports this module)
    )

    if not scope_for(user).stands_in(unit):
        return False
    shift = on_duty_now([unit], at=at).get(unit.pk)
    return shift is not None and user.pk in {shift.leader_id, shift.post_a_id, shift.post_b_id}


def writable_centres(user: User) -> list[GridUnit]:
    """Centres whose log the person may write in now (in their scope, or where they stand duty now)."""
    scope = scope_for(user)
    now = timezone.now()
    on_shift = (
        DutyShift.objects.filter(starts_at__lte=now, ends_at__gt=now)
        .filter(Q(leader=user) | Q(post_a=user) | Q(post_b=user))
        .values("unit_id")
    )
    candidates = GridUnit.objects.filter(
        Q(pk__in=on_shift) | scope.unit_q(), level__lte=CENTRE_MAX_LEVEL, is_active=True
    ).order_by("-level", "tree_id", "lft")
    on_shift_ids = set(on_shift.values_list("unit_id", flat=True))
    return [
        unit
        for unit in candidates
        if (unit.pk in on_shift_ids and scope.stands_in(unit))
        or scope.can(DispatchAction.DUTY, unit)
        or scope.holds_role_in(unit)
    ]


def _shift_at(unit_id: int, moment: datetime.datetime) -> DutyShift | None:
    return (
        DutyShift.objects.filter(unit_id=unit_id, starts_at__lte=moment, ends_at__gt=moment)
        .order_by("starts_at")
        .first()
    )


def editable_until(entry: DutyLogEntry) -> datetime.datetime:
    """The end of the shift during which the entry was written (else the end of that local day)."""
    from dispatch.selectors.duty import day_range  # the roster's queries (dispatch.selectors.duty imports this module)

    shift = _shift_at(entry.unit_id, entry.created_at)
    if shift is not None:
        return shift.ends_at
    return day_range(timezone.localtime(entry.created_at).date(), 1)[1]


def may_edit_entry(user: User, entry: DutyLogEntry, *, now: datetime.datetime | None = None) -> bool:
    """Its author, while they may still write in that log, during the shift it was written in."""
    return (
        entry.by_id == user.pk
        and (now or timezone.now()) < editable_until(entry)
        and may_write_log(user, entry.unit, at=now)
    )


def editable_entry_ids(
    user: User, entries: Iterable[DutyLogEntry], *, now: datetime.datetime | None = None
) -> set[int]:
    """Which of ``entries`` (a page of the archive) the person may still edit: one query at most."""
    from dispatch.selectors.duty import day_range  # the roster's queries (dispatch.selectors.duty imports this module)

    now = now or timezone.now()
    own = [entry for entry in entries if entry.by_id == user.pk]
    if not own:
        return set()
    shifts = list(
        DutyShift.objects.filter(
            unit_id__in={entry.unit_id for entry in own},
            starts_at__lte=max(entry.created_at for entry in own),
            ends_at__gt=min(entry.created_at for entry in own),
        ).values_list("unit_id", "starts_at", "ends_at")
    )
    editable = set()
    writable: dict[int, bool] = {}
    for entry in own:
        covering = sorted(
            (start, end)
            for unit_id, start, end in shifts
            if unit_id == entry.unit_id and start <= entry.created_at < end
        )
        until = covering[0][1] if covering else day_range(timezone.localtime(entry.created_at).date(), 1)[1]
        if now < until:
            if entry.unit_id not in writable:  # rights now, once per centre (an ended role: none)
                writable[entry.unit_id] = may_write_log(user, entry.unit, at=now)
            if writable[entry.unit_id]:
                editable.add(entry.pk)
    return editable


def get_entry_for_user(user: User, pk, *, write: bool = False) -> DutyLogEntry:
    """A log entry: 404 when its centre is unseen, 403 when ``write`` and it is not (any more) the
    person's to edit."""
    try:
        entry = DutyLogEntry.objects.select_related("unit", "by").get(pk=pk)
    except (DutyLogEntry.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such duty log entry.")) from None
    if not scope_for(user).can_see(entry.unit):  # a former member no longer sees their old entries
        raise Http404(_("No such duty log entry."))
    if write and not may_edit_entry(user, entry):
        raise PermissionDenied(_("Only its author may change an entry, and only during the shift it was written in."))
    return entry


# --- 叫应: the call list --------------------------------------------------------------------------


def visible_calls(user: User) -> QuerySet[Escalation]:
    """The call list's rows (the ladder's last step) for units in the person's scope."""
    return scope_for(user).filter(Escalation.objects.filter(step=Escalation.Step.CALL), "unit")


def get_escalation_for_user(user: User, pk, *, write: bool = False) -> Escalation:
    """A row of the call list: 404 when its unit is unseen, 403 when ``write`` and the person may not
    keep the call list there (``callout.record``)."""
    try:
        row = visible_calls(user).select_related("unit", "delivery").get(pk=pk)
    except (Escalation.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such call.")) from None
    if write and not scope_for(user).can(DispatchAction.RECORD_CALL, row.unit):
        raise PermissionDenied(_("You may view this call list but not keep it."))
    return row


def get_safe_report_unit_for_user(user: User, pk) -> GridUnit:
    """A village whose daily safety report the person sends: 404 when unseen, 403 when not its own."""
    unit = get_unit_for_user(user, pk)
    if not scope_for(user).can(DispatchAction.SAFE_REPORT, unit):
        raise PermissionDenied(_("Only the village's own people send its daily safety report."))
    return unit
