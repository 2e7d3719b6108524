"""One migrated test database, copied for each pytest-xdist worker.

Migrating an empty database takes about 5-6 s of CPU per worker (every migration of every app,
then the post_migrate handlers). The first worker that needs the database migrates it as Django
always does and keeps a copy, the *template*; every later worker, in this run and in the runs
after it, copies the template instead:

- SQLite: the test database is in memory (Django's default); the template is a file, written
  and read with SQLite's backup API.
- PostgreSQL: the template is a database of its own; a worker's database is
  ``CREATE DATABASE <test database> TEMPLATE <template>``.

The template's name carries a key: a hash of everything that decides what migrating an empty
database produces — every installed app's migration files, the files a data migration reads
(``MIGRATION_INPUTS``), the modules of the post_migrate handlers, Django's version and the
database engine. A changed, added or removed migration gives a new key, so a new template. Making
a PostgreSQL template drops the older ones of the same database; an SQLite template file is
removed a day after its last use (other checkouts on this machine share the directory). Making
and copying templates happens under one file lock (``LOCK_FILE``), so two workers, or two runs,
never build or copy a template at once. pytest-django's --reuse-db, --create-db and
--no-migrations do not apply: the template is always migrated, and always current.
"""

import contextlib
import fcntl
import hashlib
import inspect
import os
import sqlite3
import tempfile
import time
import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import post_migrate

import medmatch

DIRECTORY = Path(tempfile.gettempdir()) / "medmatch-test-databases"
LOCK_FILE = DIRECTORY / "lock"
# Files a data migration reads while it migrates an empty database: the question bank
# (interviews 0002). A data migration that reads another file adds it here.
MIGRATION_INPUTS = (Path(medmatch.__file__).resolve().parent / "interviews" / "data",)
# SQLite templates another checkout still uses are kept this long after their last use.
UNUSED_SQLITE_TEMPLATE_SECONDS = 24 * 3600


def migration_files() -> list[Path]:
    """Every installed app's migration modules, in a stable order."""
    files = []
    for app_config in apps.get_app_configs():
        module_name, _ = MigrationLoader.migrations_module(app_config.label)
        if module_name is None:
            continue
        try:
            module = __import__(module_name, fromlist=["__path__"])
        except ImportError:
            continue  # an app without migrations
        for directory in getattr(module, "__path__", []):
            files.extend(sorted(Path(directory).glob("*.py")))
    return files


def input_files() -> list[Path]:
    """What the key hashes: the migration files, the files data migrations read, and the
    modules of the post_migrate handlers (the catalog's search index, content types,
    permissions), whose work is in the template too."""
    handlers = set()
    for entry in post_migrate.receivers:  # (lookup key, receiver or a weak reference, ...)
        function = entry[1]() if isinstance(entry[1], weakref.ReferenceType) else entry[1]
        if function is not None:
            source = inspect.getsourcefile(inspect.unwrap(function))
            if source:
                handlers.add(Path(source))
    data = [file for directory in MIGRATION_INPUTS for file in sorted(directory.rglob("*"))]
    return [*migration_files(), *(file for file in data if file.is_file()), *sorted(handlers)]


def fingerprint(files: Iterable[Path], extra: Iterable[str] = ()) -> str:
    """A hash of each file's name and content, in the given order, and of ``extra``."""
    digest = hashlib.sha256()
    for value in extra:
        digest.update(value.encode() + b"\0")
    for file in files:
        digest.update("/".join(file.parts[-3:]).encode() + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()


def template_key(connection) -> str:
    extra = [django.__version__, connection.settings_dict["ENGINE"]]
    if connection.vendor == "sqlite":
        extra.append(sqlite3.sqlite_version)
    return fingerprint(input_files(), extra)[:16]


@contextlib.contextmanager
def locked() -> Iterator[None]:
    DIRECTORY.mkdir(parents=True, exist_ok=True)
    with open(LOCK_FILE, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def setup_databases(verbosity: int) -> list:
    """Each database's test database, migrated: copied from the template, or migrated (and made
    the template) when there is none yet. Returns what ``django.test.utils.teardown_databases``
    takes."""
    old_config = []
    for alias in connections:
        connection = connections[alias]
        old_name = connection.settings_dict["NAME"]
        copy = _SQLITE if connection.vendor == "sqlite" else _POSTGRESQL
        with locked():
            key = template_key(connection)
            template = copy.template(old_name, key)
            if not copy.restore(connection, template):
                connection.creation.create_test_db(
                    verbosity=verbosity, autoclobber=True, serialize=False
                )
                copy.save(connection, template)
        old_config.append((connection, old_name, True))
    return old_config


def _use_test_database(connection, name: str) -> None:
    """What Django's ``create_test_db`` does once the test database exists."""
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()


class _SQLITE:
    @staticmethod
    def template(database_name: str, key: str) -> Path:
        return DIRECTORY / f"sqlite-{key}.sqlite3"

    @staticmethod
    def restore(connection, template: Path) -> bool:
        if not template.exists():
            return False
        name = connection.creation._get_test_db_name()
        if not connection.creation.is_in_memory_db(name):
            Path(name).unlink(missing_ok=True)
        _use_test_database(connection, name)
        source = sqlite3.connect(template)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        os.utime(template)
        return True

    @staticmethod
    def save(connection, template: Path) -> None:
        partial = template.with_suffix(f".{os.getpid()}.partial")
        target = sqlite3.connect(partial)
        try:
            connection.ensure_connection()
            connection.connection.backup(target)
        finally:
            target.close()
        os.replace(partial, template)
        unused = time.time() - UNUSED_SQLITE_TEMPLATE_SECONDS
        for old in DIRECTORY.glob("sqlite-*.sqlite3"):
            if old != template and old.stat().st_mtime < unused:
                old.unlink(missing_ok=True)


class _POSTGRESQL:
    @staticmethod
    def template(database_name: str, key: str) -> str:
        """test_<database>_template_<key>, within PostgreSQL's 63 characters."""
        return f"test_{database_name}"[:37] + f"_template_{key}"

    @staticmethod
    def restore(connection, template: str) -> bool:
        name = connection.creation._get_test_db_name()
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            if cursor.fetchone() is None:
                return False
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
        _use_test_database(connection, name)
        return True

    @staticmethod
    def save(connection, template: str) -> None:
        prefix = template[: -len("_template_") - 16] + "_template_"
        quote = connection.ops.quote_name
        connection.close()  # PostgreSQL copies a database only while no one is connected to it
        migrated = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {quote(template)} TEMPLATE {quote(migrated)}")
            cursor.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                [prefix.replace("_", "\\_") + "%"],
            )
            for (old,) in cursor.fetchall():
                if old != template:
                    with contextlib.suppress(DatabaseError):  # still copied by a run elsewhere
                        cursor.execute(f"DROP DATABASE IF EXISTS {quote(old)}")
        connection.ensure_connection()
