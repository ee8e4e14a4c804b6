"""The plan actions in the one scope table (grids/scope.py).

A plan belongs to its owner: a unit's plan is drafted, filed and revised by that unit's own
people and issued by its grid leader (单位和基层组织预案由主要负责人签发), never by a tier above
(``here_only``). A county department's plan is handled by its staff (``plans.access.may``). A filing
is checked by the receiving unit's own people."""

from grids.models import Role
from grids.scope import register_permission

DRAFTERS = {Role.GRID_LEADER, Role.DEPUTY_LEADER, Role.GRID_MANAGER, Role.GRID_OFFICER, Role.DISPATCHER}
LEADER = {Role.GRID_LEADER}
RECEIVERS = {Role.GRID_LEADER, Role.DEPUTY_LEADER, Role.GRID_MANAGER, Role.GRID_OFFICER, Role.DISPATCHER}


class PlanAction:
    EDIT = "plan.edit"  # draft, edit, record the review, file, open a revision — the owner's own people
    ISSUE = "plan.issue"  # sign and issue (签发), withdraw (废止) — the owner's main leader
    RECEIVE = "plan.receive"  # check a filing sent to the unit: 备案回执 or return


register_permission(PlanAction.EDIT, {1: DRAFTERS, 2: DRAFTERS, 3: DRAFTERS}, here_only=True)
register_permission(PlanAction.ISSUE, {1: LEADER, 2: LEADER, 3: LEADER}, here_only=True)
register_permission(PlanAction.RECEIVE, {1: RECEIVERS, 2: RECEIVERS}, here_only=True)


# --- evacuation (转移避险): the village keeps its own lists, the township organises its villages'
# (乡镇组织、村组实施) and may edit them and its own shelters; the county reads. The personal details
# of vulnerable persons (老弱病残孕) and households' phones are seen by the same people: a role in
# the village or in its township, never the county tier nor the county departments' read-only view.
EVACUATION_ROLES = set(Role)


class EvacuationAction:
    EDIT = "evacuation.edit"  # zones, households, shelters: import, open/close a shelter
    PRIVATE = "evacuation.private"  # see vulnerable persons' details and households' phones


register_permission(EvacuationAction.EDIT, {2: DRAFTERS, 3: EVACUATION_ROLES})
register_permission(EvacuationAction.PRIVATE, {2: EVACUATION_ROLES, 3: EVACUATION_ROLES})
