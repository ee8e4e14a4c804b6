"""The Django admin of the grid: every list scoped through ``grids.scope``, every write a service.

- Grid units: a drag-and-drop tree (django-mptt) with a change history (django-simple-history).
  A person sees the units of their scope and changes those they manage; drag-and-drop moves go
  through ``services.unit_move`` so they are refused exactly like any other move. Units are never
  deleted, only deactivated. Boundaries and locations are edited on a map (``units``).
- Departments, sectors (``units``), memberships, people (``people``) and imports (``imports``),
  each scoped the same way.
- The shared machinery every app's admin builds on: ``grids.admin.base``.

History pages are read-only: a "revert" would write around the services. Django's autodiscovery
imports this package: importing it registers everything.
"""

from __future__ import annotations

from rest_framework.authtoken import admin as _token_admin  # noqa: F401  (registered before we re-register it)
from rest_framework.authtoken.models import TokenProxy

from grids.admin import imports, people, units  # noqa: F401  (each registers its admins)
from grids.admin.base import superuser_only

superuser_only(TokenProxy)

# The outbox (core imports no app, so its admin is made superuser-only here, after it registered).
import core.admin  # noqa: E402, F401
from core.models import JobFailure, OutboxMessage  # noqa: E402

superuser_only(OutboxMessage, read_only=True)
superuser_only(JobFailure, read_only=True, deletes=False)  # the record of failed jobs

# django-axes' login records (user names, addresses, failures of everyone): the administrator's,
# who unlocks there. Registered by axes' admin module, imported here first so it can be replaced.
import axes.admin  # noqa: E402, F401
from axes.models import AccessAttempt, AccessFailureLog, AccessLog  # noqa: E402

for _model in (AccessAttempt, AccessFailureLog, AccessLog):
    superuser_only(_model)
