"""The library's services, by subject; ``from library.services import X`` finds each."""

from library.services.cases import (
    case_attach,
    case_create,
    case_from_drill,
    case_from_incident,
    case_publish,
    case_update,
)
from library.services.common import TransitionRefused
from library.services.regulations import (
    regulation_attach,
    regulation_create,
    regulation_repeal,
    regulation_replace,
    regulation_update,
)

__all__ = [
    "TransitionRefused",
    "case_attach",
    "case_create",
    "case_from_drill",
    "case_from_incident",
    "case_publish",
    "case_update",
    "regulation_attach",
    "regulation_create",
    "regulation_repeal",
    "regulation_replace",
    "regulation_update",
]
