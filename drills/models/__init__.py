"""The drill models, by subject; ``from drills.models import X`` finds each."""

from drills.models.register import (
    DONE_STATES,
    AnnualDrillPlan,
    Attendance,
    Drill,
    DrillMedia,
    DrillState,
    Evaluation,
    Finding,
    IndicatorScore,
    Notice,
    Training,
)
from drills.models.rules import (
    CategorisedUnit,
    ConclusionBand,
    DrillForm,
    DrillPurpose,
    DrillRequirement,
    DrillScope,
    EvaluationIndicator,
    UnitCategory,
    UnitGroup,
)

__all__ = [
    "DONE_STATES",
    "AnnualDrillPlan",
    "Attendance",
    "CategorisedUnit",
    "ConclusionBand",
    "Drill",
    "DrillForm",
    "DrillPurpose",
    "DrillRequirement",
    "DrillScope",
    "DrillMedia",
    "DrillState",
    "Evaluation",
    "EvaluationIndicator",
    "Finding",
    "IndicatorScore",
    "Notice",
    "Training",
    "UnitCategory",
    "UnitGroup",
]
