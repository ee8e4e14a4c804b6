"""The report actions in the one scope table (grids/scope.py). Each is done by a unit's own people
in that very unit (``here_only``), except finishing a countermeasure, which the responsible unit and
the tiers above it may do."""

from grids.models import Role
from grids.scope import register_permission

ALL = set(Role)


class ReportAction:
    SIGN = "report.sign"  # annotate, sign and send up the unit's monthly report
    CONSULT = "consultation.record"  # record the unit's risk consultation and its judgement list
    FINISH_COUNTERMEASURE = "countermeasure.finish"  # mark a countermeasure of one's grid done


register_permission(ReportAction.SIGN, {1: ALL, 2: ALL, 3: ALL}, here_only=True)
register_permission(ReportAction.CONSULT, {1: ALL, 2: ALL, 3: ALL}, here_only=True)
register_permission(ReportAction.FINISH_COUNTERMEASURE, {1: ALL, 2: ALL, 3: ALL})
