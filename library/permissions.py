"""The library actions in the one scope table (grids/scope.py).

- ``library.edit``: write cases and regulations of a unit (and its subtree): its leaders, officers
  and dispatchers, at every tier; the tiers above may compile the cases of the units below.
- ``library.publish``: publish a case (草稿 → 已发布): the county and the townships (a village's
  case is published by its township or the county)."""

from grids.models import Role
from grids.scope import register_permission

EDITORS = {
    Role.GRID_LEADER,
    Role.DEPUTY_LEADER,
    Role.GRID_MANAGER,
    Role.GRID_OFFICER,
    Role.INFORMATION_OFFICER,
    Role.DISPATCHER,
}
PUBLISHERS = {Role.GRID_LEADER, Role.DEPUTY_LEADER, Role.GRID_MANAGER, Role.DISPATCHER, Role.GRID_OFFICER}


class LibraryAction:
    EDIT = "library.edit"
    PUBLISH = "library.publish"


register_permission(LibraryAction.EDIT, {1: EDITORS, 2: EDITORS, 3: EDITORS})
register_permission(LibraryAction.PUBLISH, {1: PUBLISHERS, 2: PUBLISHERS})
