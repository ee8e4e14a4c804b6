"""The supply actions in the one scope table (grids/scope.py).

A depot is seen by whoever sees its owner unit (the owner, the tiers above, the county's
departments read-only). Its stock is received, issued, adjusted and disposed of by the owner's own
people (``here_only``): a role in the owner unit itself — the county's depot by the county, a
village's point by the village's officers."""

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


class SupplyAction:
    MOVE = "supply.move"  # receive, issue, adjust, dispose, flag maintenance — the owner's own people


register_permission(SupplyAction.MOVE, {1: KEEPERS, 2: KEEPERS, 3: KEEPERS}, here_only=True)

APPROVERS = {Role.GRID_LEADER, Role.DEPUTY_LEADER, Role.GRID_MANAGER, Role.DISPATCHER}


class TransferAction:
    APPROVE = "supply.transfer.approve"  # approve or reject a transfer from the unit's depots


register_permission(TransferAction.APPROVE, {1: APPROVERS, 2: APPROVERS}, here_only=True)

STOCKTAKE_APPROVERS = {Role.GRID_LEADER, Role.DEPUTY_LEADER, Role.GRID_MANAGER, Role.DISPATCHER}


class StockTakeAction:
    APPROVE = "supply.stocktake.approve"  # approve a depot's stock-take: the owner unit's leaders
    AGREE = "supply.agreement"  # record the unit's agreement reserves: the owner unit's leaders


register_permission(
    StockTakeAction.APPROVE, {1: STOCKTAKE_APPROVERS, 2: STOCKTAKE_APPROVERS, 3: STOCKTAKE_APPROVERS}, here_only=True
)
register_permission(StockTakeAction.AGREE, {1: APPROVERS, 2: APPROVERS}, here_only=True)
