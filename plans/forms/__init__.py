"""The plan forms, by subject."""

from plans.forms.evacuation import EvacuationImportForm, ShelterStateForm
from plans.forms.ledger import (
    DocumentForm,
    IssueForm,
    PlanForm,
    ReasonForm,
    ReviewForm,
    RevisionForm,
)

__all__ = [
    "EvacuationImportForm",
    "ShelterStateForm",
    "PlanForm",
    "DocumentForm",
    "ReviewForm",
    "IssueForm",
    "ReasonForm",
    "RevisionForm",
]
