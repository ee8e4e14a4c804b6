"""The patrol pages: the officer's patrol (patrols.py), ledgers and compliance (ledger.py), presence
checks (presence.py). Thin: fetch through ``patrols.access``, parse, call a service or selector."""

import datetime

from django.conf import settings
from django.utils import timezone

from patrols.forms import PeriodForm


def period(request) -> tuple[PeriodForm, datetime.date, datetime.date]:
    """The period of ``?start=&end=``: by default the last ``PATROL_COMPLIANCE_DAYS`` days to today."""
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    end = data.get("end") or today
    start = data.get("start") or end - datetime.timedelta(days=settings.PATROL_COMPLIANCE_DAYS - 1)
    if start > end:
        start, end = end, start
    start = max(start, end - datetime.timedelta(days=366))
    return form, start, end
