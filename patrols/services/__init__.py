"""Every change of the patrol register: one function per action (see each module)."""

from patrols.services.notices import compliance_notify  # noqa: F401
from patrols.services.patrols import (  # noqa: F401
    distance_m,
    patrol_check_in,
    patrol_finish,
    patrol_start,
    point_create,
    points_sync,
)
from patrols.services.presence import presence_answer, presence_check_start  # noqa: F401
from patrols.services.routes import route_save  # noqa: F401
