"""Back up and restore the whole site: the database and the media files (letters) in one tar.gz.

The archive holds ``manifest.json`` (format version, database vendor, applied migrations, when it
was made, rows per table), the database (``database.dump``: ``pg_dump`` custom format, or
``database.sqlite3``: a copy made with SQLite's online backup API) and ``media/`` (MEDIA_ROOT,
modes kept, so letters stay 0600).

Both dumps are consistent while the site runs: on PostgreSQL the counts are read in a
repeatable-read transaction whose snapshot ``pg_dump --snapshot`` then dumps; on SQLite the counts
are read from the copy itself.

A restore checks everything before it writes anything: the archive must be a tar with a manifest of
this format version and of the configured database's vendor, every member must extract safely, and
the database and MEDIA_ROOT must be empty unless ``force``. It then replaces the database in one
step (PostgreSQL: drop the tables and load the dump in a single ``psql`` transaction; SQLite: the
backup API, which swaps every page at once) and swaps MEDIA_ROOT by renaming.
"""

import dataclasses
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

FORMAT = "medmatch-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA = "media"

# Rows that `migrate` itself writes; a database holding only these counts as empty. (The interview
# question bank is loaded by a data migration; a student's own questions imply a user row.)
FILLED_BY_MIGRATE = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "interviews_question",
}


