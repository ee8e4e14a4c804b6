"""Services of each tier of an incident: confirm (核实), forward to the tier above, record the phone
report. The unit's own officers (tiers 1–2); the late flags follow the stored deadlines."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.texts import ref
from delivery.models import Delivery, Document
from delivery.services import delivery_receipt, send_documents
from dispatch.access import (  # who may see and do what: dispatch/access.py
    may_handle_tier,
)
from dispatch.models import (
    Incident,
    IncidentTier,
)
from dispatch.services.incident_deadlines import apply_flags, deadlines_for
from dispatch.services.incidents import incident_document, incident_summary, incident_url
from grids import limits
from grids.models import GridUnit, User


def _locked_tier(incident: Incident, unit: GridUnit) -> IncidentTier:
    tier = (
        IncidentTier.objects.select_for_update(of=("self",))
        .select_related("unit", "incident")
        .filter(incident_id=incident.pk, unit_id=unit.pk)
        .first()
    )
    if tier is None:
        raise ValidationError(_("This incident was not reported to %(unit)s.") % {"unit": unit.name})
    return tier


def _require_handler(by: User, unit: GridUnit) -> None:
    if not may_handle_tier(by, unit):
        raise PermissionDenied(_("Only the officers of %(unit)s can act for that tier.") % {"unit": unit.name})


def _require_receiving_tier(incident: Incident, tier: IncidentTier) -> None:
    if tier.unit_id == incident.unit_id:
        raise ValidationError(_("Your unit made this report; the tiers above confirm it and record their times."))


def _receipt_deliveries(incident: Incident, unit: GridUnit, by: User) -> None:
    """Confirming at a tier receipts (签收) that unit's deliveries of this incident's reports."""
    pending = (
        Delivery.objects.filter(
            recipient_unit=unit,
            document__kind=Document.Kind.INCIDENT,
            document__url=incident_url(incident),
        )
        .exclude(state=Delivery.State.RECEIPTED)
        .select_related("recipient_unit")
    )
    for delivery in pending:
        delivery_receipt(delivery=delivery, by=by)


@transaction.atomic
def incident_confirm(*, incident: Incident, unit: GridUnit, by: User) -> IncidentTier:
    """A receiving tier confirms (核实) the incident; its deliveries of the incident are receipted.
    The unit's own officers (tiers 1–2). A second confirmation changes nothing."""
    _require_handler(by, unit)
    tier = _locked_tier(incident, unit)
    _require_receiving_tier(incident, tier)
    if tier.received_at is None:
        raise ValidationError(_("This incident has not reached %(unit)s yet.") % {"unit": unit.name})
    if tier.confirmed_at is None:
        tier.confirmed_at, tier.confirmed_by = timezone.now(), by
        tier.save(update_fields=["confirmed_at", "confirmed_by"])
    _receipt_deliveries(incident, unit, by)
    return tier


@transaction.atomic
def incident_forward(*, incident: Incident, unit: GridUnit, by: User) -> IncidentTier:
    """A tier forwards the incident to the next tier up (confirming it first if it had not): the
    parent receives it now, in writing, in its inbox. Returns the parent's tier."""
    _require_handler(by, unit)
    incident = Incident.objects.select_for_update(of=("self",)).select_related("unit").get(pk=incident.pk)
    tier = _locked_tier(incident, unit)
    if tier.received_at is None:
        raise ValidationError(_("This incident has not reached %(unit)s yet.") % {"unit": unit.name})
    if tier.forwarded_at is not None:
        raise ValidationError(
            _("%(unit)s already forwarded this incident at %(time)s.")
            % {"unit": unit.name, "time": timezone.localtime(tier.forwarded_at).strftime("%Y-%m-%d %H:%M")}
        )
    if unit.parent_id is None:
        raise ValidationError(
            _("%(unit)s is the top tier; there is no tier above to forward it to.") % {"unit": unit.name}
        )
    now = timezone.now()
    if tier.confirmed_at is None and tier.unit_id != incident.unit_id:
        tier.confirmed_at, tier.confirmed_by = now, by
    tier.forwarded_at = now
    tier.save(update_fields=["confirmed_at", "confirmed_by", "forwarded_at"])
    parent_tier, _created = IncidentTier.objects.select_for_update(of=("self",)).get_or_create(
        incident=incident, unit_id=unit.parent_id
    )
    if parent_tier.received_at is None:
        parent_tier.received_at = now
    if parent_tier.written_at is None:
        parent_tier.written_at = now
    apply_flags(incident, parent_tier, deadlines_for(incident), now)
    parent_tier.save(update_fields=["received_at", "written_at", "phone_late", "written_late"])
    send_documents(
        [
            (
                incident_document(
                    incident,
                    sender=unit,
                    by=by,
                    title=ref("dispatch.incident_forwarded", unit=unit.name, title=incident.title),
                    body=incident_summary(incident),
                ),
                [GridUnit.objects.get(pk=unit.parent_id)],
                [],
            )
        ]
    )
    _receipt_deliveries(incident, unit, by)
    return parent_tier


@transaction.atomic
def incident_record_phone(*, incident: Incident, unit: GridUnit, by: User, at: datetime.datetime) -> IncidentTier:
    """Record when ``unit``'s tier was told by phone (it may be before the written report arrives;
    a second entry corrects the first). The unit's own officers; the late flag follows."""
    _require_handler(by, unit)
    incident = Incident.objects.select_related("unit").get(pk=incident.pk)
    tier = _locked_tier(incident, unit)
    _require_receiving_tier(incident, tier)
    now = timezone.now()
    if at is None:
        raise ValidationError({"at": _("Give the time of the phone call.")})
    at = limits.bound_moment("at", at)
    if at > now + settings.FUTURE_TOLERANCE:
        raise ValidationError({"at": _("The time of the phone call cannot be in the future.")})
    if at < incident.occurred_at:
        raise ValidationError({"at": _("The phone call cannot be before the incident happened.")})
    tier.phone_at = at
    apply_flags(incident, tier, deadlines_for(incident), now)
    tier.save(update_fields=["phone_at", "phone_late", "written_late"])
    return tier
