"""Services of the units that receive a warning: acknowledge (签收) its latest message, add local
instructions when passing it on, report the people evacuated and sheltered. Each checks the
person's right at the unit through ``grids.scope`` and refuses with a Chinese message."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from delivery.models import Delivery
from delivery.services import delivery_receipt
from dispatch.models import (
    EvacuationReport,
    LocalInstruction,
    Warning,
)
from dispatch.permissions import DispatchAction
from dispatch.services.warnings import WarningRefused
from grids import limits
from grids.models import GridUnit, User
from grids.scope import scope_for


def delivery_of(warning: Warning, unit: GridUnit) -> Delivery:
    delivery = (
        Delivery.objects.filter(document_id=warning.document_id, recipient_unit=unit)
        .select_related("recipient_unit")
        .first()
        if warning.document_id
        else None
    )
    if delivery is None:
        raise PermissionDenied(_("This warning was not sent to %(unit)s.") % {"unit": unit.name})
    return delivery


def warning_acknowledge(*, warning: Warning, unit: GridUnit, by: User) -> Delivery:
    """Acknowledge (签收) the warning's latest message for ``unit``: the receipt of its delivery,
    once — a second or concurrent acknowledgement changes nothing. Who: the unit's own people."""
    if warning.state == Warning.State.DRAFT:
        raise WarningRefused(_("This warning has not been issued."))
    if not scope_for(by).can(DispatchAction.ACKNOWLEDGE, unit):
        raise PermissionDenied(_("You may not acknowledge warnings for %(unit)s.") % {"unit": unit.name})
    return delivery_receipt(delivery=delivery_of(warning, unit), by=by)


def warning_add_local_instruction(*, warning: Warning, unit: GridUnit, by: User, text: str) -> LocalInstruction:
    """A township (or the county) adds its own instructions when passing a warning on; the villages
    under it see them with the warning. Who: ``DispatchAction.LOCAL_INSTRUCTION`` at ``unit``."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the local instructions.")]})
    if not scope_for(by).can(DispatchAction.LOCAL_INSTRUCTION, unit):
        raise PermissionDenied(_("You may not add instructions for %(unit)s.") % {"unit": unit.name})
    if warning.state != Warning.State.ACTIVE:
        raise WarningRefused(_("Instructions can be added only to a warning in force."))
    if unit.is_leaf_node():
        raise ValidationError({"unit": [_("%(unit)s has no units below it to instruct.") % {"unit": unit.name}]})
    delivery_of(warning, unit)
    return LocalInstruction.objects.create(warning=warning, unit=unit, text=text, by=by)


def report_evacuation(
    *, warning: Warning, unit: GridUnit, by: User, evacuated: int, sheltered: int
) -> EvacuationReport:
    """Record the latest figures of people evacuated and sheltered (转移/安置) in ``unit``, when the
    warning asks for them. Who: the unit's own people."""
    if not warning.report_evacuation:
        raise WarningRefused(_("This warning does not ask for evacuation figures."))
    if warning.state == Warning.State.DRAFT:
        raise WarningRefused(_("This warning has not been issued."))
    scope = scope_for(by)
    if not scope.acts_for(unit):
        raise PermissionDenied(_("Only the people of %(unit)s report its figures.") % {"unit": unit.name})
    delivery_of(warning, unit)
    errors = {}
    for name, value in (("evacuated", evacuated), ("sheltered", sheltered)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors[name] = [_("Enter a number of people, 0 or more.")]
        else:
            try:
                limits.check_int(value, EvacuationReport, name)
            except ValidationError as exc:
                errors[name] = exc.messages
    if not errors and sheltered > evacuated:
        errors["sheltered"] = [_("More people sheltered than evacuated: check the figures.")]
    if errors:
        raise ValidationError(errors)
    report, _created = EvacuationReport.objects.update_or_create(
        warning=warning, unit=unit, defaults={"evacuated": evacuated, "sheltered": sheltered, "by": by}
    )
    return report
