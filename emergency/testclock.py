"""The test clock: every test runs at one fixed instant, whatever today is.

``TEST_CLOCK`` (an ISO 8601 instant with its offset) chooses another instant; CI runs the
date-sensitive tests a second time under a few hard dates (the 1st, the 5th at 23:59, 31 December
23:59, 29 February). The clock ticks from that instant, so waits and timeouts behave as usual.
A Celery worker started by a test runs ``python -m emergency.testworker``, which starts the same
clock in the worker process (``TEST_CLOCK`` is passed to it as the test's current time).
"""

from __future__ import annotations

import datetime
import os

import time_machine

# A Tuesday in the middle of a month, office hours in Beijing: after every monthly deadline.
DEFAULT_INSTANT = "2026-11-17T10:00:00+08:00"
HARD_DATES = (
    "2026-12-01T08:30:00+08:00",  # the 1st: the monthly jobs run, last month's reports are not due yet
    "2027-01-05T23:59:00+08:00",  # the last minute of the monthly deadline
    "2026-12-31T23:59:00+08:00",  # the last minute of the year: next month is in another year
    "2028-02-29T10:00:00+08:00",  # a leap day: "a year ago" and month arithmetic
)


def instant() -> datetime.datetime:
    value = datetime.datetime.fromisoformat(os.environ.get("TEST_CLOCK") or DEFAULT_INSTANT)
    if value.tzinfo is None:
        raise ValueError(f"TEST_CLOCK needs an offset (e.g. +08:00): {value.isoformat()}")
    return value


def travel(at: datetime.datetime | None = None) -> time_machine.travel:
    """A traveller to ``at`` (default: the configured instant) whose clock keeps ticking."""
    return time_machine.travel(at or instant(), tick=True)
