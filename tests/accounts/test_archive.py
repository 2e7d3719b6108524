"""The account archive: export → import into a fresh account on another server → export gives
the same account.json and the same files; a waived letter is never in it; a bad archive is
refused with the part and the reason, and writes nothing."""

import io
import json
import re
import zipfile

import pytest

from medmatch.accounts.archive import (
    ACCOUNT,
    MANIFEST,
    RECORDS,
    ArchiveError,
    build_archive,
    dumps,
    sha256,
)
from medmatch.accounts.services import account_delete, account_import
from medmatch.applications.models import Application, Statement
from medmatch.catalog.models import Institution, Program
from medmatch.letters.models import Letter
from tests.accounts.archive_world import OPEN_LETTER, SECRET, fill_account, make_catalog
from tests.personas import make_user

pytestmark = pytest.mark.django_db


def parts(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        return {name: zipped.read(name) for name in zipped.namelist()}


def rezip(contents: dict[str, bytes], *, fix_manifest: bool = True) -> bytes:
    """An archive of ``contents``, its manifest rewritten to match them unless told not to."""
    contents = dict(contents)
    if fix_manifest and MANIFEST in contents:
        manifest = json.loads(contents[MANIFEST])
        manifest["parts"] = [
            {"path": path, "size": len(data), "sha256": sha256(data)}
            for path, data in sorted(contents.items())
            if path != MANIFEST
        ]
        contents[MANIFEST] = dumps(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path, data in contents.items():
            zipped.writestr(path, data)
    return buffer.getvalue()


@pytest.fixture
def world(alice, bob):
    catalog = make_catalog()
    fill_account(alice, catalog)
    alice.full_name = "Alice Example"
    alice.phone = "+1 555 0100"
    alice.save()
    fill_account(bob, catalog)
    return catalog


def _move_catalog(catalog):
    """Another server: the same catalog under other database ids."""
    for program in list(Program.objects.all()):
        Program.objects.filter(pk=program.pk).delete()
        program.pk = None
        program.save()
    for institution in list(Institution.objects.all()):
        old, ccn = institution.pk, institution.ccn
        institution.pk, institution.ccn = None, ""  # the CCN is unique: moved after the row
        institution.save()
        Program.objects.filter(institution_id=old).update(institution=institution)
        Institution.objects.filter(pk=old).delete()
        institution.ccn = ccn
        institution.save()


def test_it_round_trips_an_account_including_its_files(alice, bob, world):
    first = parts(build_archive(alice))
    bobs_before = parts(build_archive(bob))[ACCOUNT]
    account_delete(user=alice)
    account_delete(user=bob)
    _move_catalog(world)
    fresh = make_user("alice")
    account_import(user=fresh, content=rezip(first, fix_manifest=False))
    second = parts(build_archive(fresh))

    assert second[ACCOUNT] == first[ACCOUNT]
    files = sorted(p for p in first if p.startswith("files/"))
    assert (
        files
        == sorted(p for p in second if p.startswith("files/"))
        == ["files/letters/letter_request-1.pdf"]
    )
    assert second[files[0]] == first[files[0]] == OPEN_LETTER
    manifest = json.loads(second[MANIFEST])
    assert manifest["format"] == "medmatch-account-archive" and manifest["version"] == 2
    assert {p["path"] for p in manifest["parts"]} == {ACCOUNT, RECORDS, *files}
    # Records of the old server are not imported: the new one has its own (none yet).
    assert json.loads(second[RECORDS])["research"]["reviews"] == []
    assert json.loads(first[RECORDS])["research"]["reviews"][0]["text"] == "Kind people."
    assert bobs_before != first[ACCOUNT]


def test_it_refers_to_objects_by_keys_and_to_the_catalog_by_natural_keys(alice, world):
    data = json.loads(parts(build_archive(alice))[ACCOUNT])
    applications = data["applications"]["applications"]
    assert [a["key"] for a in applications] == ["application-1", "application-2"]
    assert applications[0]["program"]["nrmp_code"] == "1234140C0"
    assert not {key for key in _keys(data) if key == "id" or key.endswith("_id")} - NATURAL
    (tailored,) = data["applications"]["tailored_cvs"]
    assert tailored["entries"] == ["cv_entry-1", "cv_entry-2"]  # the deleted entry is left out
    variant = data["applications"]["statements"][1]
    assert variant["based_on"] == "statement-1" and variant["application"] == "application-1"
    assert data["research"]["open_questions"][1]["insight"] == "insight-1"
    attempts = data["interviews"]["practice_attempts"]
    assert [bool(a.get("bank_question")) for a in attempts] == [False, True]
    assert attempts[0]["question"] == "question-1"


NATURAL = {"eras_letter_id", "carms_stream_id"}


def _keys(data):
    if isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _keys(value)
    elif isinstance(data, list):
        for value in data:
            yield from _keys(value)


def test_it_never_puts_a_waived_letter_in_the_archive(alice, world):
    archive = build_archive(alice)
    assert SECRET not in archive
    for name, content in parts(archive).items():
        assert SECRET not in content, name
    data = json.loads(parts(archive)[ACCOUNT])
    waived = [r for r in data["letters"]["requests"] if r["waived"]]
    assert waived and all(r["letter"] is None for r in waived)
    waived_sha = Letter.objects.get(request__student=alice, waived=True).sha256
    assert waived_sha.encode() not in archive


def test_it_holds_none_of_another_students_data(alice, bob, world):
    bob.full_name = "Bob Secret-Name"
    bob.save()
    archive = parts(build_archive(alice))
    for content in archive.values():
        assert b"Bob Secret-Name" not in content and b"bob@example.org" not in content


def test_it_imports_into_an_empty_account_only(alice, world):
    archive = build_archive(alice)
    with pytest.raises(ArchiveError, match="already holds data"):
        account_import(user=alice, content=archive)
    assert Application.objects.filter(student=alice).count() == 2


def test_it_refuses_programs_this_server_lacks_and_writes_nothing(alice, bob, world):
    archive = build_archive(alice)
    account_delete(user=alice)
    account_delete(user=bob)
    Program.objects.filter(nrmp_code="1234140C0").delete()
    fresh = make_user("alice")
    with pytest.raises(ArchiveError) as error:
        account_import(user=fresh, content=archive)
    assert "Internal Medicine — Boston General (1234140C0)" in str(error.value)
    assert "not in this server's catalog" in str(error.value)
    assert not Statement.objects.filter(student=fresh).exists()


def _tampered(alice, change) -> bytes:
    contents = parts(build_archive(alice))
    return change(contents) or contents


BAD = {
    "not a zip": (lambda c: b"hello", "archive: not a zip file"),
    "no manifest": (
        lambda c: rezip({k: v for k, v in c.items() if k != MANIFEST}),
        "manifest.json: missing",
    ),
    "path traversal": (
        lambda c: rezip(c | {"../etc/passwd": b"x"}),
        "../etc/passwd: not a part an account archive has",
    ),
    "absolute path": (lambda c: rezip(c | {"/tmp/x": b"x"}), "/tmp/x: not a part"),
    "missing file": (
        lambda c: rezip({k: v for k, v in c.items() if not k.startswith("files/")}),
        "account.json letters.requests[0].letter.file: names 'files/letters/letter_request-1.pdf'",
    ),
    "sha mismatch": (
        lambda c: rezip(
            c
            | {
                "files/letters/letter_request-1.pdf": c["files/letters/letter_request-1.pdf"][:-1]
                + b"X"
            },
            fix_manifest=False,
        ),
        "files/letters/letter_request-1.pdf: its SHA-256 differs from the manifest's",
    ),
    "unlisted part": (
        lambda c: rezip(c | {"files/extra.txt": b"x"}, fix_manifest=False),
        "files/extra.txt: in the zip but not in the manifest",
    ),
    "other version": (
        lambda c: rezip(c | {MANIFEST: c[MANIFEST].replace(b'"version": 2', b'"version": 9')}),
        "manifest.json: version 9 is not one this server reads",
    ),
    "other format": (
        lambda c: rezip(c | {MANIFEST: b'{"format": "something-else", "version": 2}'}),
        "manifest.json: not a medmatch-account-archive",
    ),
    "bad json": (lambda c: rezip(c | {ACCOUNT: b"{nope"}), "account.json: not valid JSON"),
    "bad value": (
        lambda c: rezip(
            c | {ACCOUNT: c[ACCOUNT].replace(b'"status": "preparing"', b'"status": "lost"')}
        ),
        "account.json applications.applications[0]: status:",
    ),
    "dangling key": (
        lambda c: rezip(
            c
            | {
                ACCOUNT: c[ACCOUNT].replace(
                    b'"based_on": "statement-1"', b'"based_on": "statement-9"'
                )
            }
        ),
        "account.json applications.statements[1].based_on: 'statement-9' is not a statement",
    ),
    "question the bank lacks": (
        lambda c: rezip(
            c
            | {ACCOUNT: re.sub(rb'"bank_question": "[^"]*"', b'"bank_question": "zz"', c[ACCOUNT])}
        ),
        "account.json interviews.practice_attempts[1].bank_question: 'zz' is not in this server's",
    ),
    "zip bomb": (
        lambda c: rezip(c | {"files/bomb.bin": b"\0" * 5_000_000}),
        "files/bomb.bin: compressed too much",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_it_refuses_a_bad_archive_naming_the_part_and_writes_nothing(alice, world, case):
    change, message = BAD[case]
    archive = _tampered(alice, change)
    account_delete(user=alice)
    fresh = make_user("alice")
    letters_before = Letter.objects.count()
    with pytest.raises(ArchiveError) as error:
        account_import(user=fresh, content=archive)
    assert message in str(error.value)
    assert not Application.objects.filter(student=fresh).exists()
    assert not Statement.objects.filter(student=fresh).exists()
    assert Letter.objects.count() == letters_before
    fresh.refresh_from_db()
    assert fresh.full_name == ""


def test_it_writes_the_same_bytes_for_the_same_account(alice, world):
    from datetime import UTC, datetime

    now = datetime(2026, 12, 1, tzinfo=UTC)
    assert build_archive(alice, now=now) == build_archive(alice, now=now)


def _with_parts(contents: dict[str, bytes], extra: dict[str, bytes]) -> bytes:
    """``contents`` plus ``extra``, written with parts named twice kept (zipfile warns, but
    writes them, as a hostile archive would)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path, data in contents.items():
            zipped.writestr(path, data)
        for path, data in extra.items():
            with pytest.warns(UserWarning, match="Duplicate name"):
                zipped.writestr(path, data)
    return buffer.getvalue()


def _encrypted_flag(archive: bytes, part: str) -> bytes:
    """``archive`` with the "encrypted" bit set on ``part`` in its central directory entry."""
    data = bytearray(archive)
    name = part.encode()
    at = data.find(b"PK\x01\x02")  # the first central directory entry
    while at != -1:
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        if bytes(data[at + 46 : at + 46 + length]) == name:
            data[at + 8] |= 0x1
            return bytes(data)
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{part} not in the archive")


# The bounds on reading an archive, each lowered so that a small archive crosses it; the import
# must name the bound and write nothing.
BOUNDS = {
    "too many parts": ("MAX_PARTS", 2, "archive: more than 2 parts"),
    "a part too large": ("MAX_PART_BYTES", 1024, ": larger than 0 MB"),
    "too much in all": ("MAX_TOTAL_BYTES", 4096, "archive: more than 0 MB"),
}


@pytest.mark.parametrize("case", sorted(BOUNDS))
def test_it_refuses_an_archive_past_a_bound_and_writes_nothing(alice, world, monkeypatch, case):
    name, value, message = BOUNDS[case]
    archive = build_archive(alice)
    account_delete(user=alice)
    fresh = make_user("alice")
    monkeypatch.setattr(f"medmatch.accounts.archive.{name}", value)
    with pytest.raises(ArchiveError) as error:
        account_import(user=fresh, content=archive)
    assert message in str(error.value)
    assert not Application.objects.filter(student=fresh).exists()


def test_it_refuses_a_part_named_twice_and_an_encrypted_part(alice, world):
    contents = parts(build_archive(alice))
    account_delete(user=alice)
    fresh = make_user("alice")
    twice = _with_parts(contents, {ACCOUNT: contents[ACCOUNT]})
    with pytest.raises(ArchiveError, match="archive: a part is there twice"):
        account_import(user=fresh, content=twice)
    encrypted = _encrypted_flag(rezip(contents), ACCOUNT)
    with pytest.raises(ArchiveError, match=r"account\.json: encrypted"):
        account_import(user=fresh, content=encrypted)
    assert not Application.objects.filter(student=fresh).exists()
