"""One catalog import at a time (issue 10, M5): the lock file, PostgreSQL's advisory lock, the
CLI's message, and the first-start bootstrap that must not fail when another import runs."""

import argparse
import fcntl

import pytest
from django.db import OperationalError, connection, connections
from tests.catalog.test_import import CMS_HEADER, CMS_ROWS, write

from medmatch.catalog import bootstrap, cli_import
from medmatch.catalog.importers import base, import_lock
from medmatch.catalog.importers.lock import ADVISORY_LOCK_KEY, ImportLocked, lock_path
from medmatch.catalog.models import Institution, Source


@pytest.fixture
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def lock_held_elsewhere(data_dir):
    """The lock file locked through another open file, as another process would hold it."""
    path = lock_path()
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield path


def run_cli(argv) -> int:
    parser = argparse.ArgumentParser()
    cli_import.add_parser(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.mark.django_db
def test_it_refuses_a_second_import_at_once_and_writes_nothing(lock_held_elsewhere, capsys):
    path = write(lock_held_elsewhere.parent, "cms.csv", CMS_HEADER, CMS_ROWS)
    assert run_cli(["import", "cms-hospitals", path]) == 1
    error = capsys.readouterr().err
    assert "another import is running" in error
    assert "nothing was written" in error
    assert str(lock_held_elsewhere) in error
    assert Institution.objects.count() == 0
    assert Source.objects.count() == 0


@pytest.mark.django_db
def test_it_releases_the_lock_when_an_import_fails(data_dir):
    bad = write(data_dir, "cms.csv", CMS_HEADER, [CMS_ROWS[0].replace("010001", "0100X")])
    assert run_cli(["import", "cms-hospitals", bad]) == 1
    with import_lock():
        pass


@pytest.mark.django_db
def test_it_says_nothing_was_written_when_the_database_is_locked(data_dir, monkeypatch, capsys):
    """Another writer than an import (or an import of another data directory) holds SQLite's
    lock past the timeout: a clear message, never a traceback."""

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(base, "save_source_row", locked)
    path = write(data_dir, "cms.csv", CMS_HEADER, CMS_ROWS)
    assert run_cli(["import", "cms-hospitals", path]) == 1
    error = capsys.readouterr().err
    assert "nothing was written" in error
    assert "database is locked" in error
    assert Institution.objects.count() == 0


@pytest.mark.django_db
def test_it_says_how_to_finish_an_import_stopped_partway(data_dir, monkeypatch, capsys):
    real, calls = base._update_objects, []

    def full_disk_on_the_second_batch(*args):
        calls.append(args)
        if len(calls) == 2:
            raise OperationalError("database or disk is full")
        real(*args)

    monkeypatch.setattr(base, "BATCH_SIZE", 2)
    path = write(data_dir, "cms.csv", CMS_HEADER, CMS_ROWS)
    assert run_cli(["import", "cms-hospitals", path]) == 0
    changed = write(data_dir, "cms2.csv", CMS_HEADER, [r.replace(",AL,", ",GA,") for r in CMS_ROWS])
    monkeypatch.setattr(base, "_update_objects", full_disk_on_the_second_batch)
    assert run_cli(["import", "cms-hospitals", changed]) == 1
    error = capsys.readouterr().err
    assert "stopped partway" in error
    assert "run the same import again" in error
    monkeypatch.setattr(base, "_update_objects", real)
    assert run_cli(["import", "cms-hospitals", changed]) == 0
    assert not Institution.objects.filter(region="AL").exists()


@pytest.mark.django_db
def test_it_skips_the_first_start_import_while_another_import_runs(lock_held_elsewhere, capsys):
    bootstrap.ensure_catalog()  # returns: the web server starts
    error = capsys.readouterr().err
    assert "another process is importing" in error
    assert Institution.objects.count() == 0


@pytest.mark.django_db
def test_it_imports_on_first_start_under_the_lock(data_dir, settings, monkeypatch):
    seen = []
    monkeypatch.setattr(bootstrap, "_import_all", lambda console: seen.append(_locked_elsewhere()))
    bootstrap.ensure_catalog()
    assert seen == [True]


def _locked_elsewhere() -> bool:
    with open(lock_path(), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


@pytest.mark.django_db
def test_it_refuses_while_another_session_holds_the_advisory_lock(data_dir):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's advisory lock")
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        with pytest.raises(ImportLocked) as error, import_lock():
            pass
        assert "the database's import lock" in str(error.value)
        # The lock file was released with the refusal.
        assert not _locked_elsewhere()
    finally:
        # Unlock before closing: a closed client's backend exits (and drops its
        # locks) a moment later, so a bare close() raced the next line on a
        # loaded machine.
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
        other.close()
    with import_lock():
        pass
