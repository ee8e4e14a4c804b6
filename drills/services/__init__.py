"""Every change to drills, findings and training. Each runs in a transaction, locks the row it
changes (``select_for_update(of=("self",))``), checks the right through ``drills.access`` (built on
the scope), writes the state with its history and refuses in Chinese (``TransitionRefused`` for the
state, ``PermissionDenied`` for the role, ``ValidationError`` for bad input)."""

from drills.services.common import TransitionRefused
from drills.services.evaluation import conclusion_for, drill_evaluate, finding_add, finding_close, weighted_score
from drills.services.media import drill_media_add
from drills.services.notices import flag_due
from drills.services.planning import annual_plan_create, annual_plan_file, drill_plan, drill_update
from drills.services.running import (
    drill_acknowledge,
    drill_record_held,
    drill_record_time,
    drill_sign_in,
    drill_start,
)
from drills.services.training import training_record

__all__ = [
    "TransitionRefused",
    "annual_plan_create",
    "annual_plan_file",
    "conclusion_for",
    "drill_acknowledge",
    "drill_evaluate",
    "drill_media_add",
    "drill_plan",
    "drill_record_held",
    "drill_record_time",
    "drill_sign_in",
    "drill_start",
    "drill_update",
    "finding_add",
    "finding_close",
    "flag_due",
    "training_record",
    "weighted_score",
]
