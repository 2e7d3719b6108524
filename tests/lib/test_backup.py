"""`medmatch backup` / `medmatch restore`: a round trip on the configured test database (SQLite or,
with DATABASE_URL, PostgreSQL through pg_dump), the refusals, and bad archives."""

import datetime
import io
import json
import os
import stat
import tarfile

import pytest
from django.core.management import call_command
from tests.catalog.factories import make_institution, make_program
from tests.personas import make_user

from medmatch.accounts.models import User
from medmatch.applications.models import Application
from medmatch.applications.services import application_create
from medmatch.cli import build_parser
from medmatch.lib import backup

LETTER_BYTES = b"%PDF-1.4\n% a confidential letter\n%%EOF\n"


def run(*argv) -> int:
    args = build_parser().parse_args(list(argv))
    return args.func(args)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "site" / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def site_data(transactional_db, media_root):
    """A student, her application, and a letter file (0600) in MEDIA_ROOT."""
    alice = make_user("alice", first_name="Alice")
    program = make_program("Internal Medicine", institution=make_institution("Columbia"))
    application, _ = application_create(student=alice, program=program)
    application.notes = "Ask Dr Chen — ünïcode kept"
    application.deadline = datetime.date(2026, 10, 1)
    application.save()
    letter = media_root / "private" / "letters" / "0123abcd.pdf"
    letter.parent.mkdir(parents=True)
    letter.write_bytes(LETTER_BYTES)
    letter.chmod(0o600)
    return {"alice": alice, "application": application, "letter": letter}