class BackupError(Exception):
    """A refusal or failure with a message for the person at the terminal. ``exit_code`` 2 means
    nothing was written."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


@dataclasses.dataclass(frozen=True)
class Result:
    manifest: dict
    media_files: int


def backup_create(path: Path, *, force: bool = False) -> Result:
    """Write the archive to ``path`` (0600: it holds confidential letters), through a temporary
    file in the same folder so that a failed backup leaves nothing behind."""
    path = Path(path)
    if path.exists() and not force:
        raise BackupError(f"{path} exists; choose another name or pass --force to replace it.")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a folder.")
    vendor = _vendor()
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix=".medmatch-backup-", dir=path.parent) as work:
        dump = Path(work) / DUMP_NAMES[vendor]
        facts = _dump_postgresql(dump) if vendor == "postgresql" else _dump_sqlite(dump)
        dump.chmod(0o600)
        media_files = _count_files(media_root)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "vendor": vendor,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": DUMP_NAMES[vendor],
            **facts,
            "media_files": media_files,
        }
        partial = Path(work) / "archive.tar.gz"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now(UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=DUMP_NAMES[vendor])
            if media_root.is_dir():
                tar.add(media_root, arcname=MEDIA)
        os.replace(partial, path)
    return Result(manifest=manifest, media_files=media_files)


def backup_restore(path: Path, *, force: bool = False) -> Result:
    """Restore the archive at ``path`` into the configured database and MEDIA_ROOT."""
    path = Path(path)
    manifest, members = _read_archive(path)
    vendor = _vendor()
    if manifest["vendor"] != vendor:
        raise BackupError(
            f"{path} is a {label(manifest['vendor'])} backup, but the configured database is "
            f"{label(vendor)}; restore it into a {label(manifest['vendor'])} database."
        )
    unknown = _unknown_migrations(manifest["migrations"])
    if unknown:
        raise BackupError(
            f"{path} was made by a newer medmatch: it has migrations this version does not know "
            f"({', '.join(unknown[:5])}{'…' if len(unknown) > 5 else ''}). Upgrade, then restore."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if not force:
        holding = _tables_with_data()
        if holding:
            raise BackupError(
                f"the database is not empty ({', '.join(holding[:5])}"
                f"{'…' if len(holding) > 5 else ''} have rows); restoring would replace it. "
                "Pass --force to replace it."
            )
        if _count_files(media_root):
            raise BackupError(
                f"MEDIA_ROOT ({media_root}) is not empty; restoring would replace it. "
                "Pass --force to replace it."
            )
    media_root.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".medmatch-restore-", dir=media_root.parent))
    try:
        try:
            with tarfile.open(path, mode="r:gz") as tar:
                tar.extractall(work, members=members, filter="data")
        except (OSError, tarfile.TarError, EOFError) as error:
            raise BackupError(f"{path} is damaged and could not be read whole: {error}") from None
        dump = work / manifest["database"]
        if not dump.is_file():
            raise BackupError(f"{path} has no {manifest['database']}; it is not a whole backup.")
        if vendor == "postgresql":
            _restore_postgresql(dump)
        else:
            _restore_sqlite(dump)
        restored_media = work / MEDIA
        if not restored_media.is_dir():
            restored_media.mkdir(mode=0o700)
        _swap_folder(restored_media, media_root)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Result(manifest=manifest, media_files=_count_files(media_root))


def table_counts() -> dict[str, int]:
    """Rows per Django table of the configured database, as the manifest records them."""
    with connection.cursor() as cursor:
        return _table_counts(cursor, connection.introspection.table_names(cursor))


# --- reading an archive -----------------------------------------------------------------------


def _read_archive(path: Path) -> tuple[dict, list[tarfile.TarInfo]]:
    """The manifest and the members to extract, or BackupError when the archive is not one of
    ours. Reads only; every member is checked against the "data" extraction filter here."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            members = tar.getmembers()
            by_name = {member.name: member for member in members}
            if MANIFEST not in by_name or not by_name[MANIFEST].isfile():
                raise BackupError(f"{path} has no {MANIFEST}; it is not a medmatch backup.")
            raw = tar.extractfile(by_name[MANIFEST]).read(1_000_000)
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"{path} is not a tar.gz archive ({error}).") from None
    try:
        manifest = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{path}: {MANIFEST} is not valid JSON ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: {MANIFEST} is not a medmatch backup manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is backup format version {manifest.get('format_version')!r}; this medmatch "
            f"reads version {FORMAT_VERSION} only. Restore it with the medmatch that made it."
        )
    vendor = manifest.get("vendor")
    if vendor not in DUMP_NAMES or manifest.get("database") != DUMP_NAMES[vendor]:
        raise BackupError(f"{path}: {MANIFEST} names an unknown database vendor {vendor!r}.")
    migrations = manifest.get("migrations")
    if not isinstance(migrations, dict) or not all(
        isinstance(names, list) and all(isinstance(name, str) for name in names)
        for names in migrations.values()
    ):
        raise BackupError(f"{path}: {MANIFEST} has no migration state.")
    if manifest["database"] not in by_name:
        raise BackupError(f"{path} has no {manifest['database']}; it is not a whole backup.")
    allowed = {MANIFEST, manifest["database"]}
    checked = []
    for member in members:
        if member.name == MANIFEST:
            continue
        if member.name not in allowed and member.name.split("/")[0] != MEDIA:
            raise BackupError(f"{path} holds {member.name!r}, which a medmatch backup never has.")
        try:
            tarfile.data_filter(member, "/nonexistent-restore-target")
        except tarfile.FilterError as error:
            raise BackupError(f"{path} holds an unsafe entry: {error}") from None
        checked.append(member)
    return manifest, checked


def _unknown_migrations(recorded: dict) -> list[str]:
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return sorted(
        f"{app}.{name}"
        for app, names in recorded.items()
        for name in names
        if (app, name) not in known
    )


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_command(program: str) -> tuple[list[str], dict]:
    """``program`` with the connection arguments and environment Django's `dbshell` would use."""
    if not shutil.which(program):
        raise BackupError(
            f"{program} is not installed; install the PostgreSQL client of the server's version "
            "(e.g. apt-get install postgresql-client)."
        )
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, [])
    return [program, *args[1:]], {**os.environ, **(env or {})}


