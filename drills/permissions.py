"""The drill actions in the one scope table (grids/scope.py).

A drill is organised by its organiser unit or a tier above it (the action applies to the
subtree); the drilled unit's own people acknowledge its alarm (``here_only``); anyone with a
role in a unit signs in to its drills; findings are closed by the owner unit's people or a tier
above; training is recorded by the organising unit and the tiers above."""

from grids.models import Role
from grids.scope import register_permission

ALL = set(Role)
ORGANISERS = {Role.GRID_LEADER, Role.DEPUTY_LEADER, Role.GRID_MANAGER, Role.GRID_OFFICER, Role.DISPATCHER}


class DrillAction:
    ORGANISE = "drill.organise"  # plan, file, start, record, evaluate a drill; add findings
    RESPOND = "drill.respond"  # acknowledge the alarm, record arrival — the drilled unit's own people
    SIGN_IN = "drill.sign_in"  # sign in to a drill of one's own unit
    CLOSE_FINDING = "drill.close_finding"  # close a finding of one's unit (or of a unit below)
    TRAIN = "drill.train"  # record a training session


register_permission(DrillAction.ORGANISE, {1: ORGANISERS, 2: ORGANISERS, 3: ORGANISERS})
register_permission(DrillAction.RESPOND, {1: ALL, 2: ALL, 3: ALL}, here_only=True)
register_permission(DrillAction.SIGN_IN, {1: ALL, 2: ALL, 3: ALL}, here_only=True)
register_permission(DrillAction.CLOSE_FINDING, {1: ORGANISERS, 2: ORGANISERS, 3: ORGANISERS})
register_permission(DrillAction.TRAIN, {1: ORGANISERS, 2: ORGANISERS, 3: ORGANISERS})
