"""Loaded by pytest (``-p emergency.testenv`` in pytest.ini) before Django is set up."""

import os

import pytest

os.environ["DJANGO_ENV"] = "test"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server


_session_clock = None
_django_deserialize = None


def pytest_configure(config):
    """The clock is set from the start, so that module constants (``TODAY = …``) read it too."""
    global _session_clock
    from emergency import testclock

    _session_clock = testclock.travel()
    _session_clock.start()
    _scan_static_files_once()
    _skip_restoring_restored_rows()


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


# --- the serialized rows a transactional test restores -------------------------------------------
#
# A transactional test (live server, real worker, threads at once) commits, so every table is
# flushed after it and the seeded rows (rule tables, their history, content types, permissions:
# ~1,700) are written again from the copy Django serialized at the start (``serialized_rollback``).
# Django's ``deserialize_db_from_string`` saves them one by one, an UPDATE and then an INSERT each
# (0.4 s), and does so again in the next transactional test's set-up, where they are all there
# already (0.2 s). Here the flushed tables get them back in a few INSERTs per table, and a set-up
# that finds the database as it was restored (no transactional test has run since) leaves it.

_restored: set[str] = set()  # the aliases whose database holds the serialized rows and nothing has committed since


def rows_restored(alias: str) -> None:
    """The database of ``alias`` holds exactly its serialized rows (just copied, or restored after a flush)."""
    _restored.add(alias)


def rows_written(alias: str) -> None:
    """A transactional test may commit on ``alias`` from now on."""
    _restored.discard(alias)


def restore_serialized_rows(connection) -> None:
    """``deserialize_db_from_string`` of the contents serialized at set-up, after a flush: a table
    found empty gets its rows (and their many-to-many rows) in a handful of INSERTs, without the
    signals of a save (Django's raw save sends them, and simple_history then adds a history row
    for each many-to-many value set); a table that is not empty is saved into as Django does."""
    from django.db import transaction

    contents = getattr(connection, "_test_serialized_contents", None)
    if not contents:
        return
    with transaction.atomic(using=connection.alias), connection.constraint_checks_disabled():
        tables = set()
        for model, objects in _serialized_groups(connection, contents):
            tables.add(model._meta.db_table)
            if any(obj.deferred_fields for obj in objects) or model._base_manager.using(connection.alias).exists():
                for obj in objects:
                    obj.save(using=connection.alias)
                continue
            _insert(connection, model, [obj.object for obj in objects])
            for name in {name for obj in objects for name in obj.m2m_data}:
                field = model._meta.get_field(name)
                through = field.remote_field.through
                source = through._meta.get_field(field.m2m_field_name()).attname
                target = through._meta.get_field(field.m2m_reverse_field_name()).attname
                links = [
                    through(**{source: obj.object.pk, target: value})
                    for obj in objects
                    for value in obj.m2m_data.get(name, ())
                ]
                tables.add(through._meta.db_table)
                _insert(connection, through, links)
        connection.check_constraints(table_names=sorted(tables))
    rows_restored(connection.alias)


def _insert(connection, model, rows: list) -> None:
    from django.db.models import QuerySet

    if not rows:
        return
    fields = [f for f in model._meta.local_concrete_fields if not (f.primary_key and rows[0].pk is None)]
    size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
    for start in range(0, len(rows), size):
        QuerySet(model, using=connection.alias)._insert(rows[start : start + size], fields=fields, raw=True)


def _serialized_groups(connection, contents: str):
    """The deserialized objects of ``contents``, grouped by model in their order."""
    from django.core import serializers

    groups: list[tuple[type, list]] = []
    for obj in serializers.deserialize("json", contents, using=connection.alias):
        model = type(obj.object)
        if not groups or groups[-1][0] is not model:
            groups.append((model, []))
        groups[-1][1].append(obj)
    return groups


def _deserialize_db_from_string(self, data):
    """Django's, except where nothing has been committed since the rows were restored."""
    connection = self.connection
    if connection.alias in _restored and data is getattr(connection, "_test_serialized_contents", None):
        return
    _django_deserialize(self, data)


def _skip_restoring_restored_rows():
    global _django_deserialize
    from django.db.backends.base.creation import BaseDatabaseCreation

    _django_deserialize = BaseDatabaseCreation.deserialize_db_from_string
    BaseDatabaseCreation.deserialize_db_from_string = _deserialize_db_from_string
