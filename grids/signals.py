"""Signals the grid sends for the apps above it (which may not be imported here).

- ``grid_leader_changed``: sent inside the transaction of a grid-leader (网格长) membership granted or
  ended through ``grids.services``, with ``unit_id``, ``user_id``, ``membership_id`` and
  ``granted`` (True: the role was given or re-activated; False: it ended). ``plans`` connects to
  it to raise a revision trigger on the unit's plans.
- ``unit_moving``: sent by ``grids.services.unit_move`` inside its transaction just before a unit
  goes under another parent, with ``unit`` (still under the old parent). ``hazards`` takes the
  unit's hazards out of the old ancestors' roll-ups; django-mptt's ``node_moved`` follows."""

from django.dispatch import Signal

grid_leader_changed = Signal()
unit_moving = Signal()
