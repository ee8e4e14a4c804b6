"""The dispatch actions in the one scope table (grids/scope.py)."""

from grids.models import Role
from grids.scope import register_permission

ALL = set(Role)
COMMAND = {Role.GRID_LEADER, Role.DEPUTY_LEADER, Role.DISPATCHER}
OFFICERS = {Role.GRID_LEADER, Role.DEPUTY_LEADER, Role.DISPATCHER, Role.GRID_OFFICER, Role.GRID_MANAGER}


class DispatchAction:
    ISSUE_WARNING = "warning.issue"  # issue, update, lift a warning for the subtree (county command)
    LOCAL_INSTRUCTION = "warning.local"  # a township adds local instructions for its villages
    ACKNOWLEDGE = "warning.ack"  # acknowledge (签收) a warning delivered to one's own unit
    REPORT_INCIDENT = "incident.report"  # first report of an incident in one's grid
    HANDLE_INCIDENT = "incident.handle"  # confirm, forward, add follow-up / final reports
    DUTY = "duty.manage"  # keep the roster and the duty log of a dispatch centre
    SAFE_REPORT = "safe.report"  # send one's own village's daily 平安 (无事报平安)
    RECORD_CALL = "callout.record"  # keep the call list of unanswered units (叫应)


register_permission(DispatchAction.ISSUE_WARNING, {1: COMMAND})
register_permission(DispatchAction.LOCAL_INSTRUCTION, {1: COMMAND, 2: COMMAND | {Role.GRID_OFFICER}})
register_permission(DispatchAction.ACKNOWLEDGE, {1: ALL, 2: ALL, 3: ALL}, here_only=True)
register_permission(DispatchAction.REPORT_INCIDENT, {1: ALL, 2: ALL, 3: ALL})
register_permission(DispatchAction.HANDLE_INCIDENT, {1: OFFICERS, 2: OFFICERS})
register_permission(DispatchAction.DUTY, {1: COMMAND, 2: COMMAND})
register_permission(DispatchAction.SAFE_REPORT, {3: ALL}, here_only=True)
register_permission(DispatchAction.RECORD_CALL, {1: COMMAND, 2: COMMAND | {Role.GRID_OFFICER, Role.GRID_MANAGER}})
