"""Every change of the resources app, one function per action, by subject."""

from resources.services import imports, participants, rollcalls, teams  # noqa: F401
