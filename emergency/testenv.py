"""Loaded by pytest (``-p emergency.testenv`` in pytest.ini) before Django is set up."""

import os

import pytest

os.environ["DJANGO_ENV"] = "test"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server


_session_clock = None


def pytest_configure(config):
    """The clock is set from the start, so that module constants (``TODAY = …``) read it too."""
    global _session_clock
    from emergency import testclock

    _session_clock = testclock.travel()
    _session_clock.start()


def pytest_unconfigure(config):
    if _session_clock is not None:
        _session_clock.stop()


def pytest_report_header(config):
    from emergency import testclock

    return f"test clock: {testclock.instant().isoformat()} (TEST_CLOCK)"


@pytest.fixture(autouse=True)
def clock():
    """Every test starts at the test clock's instant (``emergency.testclock``); a test moves it
    with ``clock.move_to(instant)`` or ``clock.shift(timedelta)``."""
    from emergency import testclock

    with testclock.travel() as traveller:
        yield traveller
