"""The plan forms, by subject."""

from plans.forms.clocks import (
    DrillForm,
    EvaluationForm,
    TriggerForm,
)
from plans.forms.evacuation import (
    EvacuationImportForm,
    ShelterStateForm,
)
from plans.forms.ledger import (
    DocumentForm,
    IssueForm,
    PlanForm,
    ReasonForm,
    ReviewForm,
    RevisionForm,
)

__all__ = [
    "DocumentForm",
    "DrillForm",
    "EvacuationImportForm",
    "EvaluationForm",
    "IssueForm",
    "PlanForm",
    "ReasonForm",
    "ReviewForm",
    "RevisionForm",
    "ShelterStateForm",
    "TriggerForm",
]
