"""Pages of the tier reports, by subject: monthly reports and the reporting
matrix (``monthly``), risk consultations (``consultations``). Each view is thin: parse, fetch
through ``reports.access`` or read through ``reports.selectors``, call a service, render."""

from reports.views.consultations import (
    consultation_complete,
    consultation_detail,
    consultation_list,
    consultation_overview,
    consultation_record,
    countermeasure_add,
    countermeasure_done,
)
from reports.views.monthly import (
    matrix,
    matrix_export,
    monthly_detail,
    monthly_export,
    monthly_list,
    monthly_reissue,
    monthly_submit,
)

__all__ = [
    "consultation_complete",
    "consultation_detail",
    "consultation_list",
    "consultation_overview",
    "consultation_record",
    "countermeasure_add",
    "countermeasure_done",
    "matrix",
    "matrix_export",
    "monthly_detail",
    "monthly_export",
    "monthly_list",
    "monthly_reissue",
    "monthly_submit",
]
