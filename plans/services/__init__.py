"""Every change to a plan, its versions and its filings. Each runs in a transaction, locks the row
it changes (``select_for_update(of=("self",))``), checks the state and the person's right through
``plans.access`` (built on the scope), writes the new state with its history (django-simple-history)
and refuses in Chinese (``TransitionRefused`` for the state, ``PermissionDenied`` for the role,
``ValidationError`` for bad input)."""

from plans.services.clocks import (
    drill_record,
    drill_recorded,
    evaluation_record,
    trigger_raise,
    trigger_raise_by_hand,
    triggers_close,
    version_issue_into_force,
)
from plans.services.evacuation import (
    shelter_set_open,
    template_workbook,
    write_workbook,
    zone_set_boundary,
)
from plans.services.evacuation_import import (
    EvacuationImportResult,
    evacuation_import,
)
from plans.services.filing import (
    allocate_filing_number,
    filing_receipt,
    filing_return,
    route_for,
    version_file,
)
from plans.services.ledger import (
    TransitionRefused,
    document_add,
    plan_create,
    plan_update,
    review_record_add,
    version_issue,
    version_open_revision,
    version_submit_review,
    version_withdraw,
)

__all__ = [
    "EvacuationImportResult",
    "TransitionRefused",
    "allocate_filing_number",
    "document_add",
    "drill_record",
    "drill_recorded",
    "evacuation_import",
    "evaluation_record",
    "filing_receipt",
    "filing_return",
    "plan_create",
    "plan_update",
    "review_record_add",
    "route_for",
    "shelter_set_open",
    "template_workbook",
    "trigger_raise",
    "trigger_raise_by_hand",
    "triggers_close",
    "version_file",
    "version_issue",
    "version_issue_into_force",
    "version_open_revision",
    "version_submit_review",
    "version_withdraw",
    "write_workbook",
    "zone_set_boundary",
]
