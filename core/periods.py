"""Months and quarters as the registers count them (Asia/Shanghai dates): one home, under every app."""

from __future__ import annotations

import calendar
import datetime

from django.utils import timezone


def month_start(day: datetime.date | None = None) -> datetime.date:
    """The first day of ``day``'s month (of today's, in the current time zone, when omitted)."""
    return (day or timezone.localdate()).replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def previous_month(today: datetime.date) -> datetime.date:
    return add_months(month_start(today), -1)


def period_start(day: datetime.date, months: int) -> datetime.date:
    """The start of the period of ``months`` months (1 = month, 3 = quarter) containing ``day``."""
    zero_based = (day.month - 1) // months * months
    return datetime.date(day.year, zero_based + 1, 1)


def period_end(start: datetime.date, months: int) -> datetime.date:
    return add_months(start, months) - datetime.timedelta(days=1)


def day_in_month(month: datetime.date, day: int) -> datetime.date:
    return month.replace(day=min(day, calendar.monthrange(month.year, month.month)[1]))


def bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Aware datetimes [start 00:00, day after end 00:00) in the current time zone."""
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz),
    )
