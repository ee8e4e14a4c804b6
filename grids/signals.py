"""Signals the grid sends for the apps above it (which may not be imported here).

- ``grid_leader_changed``: sent inside the transaction of a grid-leader (网格长) membership granted or
  ended through ``grids.services``, with ``unit_id``, ``user_id``, ``membership_id`` and
  ``granted`` (True: the role was given or re-activated; False: it ended). ``plans`` connects to
  it to raise a revision trigger on the unit's plans."""

from django.dispatch import Signal

grid_leader_changed = Signal()
