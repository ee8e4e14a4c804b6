"""Working days (工作日): China's public holidays and 调休 working days from ``chinesecalendar``,
overridden by the county's own ``WorkdayAdjustment`` rows (admin). The 20-working-day clock from
issue to filing (RULES.md §5.1) counts on it."""

from __future__ import annotations

import datetime

import chinese_calendar
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from plans.models import WorkdayAdjustment


def _adjustments(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    return dict(WorkdayAdjustment.objects.filter(date__range=(start, end)).values_list("date", "is_workday"))


def _national(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise ValidationError(
            _("The working-day calendar does not know %(year)s yet: update chinesecalendar.") % {"year": day.year}
        ) from None


def is_workday(day: datetime.date) -> bool:
    local = _adjustments(day, day)
    return local[day] if day in local else _national(day)


def add_workdays(start: datetime.date, count: int) -> datetime.date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted). One query."""
    horizon = start + datetime.timedelta(days=count * 3 + 60)
    local = _adjustments(start, horizon)
    day, left = start, count
    while left > 0:
        day += datetime.timedelta(days=1)
        if local[day] if day in local else _national(day):
            left -= 1
    return day