def _pg_check_version(program: str) -> None:
    output = subprocess.run([program, "--version"], capture_output=True, text=True).stdout
    found = re.search(r"\b(\d+)(?:\.\d+)+", output)  # "pg_dump (PostgreSQL) 15.20 (Debian …)"
    client_major = int(found.group(1)) if found else 0
    connection.ensure_connection()
    server_major = connection.pg_version // 10000
    if client_major < server_major:
        raise BackupError(
            f"{program} is version {client_major} but the server is PostgreSQL {server_major}; "
            f"install postgresql-client-{server_major}."
        )


def _dump_postgresql(dump: Path) -> dict:
    command, env = _pg_command("pg_dump")
    _pg_check_version("pg_dump")
    # Counts and dump from one snapshot, so the manifest describes exactly what was dumped.
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
            tables = [row[0] for row in cursor.fetchall()]
            facts = _facts(cursor, tables)
            done = subprocess.run(
                [*command, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"],
                env=env,
                capture_output=True,
                text=True,
            )
            cursor.execute("COMMIT")
    finally:
        raw.close()
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}", exit_code=1)
    facts["server_version"] = connection.pg_version
    return facts


def _restore_postgresql(dump: Path) -> None:
    psql, env = _pg_command("psql")
    _pg_command("pg_restore")
    # The dump as SQL (no owners or grants: the restoring role owns everything), run after dropping
    # the current tables, all in one transaction: a failure leaves the database as it was.
    script = subprocess.run(
        ["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(dump)],
        capture_output=True,
    )
    if script.returncode != 0:
        raise BackupError(f"pg_restore could not read the dump: {script.stderr.decode().strip()}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
    connection.close()
    drop = (
        "DROP TABLE IF EXISTS "
        + ", ".join(connection.ops.quote_name(table) for table in tables)
        + " CASCADE;\n"
        if tables
        else ""
    )
    done = subprocess.run(
        [*psql, "--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1"],
        input=drop.encode() + script.stdout,
        env=env,
        capture_output=True,
    )
    if done.returncode != 0:
        raise BackupError(
            f"restoring the database failed and was rolled back: {done.stderr.decode().strip()}",
            exit_code=1,
        )


# --- SQLite -------------------------------------------------------------------------------------


def _dump_sqlite(dump: Path) -> dict:
    connection.ensure_connection()
    target = sqlite3.connect(dump)
    try:
        connection.connection.backup(target)
        # A plain rollback-journal file: it opens alone, without -wal or -shm beside it.
        target.execute("PRAGMA journal_mode=DELETE")
        cursor = target.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        return _facts(cursor, [row[0] for row in cursor.fetchall()])
    finally:
        target.close()


def _restore_sqlite(dump: Path) -> None:
    source = sqlite3.connect(dump)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"restoring the database failed: {error}", exit_code=1) from None
    finally:
        source.close()
    connection.close()


# --- shared helpers -----------------------------------------------------------------------------


def _vendor() -> str:
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def label(vendor: str) -> str:
    """PostgreSQL or SQLite, as people write them."""
    return {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(vendor, str(vendor))


def _facts(cursor, existing_tables: list[str]) -> dict:
    """The applied migrations and rows per Django table, read through ``cursor``."""
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in existing_tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    return {"migrations": migrations, "tables": _table_counts(cursor, existing_tables)}


def _table_counts(cursor, existing_tables) -> dict[str, int]:
    # Django's own tables only: SQLite's full-text index tables are derived from the catalog.
    django_tables = set(connection.introspection.django_table_names()) | {"django_migrations"}
    counts = {}
    for table in sorted(set(existing_tables) & django_tables):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _tables_with_data() -> list[str]:
    counts = table_counts()
    return [table for table, rows in counts.items() if rows and table not in FILLED_BY_MIGRATE]


def _count_files(folder: Path) -> int:
    if not folder.is_dir():
        return 0
    return sum(len(files) for _, _, files in os.walk(folder))


def _swap_folder(new: Path, target: Path) -> None:
    """Put ``new`` in ``target``'s place by renames (same file system), removing the old one."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.replaced-{os.getpid()}")
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
