"""``make run``'s first-run set-up: one administrator with a printed password, the demo county
with its activity, and nothing more on the second run."""

import re
from io import StringIO

from django.core.management import call_command

from grids.models import GridUnit, User
from hazards.models import Hazard


def test_setup_site_creates_admin_and_demo_once(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    out = StringIO()
    call_command("setup_site", stdout=out)
    text = out.getvalue()
    password = re.search(r"admin\s+\S+[:：]\s*(\S+)", text).group(1)
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)
    assert User.objects.get(username="village_officer").check_password(password)
    units, hazards = GridUnit.objects.count(), Hazard.objects.count()
    assert units > 80 and hazards >= 60

    again = StringIO()
    call_command("setup_site", stdout=again)
    assert password not in again.getvalue()
    assert (GridUnit.objects.count(), Hazard.objects.count(), User.objects.filter(is_superuser=True).count()) == (
        units,
        hazards,
        1,
    )
