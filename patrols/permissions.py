"""The patrol actions in the one scope table (grids/scope.py).

- ``patrol.do``: patrol and check in at the points of a unit: its own people (village tier) and the
  township's officers in its villages.
- ``patrol.points``: add, move or retire the patrol points of a unit: the township and the village.
- ``patrol.presence``: start a presence check (到岗抽查) of the officers below: the county and the
  townships."""

from grids.models import Role
from grids.scope import register_permission

ALL = set(Role)
OFFICE = {Role.GRID_LEADER, Role.DEPUTY_LEADER, Role.GRID_MANAGER, Role.GRID_OFFICER, Role.DISPATCHER}


class PatrolAction:
    DO = "patrol.do"
    POINTS = "patrol.points"
    PRESENCE = "patrol.presence"


register_permission(PatrolAction.DO, {2: OFFICE, 3: ALL})
register_permission(PatrolAction.POINTS, {1: OFFICE, 2: OFFICE, 3: ALL})
register_permission(PatrolAction.PRESENCE, {1: OFFICE, 2: OFFICE})
