"""The plan forms, by subject."""

from plans.forms.clocks import DrillForm, EvaluationForm, TriggerForm
from plans.forms.ledger import (
    DocumentForm,
    IssueForm,
    PlanForm,
    ReasonForm,
    ReviewForm,
    RevisionForm,
)

__all__ = [
    "PlanForm",
    "DocumentForm",
    "ReviewForm",
    "IssueForm",
    "ReasonForm",
    "RevisionForm",
    "EvaluationForm",
    "DrillForm",
    "TriggerForm",
]
