"""The resources actions in the one scope table (grids/scope.py).

- ``resources.edit``: keep the teams and experts of a unit (and its subtree): its leaders,
  officers and dispatchers, at every tier.
- ``resources.roll_call``: start a roll call (点名) down the chain from a unit: the county and the
  townships.
- ``resources.assign``: record a team or an expert on an incident, a consultation or a plan review
  of a unit: its leaders, officers and dispatchers."""

from grids.models import Role
from grids.scope import register_permission

KEEPERS = {
    Role.GRID_LEADER,
    Role.DEPUTY_LEADER,
    Role.GRID_MANAGER,
    Role.GRID_OFFICER,
    Role.INFORMATION_OFFICER,
    Role.DISPATCHER,
}
CALLERS = {Role.GRID_LEADER, Role.DEPUTY_LEADER, Role.GRID_MANAGER, Role.GRID_OFFICER, Role.DISPATCHER}


class ResourceAction:
    EDIT = "resources.edit"
    ROLL_CALL = "resources.roll_call"
    ASSIGN = "resources.assign"


register_permission(ResourceAction.EDIT, {1: KEEPERS, 2: KEEPERS, 3: KEEPERS})
register_permission(ResourceAction.ROLL_CALL, {1: CALLERS, 2: CALLERS})
register_permission(ResourceAction.ASSIGN, {1: KEEPERS, 2: KEEPERS, 3: KEEPERS})
