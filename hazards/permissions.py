"""The hazard actions in the one scope table (grids/scope.py). Tier = tier of the unit where the
person holds the role; the action applies to that unit's subtree."""

from grids.models import Role
from grids.scope import register_permission

ALL = set(Role)
RULERS = {Role.GRID_LEADER, Role.DEPUTY_LEADER, Role.GRID_MANAGER, Role.GRID_OFFICER, Role.DISPATCHER}
COUNTY_COMMAND = {Role.GRID_LEADER, Role.DEPUTY_LEADER, Role.DISPATCHER}


class HazardAction:
    REPORT = "hazard.report"  # report a danger found in one's grid
    RULE = "hazard.rule"  # confirm, reject, set 五落实, accept, escalate — at the owning tier
    EVIDENCE = "hazard.evidence"  # add rectification evidence in one's own grid
    SUPERVISE = "hazard.supervise"  # put a major hazard under listed supervision (挂牌督办)


register_permission(HazardAction.REPORT, {1: ALL, 2: ALL, 3: ALL})
register_permission(HazardAction.RULE, {1: RULERS, 2: RULERS})
register_permission(HazardAction.EVIDENCE, {1: ALL, 2: ALL, 3: ALL})
register_permission(HazardAction.SUPERVISE, {1: COUNTY_COMMAND})