def wipe(media_root) -> None:
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(media_root.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()


def test_it_round_trips_the_database_and_the_media_files(site_data, media_root, tmp_path, capsys):
    archive = tmp_path / "backup.tar.gz"
    counts_before = backup.table_counts()
    assert run("backup", str(archive)) == 0
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600

    wipe(media_root)
    assert not User.objects.exists() and not site_data["letter"].exists()

    assert run("restore", str(archive)) == 0
    assert backup.table_counts() == counts_before
    application = Application.objects.get(pk=site_data["application"].pk)
    assert application.student.username == "alice"
    assert application.student.first_name == "Alice"
    assert application.notes == "Ask Dr Chen — ünïcode kept"
    assert application.deadline == datetime.date(2026, 10, 1)
    assert application.student.check_password("correct horse battery staple")
    letter = site_data["letter"]
    assert letter.read_bytes() == LETTER_BYTES
    assert stat.S_IMODE(letter.stat().st_mode) == 0o600
    out = capsys.readouterr().out
    assert "Restored the" in out and "1 media file(s)" in out
    assert "accounts_user: 1 rows" in out


def test_it_writes_a_manifest_with_format_vendor_migrations_and_counts(site_data, tmp_path):
    from django.db import connection

    archive = tmp_path / "backup.tar.gz"
    assert run("backup", str(archive)) == 0
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["format"] == "medmatch-backup"
    assert manifest["format_version"] == backup.FORMAT_VERSION
    assert manifest["vendor"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["accounts"]
    assert datetime.datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    assert manifest["tables"]["accounts_user"] == 1
    assert manifest["tables"]["applications_application"] == 1
    assert manifest["media_files"] == 1
    assert manifest["database"] in names
    assert "media/private/letters/0123abcd.pdf" in names


def test_it_replaces_a_database_that_holds_data_only_with_force(site_data, media_root, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    assert run("backup", str(archive)) == 0
    make_user("bob")
    later_file = media_root / "private" / "letters" / "later.pdf"
    later_file.write_bytes(b"later")

    assert run("restore", str(archive)) == 2
    assert User.objects.filter(username="bob").exists() and later_file.exists()

    assert run("restore", "--force", str(archive)) == 0
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]
    assert not later_file.exists()
    assert site_data["letter"].read_bytes() == LETTER_BYTES


def test_it_refuses_a_media_root_that_holds_files_without_force(site_data, media_root, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    assert run("backup", str(archive)) == 0
    call_command("flush", interactive=False, verbosity=0)
    assert run("restore", str(archive)) == 2
    assert not User.objects.exists()


def test_it_refuses_to_overwrite_an_existing_archive_without_force(site_data, tmp_path, capsys):
    archive = tmp_path / "backup.tar.gz"
    archive.write_bytes(b"keep me")
    assert run("backup", str(archive)) == 2
    assert archive.read_bytes() == b"keep me"
    assert "--force" in capsys.readouterr().err
    assert run("backup", "--force", str(archive)) == 0
    assert tarfile.is_tarfile(archive)


def _archive(path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _manifest(**changes) -> bytes:
    from django.db import connection

    manifest = {
        "format": "medmatch-backup",
        "format_version": backup.FORMAT_VERSION,
        "vendor": connection.vendor,
        "database": backup.DUMP_NAMES[connection.vendor],
        "migrations": {"accounts": ["0001_initial"]},
        "tables": {},
        "created_at": "2026-12-01T00:00:00+00:00",
    }
    return json.dumps(manifest | changes).encode()


def _other_vendor() -> str:
    from django.db import connection

    return "sqlite" if connection.vendor == "postgresql" else "postgresql"


BAD_ARCHIVES = {
    "not a tar": (None, "is not a tar.gz archive"),
    "no manifest": ({"database.sqlite3": b"x"}, "has no manifest.json"),
    "manifest not json": ({"manifest.json": b"{not json"}, "is not valid JSON"),
    "another format version": (
        {"manifest.json": lambda: _manifest(format_version=99)},
        "backup format version 99",
    ),
    "another vendor": (
        {"manifest.json": lambda: _manifest(vendor=_other_vendor(), database="x")},
        "unknown database vendor",
    ),
    "no database file": ({"manifest.json": _manifest}, "it is not a whole backup"),
    "a path outside": (
        {"manifest.json": _manifest, "DATABASE": b"x", "media/../../evil": b"x"},
        "unsafe entry",
    ),
    "a stranger member": (
        {"manifest.json": _manifest, "DATABASE": b"x", "etc/passwd": b"x"},
        "never has",
    ),
    "newer migrations": (
        {
            "manifest.json": lambda: _manifest(migrations={"accounts": ["9999_from_the_future"]}),
            "DATABASE": b"x",
        },
        "accounts.9999_from_the_future",
    ),
}


@pytest.mark.parametrize("case", BAD_ARCHIVES)
def test_it_refuses_a_bad_archive_with_a_message_and_writes_nothing(
    case, transactional_db, media_root, tmp_path, capsys
):
    from django.db import connection

    members, message = BAD_ARCHIVES[case]
    archive = tmp_path / "bad.tar.gz"
    if members is None:
        archive.write_bytes(b"this is not a tar archive\n")
    else:
        database = backup.DUMP_NAMES[connection.vendor]
        _archive(
            archive,
            {
                (database if name == "DATABASE" else name): data() if callable(data) else data
                for name, data in members.items()
            },
        )
    counts_before = backup.table_counts()
    listing_before = sorted(os.listdir(media_root.parent)) if media_root.parent.exists() else []

    assert run("restore", str(archive)) == 2

    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert backup.table_counts() == counts_before
    assert not media_root.exists()
    after = sorted(os.listdir(media_root.parent)) if media_root.parent.exists() else []
    assert after == listing_before


def test_it_refuses_an_archive_made_on_the_other_database_vendor(
    transactional_db, tmp_path, capsys
):
    other = _other_vendor()
    archive = tmp_path / "other.tar.gz"
    manifest = _manifest(vendor=other, database=backup.DUMP_NAMES[other])
    _archive(archive, {"manifest.json": manifest, backup.DUMP_NAMES[other]: b"x"})
    assert run("restore", str(archive)) == 2
    assert "restore it into a" in capsys.readouterr().err


def test_it_counts_only_what_migrate_writes_as_empty(db):
    from medmatch.interviews.models import Question

    Question.objects.get_or_create(
        key="zz-test", student=None, defaults={"category": "opening", "text": "Hello?"}
    )
    assert backup._tables_with_data() == []
    make_user("bob")
    assert backup._tables_with_data() == ["accounts_user"]


def test_it_refuses_a_pg_dump_older_than_the_server_and_writes_nothing(
    transactional_db, tmp_path, monkeypatch, capsys
):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the pg_dump path runs only when the test database is PostgreSQL")
    real_run = backup.subprocess.run

    def old_pg_dump(command, **kwargs):
        if command[1:] == ["--version"]:
            return real_run(["echo", "pg_dump (PostgreSQL) 9.6.24"], **kwargs)
        return real_run(command, **kwargs)

    monkeypatch.setattr(backup.subprocess, "run", old_pg_dump)
    archive = tmp_path / "backup.tar.gz"
    assert run("backup", str(archive)) == 2
    assert "install postgresql-client-" in capsys.readouterr().err
    assert not archive.exists()
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".medmatch-backup-")]
