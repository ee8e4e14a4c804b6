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
    _scan_static_files_once()


def _scan_static_files_once():
    """Every test client (``client``, ``Client()``) builds the middleware again, and WhiteNoise's
    middleware then lists and stats every static file of every app (``WHITENOISE_USE_FINDERS``):
    about half of an ordinary view test's time. The files do not change during a run, so the
    list is made once per configuration (the settings that shape its headers) and shared."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    scan = WhiteNoiseMiddleware.add_files_from_finders
    scanned: dict[tuple, dict] = {}

    def add_files_from_finders(self):
        from django.conf import settings

        key = (
            self.static_prefix,
            self.max_age,
            self.allow_all_origins,
            self.charset,
            self.index_file,
            *(
                repr(getattr(settings, f"WHITENOISE_{name}", None))
                for name in ("MIMETYPES", "ADD_HEADERS_FUNCTION", "IMMUTABLE_FILE_TEST")
            ),
            repr(settings.STORAGES),
            repr(getattr(settings, "STATICFILES_DIRS", ())),
            repr(getattr(settings, "STATICFILES_FINDERS", ())),
            repr(settings.INSTALLED_APPS),
        )
        if key not in scanned:
            before = dict(self.files)
            scan(self)
            scanned[key] = {url: found for url, found in self.files.items() if before.get(url) is not found}
        self.files.update(scanned[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders


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


# --- the test databases: migrated once into a template, copied for each process ----------------
#
# Migrating the test database takes each pytest-xdist process about 25 s of CPU. The first process
# migrates a template instead (named for a hash of every migration file and the test clock's
# instant, since the rule tables' history rows carry its date), under a file lock the other
# processes wait on; then each process copies it (SQLite: the file; PostgreSQL: CREATE DATABASE …
# TEMPLATE) and Django opens the copy as a kept database (its migrate finds nothing to do). A
# changed migration or clock makes a new template; templates of older migrations are dropped.


def setup_test_databases(*, verbosity: int, aliases, serialized_aliases, keepdb: bool, template: bool = True):
    """``django.test.utils.setup_databases`` with each database copied from its template; the
    copies are this run's and are destroyed at its end. ``keepdb`` (``--reuse-db``) and no
    template (``--nomigrations``) as usual."""
    from django.db import connections
    from django.test.utils import setup_databases

    cloned = False
    if template and not keepdb and aliases:
        cloned = all(_copy_from_template(connections[alias], verbosity) for alias in aliases)
    config = setup_databases(
        verbosity=verbosity,
        interactive=False,
        aliases=aliases,
        serialized_aliases=serialized_aliases,
        keepdb=keepdb or cloned,
    )
    if cloned:
        config = [(connection, old_name, True) for connection, old_name, _destroy in config]
    return config


def _migrations_key() -> str:
    import hashlib
    from pathlib import Path

    from django.apps import apps

    from emergency import testclock

    digest = hashlib.sha256()
    for config in apps.get_app_configs():
        folder = Path(config.path) / "migrations"
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{config.label}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    clock = hashlib.sha256(testclock.instant().isoformat().encode()).hexdigest()
    return f"{digest.hexdigest()[:12]}_{clock[:6]}"


def _template_stem(base: str) -> str:
    """The database name the template's name starts with: ``base`` itself, or, where
    ``{base}_template_{12}_{6}_building`` would pass PostgreSQL's 63-byte limit (which truncates
    names silently, so two templates would collide), its first bytes and a hash of the rest."""
    import hashlib

    room = 63 - len("_template_") - 12 - 1 - 6 - len("_building")
    if len(base.encode()) <= room:
        return base
    return f"{base[: room - 7]}_{hashlib.sha256(base.encode()).hexdigest()[:6]}"


def _copy_from_template(connection, verbosity: int) -> bool:
    """Copy the migrated template into this process's test database (building the template
    first if no process has); False for a backend other than SQLite and PostgreSQL."""
    import fcntl
    from pathlib import Path

    from django.conf import settings

    if connection.vendor not in {"sqlite", "postgresql"}:
        return False
    target = connection.creation._get_test_db_name()
    if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(target):
        return False
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    base = target[: -len(worker) - 1] if worker and target.endswith(f"_{worker}") else target
    migrations, clock = _migrations_key().split("_")
    stem = _template_stem(base) if connection.vendor == "postgresql" else base
    template = f"{stem}_template_{migrations}_{clock}"
    lock_dir = Path(settings.BASE_DIR) / "var"
    lock_dir.mkdir(exist_ok=True)
    name = Path(base).name if connection.vendor == "sqlite" else base
    with open(lock_dir / f".{name}.template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one process builds, the others wait; released on close
        backend = _SQLiteTemplates(connection) if connection.vendor == "sqlite" else _PostgresTemplates(connection)
        if not backend.exists(template):
            backend.prune(f"{stem}_template_", keep=f"_{migrations}_")
            _migrate_into(connection, f"{template}_building", verbosity)
            backend.rename(f"{template}_building", template)
        backend.copy(template, target)
    return True


def _migrate_into(connection, name: str, verbosity: int) -> None:
    test = connection.settings_dict.setdefault("TEST", {})
    old_test_name = test.get("NAME")
    test["NAME"] = name
    old_name = connection.settings_dict["NAME"]  # create_test_db answers the new name, not the old
    try:
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=True)  # closes, names restored
    finally:
        test["NAME"] = old_test_name


class _SQLiteTemplates:
    def __init__(self, connection):
        self.connection = connection

    def exists(self, name: str) -> bool:
        return os.path.exists(name)

    def prune(self, prefix: str, keep: str) -> None:
        import glob

        for path in glob.glob(f"{glob.escape(prefix)}*"):
            if keep not in path:
                os.remove(path)

    def rename(self, old: str, new: str) -> None:
        os.replace(old, new)

    def copy(self, template: str, target: str) -> None:
        import shutil

        for suffix in ("-wal", "-shm", "-journal"):
            if os.path.exists(target + suffix):
                os.remove(target + suffix)
        shutil.copyfile(template, f"{target}.copying")
        os.replace(f"{target}.copying", target)


class _PostgresTemplates:
    def __init__(self, connection):
        self.connection = connection
        self.quote = connection.ops.quote_name

    def _execute(self, sql: str, params=None):
        with self.connection.creation._nodb_cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else None

    def exists(self, name: str) -> bool:
        return bool(self._execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]))

    def prune(self, prefix: str, keep: str) -> None:
        rows = self._execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [prefix])
        for (name,) in rows:
            if keep not in name:
                self._execute(f"DROP DATABASE IF EXISTS {self.quote(name)}")

    def rename(self, old: str, new: str) -> None:
        self._execute(f"ALTER DATABASE {self.quote(old)} RENAME TO {self.quote(new)}")

    def copy(self, template: str, target: str) -> None:
        self._execute(f"DROP DATABASE IF EXISTS {self.quote(target)}")
        self._execute(f"CREATE DATABASE {self.quote(target)} TEMPLATE {self.quote(template)}")
