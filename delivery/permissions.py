"""The delivery's action in the one scope table (grids/scope.py): reading and receipting (签收) what
was delivered is done by the recipient unit's own people in that very unit (``here_only``)."""

from grids.models import Role
from grids.scope import register_permission

ALL = set(Role)


class DeliveryAction:
    RECEIPT = "delivery.receipt"  # read and receipt (签收) what was delivered to the unit


register_permission(DeliveryAction.RECEIPT, {1: ALL, 2: ALL, 3: ALL}, here_only=True)
