"""Fixtures shared by every app's tests: the small county, its personas, and the browser."""

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"


_world_snapshot = None


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's test databases, copied from a template migrated once for every process
    (``emergency.testenv.setup_test_databases``). Keep the seeded rule tables restorable for
    transactional tests that run after Playwright started: its event loop makes Django hand out
    new connection objects, which would lack the serialized copy ``serialized_rollback`` restores
    from. Then build the small county once, on the test clock, and keep its rows for ``world``."""
    global _world_snapshot
    from django.db import connections
    from django.test.utils import teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from emergency.testenv import rows_restored, setup_test_databases
    from grids.tests.factories import WorldSnapshot

    if not django_db_use_migrations:
        _disable_migrations()
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        db_cfg = setup_test_databases(
            verbosity=request.config.option.verbose,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            keepdb=django_db_keepdb and not django_db_createdb,
            template=django_db_use_migrations,
        )
    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            type(connections[alias])._test_serialized_contents = contents
            rows_restored(alias)  # serialized from the database as it is
    with django_db_blocker.unblock():
        _world_snapshot = WorldSnapshot()
    yield
    if not (django_db_keepdb and not django_db_createdb):
        with django_db_blocker.unblock():
            _end_lingering_sessions()
            try:
                teardown_databases(db_cfg, verbosity=request.config.option.verbose)
            except Exception as exc:  # as pytest-django does: the next run recreates the database
                warnings.warn(f"Error when trying to teardown test databases: {exc!r}", stacklevel=1)


def _end_lingering_sessions() -> None:
    """On PostgreSQL, end the sessions a live server's or a test's threads left open on the test
    database, so that it can be dropped ("is being accessed by other users")."""
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        name = connection.settings_dict["NAME"]
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )


def _transactional(item) -> bool:
    """Does ``item`` run as a TransactionTestCase (pytest-django's rule): its tables are flushed after it."""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """From the set-up of a transactional test on, its commits may change the seeded rows (which
    its set-up restores only where a transactional test ran before: ``emergency.testenv``)."""
    try:
        return (yield)
    finally:
        if _transactional(item):
            from django.db import connections

            from emergency.testenv import rows_written

            for alias in connections:
                rows_written(alias)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test flushed every table, seed the rule tables again (the copy
    ``serialized_rollback`` restores from), so that the next test finds them whatever the order
    (under xdist a worker runs modules in any order, not all transactional tests last)."""
    result = yield
    if nextitem is not None and _world_snapshot is not None and _transactional(item):
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        from emergency.testenv import restore_serialized_rows

        with item.config.stash[blocking_manager_key].unblock():
            for alias in connections:
                restore_serialized_rows(connections[alias])
    return result


@pytest.fixture
def world(db):
    """The small county of ``build_world()``, written into this test's transaction from the rows
    built once for the session (``WorldSnapshot``): the same ids, names and timestamps each time."""
    return _world_snapshot.restore()


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client logged in as ``user``."""

    def login(user):
        client.force_login(user)
        return client

    return login


# --- browser tests (marker ``browser``): Playwright driving Debian's Chromium ------------------


# Rough seconds a test takes, to start the longest modules first: a browser test or one that
# starts a real worker takes 5-40 s, another test a few hundredths.
_COST = {"browser": 15.0, "worker": 10.0}
_ORDINARY_COST = 0.05


def pytest_configure(config):
    """pytest-xdist hands out modules (``--dist loadscope``) in the order sorted below, not its own
    (most tests first, which leaves the one-test browser modules for the end)."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


@pytest.hookimpl(trylast=True)  # after pytest-django's own order, which the sort keeps within a module
def pytest_collection_modifyitems(config, items):
    costs: dict[str, float] = {}
    for item in items:
        cost = max((c for marker, c in _COST.items() if marker in item.keywords), default=_ORDINARY_COST)
        costs[item.nodeid.split("::", 1)[0]] = costs.get(item.nodeid.split("::", 1)[0], 0.0) + cost
    items.sort(key=lambda item: -costs[item.nodeid.split("::", 1)[0]])
    _skip_browser_tests_without_chromium(items)


def _skip_browser_tests_without_chromium(items):
    if shutil.which("chromium") or os.path.exists(CHROMIUM):
        return
    if os.environ.get("REQUIRE_BROWSER"):
        raise pytest.UsageError("Browser tests need Debian's Chromium: apt-get install chromium fonts-noto-cjk")
    skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A village officer's phone: 360 px wide, touch, Chinese, Beijing time."""
    return {
        **browser_context_args,
        "viewport": {"width": 360, "height": 740},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
    }


@pytest.fixture
def screenshot(page):
    """``screenshot("name")`` saves a full-page PNG under test-artifacts/ to look at: one pixel per
    CSS pixel, a quarter of the phone's (``device_scale_factor`` 2), which takes half the time
    (120 screenshots: ~12 s); ``SCREENSHOT_SCALE=device`` takes them at the device's pixels."""
    ARTIFACTS.mkdir(exist_ok=True)
    scale = "device" if os.environ.get("SCREENSHOT_SCALE") == "device" else "css"

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True, scale=scale)
        return path

    return take


# --- a real Celery worker (marker ``worker``) -----------------------------------------------------


def _database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class _Workers:
    """``celery_worker(beat=False)`` starts a worker process (with beat if asked) on a queue of its
    own, against the configured broker (Redis in CI) and this test's database, on the test's clock;
    returns the queue. ``celery_worker.succeeded(name)`` counts the runs of a task that finished."""

    def __init__(self, tmp_path, media_root):
        self.tmp_path = tmp_path
        self.media_root = media_root
        self.processes = []

    def __call__(self, *, beat: bool = False) -> str:
        from django.utils import timezone

        queue = f"test-{uuid.uuid4().hex[:8]}"
        env = {
            **os.environ,
            "DJANGO_ENV": "test",
            "DATABASE_URL": _database_url(),
            "MEDIA_ROOT": self.media_root,
            "CELERY_QUEUE": queue,
            "TEST_CLOCK": timezone.now().isoformat(),  # the worker's clock is the test's
        }
        command = [
            sys.executable,
            "-m",
            "emergency.testworker",
            "-A",
            "emergency",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            queue,
        ]
        if beat:
            command += ["--beat", "--schedule", str(self.tmp_path / f"beat-schedule-{queue}")]
        log = open(self.tmp_path / f"worker-{queue}.log", "w")  # noqa: SIM115 (closed in stop())
        process = subprocess.Popen(
            command, cwd=Path(__file__).resolve().parent, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        self.processes.append((process, log))
        return queue

    def output(self) -> str:
        return "".join(Path(log.name).read_text(errors="replace") for _, log in self.processes)

    def succeeded(self, task: str) -> int:
        return sum(1 for line in self.output().splitlines() if f"Task {task}[" in line and " succeeded in " in line)

    def stop(self):
        for process, log in self.processes:
            process.send_signal(signal.SIGTERM)  # the main process only; it shuts its pool down
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
        print(self.output()[-5000:])


@pytest.fixture
def celery_worker(tmp_path, settings):
    from emergency.celery import app as celery_app

    settings.MEDIA_ROOT = str(tmp_path / "media")
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    workers = _Workers(tmp_path, settings.MEDIA_ROOT)
    yield workers
    celery_app.conf.task_always_eager = eager
    workers.stop()


@pytest.fixture
def celery_wait_for():
    def wait(predicate, timeout: float = 60.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.1)  # polling the condition, not waiting a fixed time
        return False

    return wait
