"""Working days (工作日): China's public holidays and 调休 working days from ``chinesecalendar``,
overridden by the county's own ``WorkdayAdjustment`` rows (admin). The 20-working-day clock from
issue to filing (RULES.md §5.1) counts on it."""

from __future__ import annotations

import datetime
import logging

import chinese_calendar

from plans.models import WorkdayAdjustment

logger = logging.getLogger(__name__)
_warned: set[int] = set()


def _adjustments(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    return dict(WorkdayAdjustment.objects.filter(date__range=(start, end)).values_list("date", "is_workday"))


def _national(day: datetime.date) -> bool:
    """The national calendar; for a year ``chinesecalendar`` does not know yet (the State Council
    publishes each year's holidays in the autumn before), Monday to Friday — the county enters that
    year's holidays and 调休 days as ``WorkdayAdjustment`` rows until the package is updated."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned:
            _warned.add(day.year)
            logger.warning("chinesecalendar does not know %s: counting Monday to Friday", day.year)
        return day.weekday() < 5


def knows_year(year: int) -> bool:
    """Does the national calendar know ``year``'s holidays?"""
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


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
