"""The account archive: everything a student owns, as a zip that another medmatch server imports.

Layout (``ARCHIVE_FORMAT`` version ``ARCHIVE_VERSION``)::

    manifest.json   format, version, exported_at, and every other part with its size and sha256
    account.json    the portable data, one section per app; objects refer to each other by
                    export keys ("application-3"), to the catalog by natural keys (NRMP code,
                    CaRMS stream, source and row), never by database ids
    records.json    what happened on this server only (submissions sent to its programs,
                    interview invitations, match-cycle rank lists, API tokens, reviews, …):
                    kept for the student to read, never imported
    files/…         the files account.json names (the letters the student may read)

Each app takes part through two ``AppConfig`` methods, as the JSON export does with
``export_user_data``: ``archive_export(user, context) -> dict`` and ``archive_import(user, data,
context)``; an app may add ``archive_records(user) -> dict``. An app with ``export_user_data``
but no ``archive_export`` goes to records.json whole. JSON is written with sorted keys and every
list in a fixed order, so exporting an imported account gives the same account.json and files.

Reading is bounded (``MAX_*``): a part that is too large, too compressed, outside ``files/``, not
in the manifest, missing or whose checksum differs is refused with its name and the reason.
"""

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from medmatch.accounts.models import User
from medmatch.catalog.models import Institution, Program, Specialty

ARCHIVE_FORMAT = "medmatch-account-archive"
# Version 1 was the single JSON file (still served at /accounts/export/ for reading).
ARCHIVE_VERSION = 2

MANIFEST, ACCOUNT, RECORDS = "manifest.json", "account.json", "records.json"
# Bounds of what an import reads, so that an archive cannot exhaust memory or disk.
MAX_ARCHIVE_BYTES = 50 * 1024 * 1024
MAX_PARTS = 2_000
MAX_PART_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed size of one part; JSON compresses about 10:1
FILE_PATH = re.compile(
    r"^files/[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}(/[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}){0,3}$"
)
# Fixed time stamps inside the zip: the same parts make the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class ArchiveError(Exception):
    """A refused archive: ``part`` names where (a file in it, or a place in account.json) and
    ``reason`` says why."""

    def __init__(self, part: str, reason: str):
        self.part, self.reason = part, reason
        super().__init__(f"{part}: {reason}")


def dumps(data) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# ---- values ---------------------------------------------------------------------------------


def value_out(model_field, value):
    """A model field's value as JSON: datetimes in UTC to the microsecond (so they come back
    unchanged), dates ISO, decimals as strings."""
    if value is None:
        return None
    if isinstance(model_field, models.DateTimeField):
        return value.astimezone(UTC).isoformat()
    if isinstance(model_field, models.DateField):
        return value.isoformat()
    if isinstance(model_field, models.DecimalField):
        return str(value)
    return value


def fields_out(obj, names) -> dict:
    return {name: value_out(obj._meta.get_field(name), getattr(obj, name)) for name in names}


def fields_in(model, data, names, part: str) -> dict:
    """The values of ``names`` from ``data`` for ``model``, converted and checked; a missing or
    unreadable one is an ArchiveError naming it."""
    if not isinstance(data, dict):
        raise ArchiveError(part, "expected an object")
    values = {}
    for name in names:
        if name not in data:
            raise ArchiveError(f"{part}.{name}", "missing")
        model_field = model._meta.get_field(name)
        raw = data[name]
        try:
            if isinstance(model_field, models.JSONField):
                values[name] = raw
            else:
                values[name] = None if raw is None else model_field.to_python(raw)
        except ValidationError as error:
            raise ArchiveError(f"{part}.{name}", "; ".join(error.messages)) from error
    return values


# Fields Django sets on save (auto_now, auto_now_add): restored after the row exists.
def _automatic(model) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]


def create(model, part: str, values: dict, **links):
    """Create one row from imported ``values`` (see ``fields_in``) and ``links`` (its foreign
    keys), validated as a form would; timestamps Django sets itself are put back as exported."""
    obj = model(**values, **links)
    try:
        obj.full_clean()
    except ValidationError as error:
        reasons = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
        raise ArchiveError(part, reasons) from error
    obj.save()
    restore = {name: values[name] for name in _automatic(model) if name in values}
    if restore:
        model.objects.filter(pk=obj.pk).update(**restore)
        for name, value in restore.items():
            setattr(obj, name, value)
    return obj


def items(data, key: str, part: str) -> list:
    value = data.get(key, []) if isinstance(data, dict) else None
    if not isinstance(value, list):
        raise ArchiveError(f"{part}.{key}", "expected a list")
    return value


def rows(data, key: str, part: str):
    """Each element of the list ``data[key]`` with where it is (``part.key[3]``), for messages."""
    for index, row in enumerate(items(data, key, part)):
        yield row, f"{part}.{key}[{index}]"


# ---- the catalog by natural keys --------------------------------------------------------------


def program_ref(program: Program) -> dict:
    """A program as another server's catalog knows it: its NRMP code, CaRMS stream, or its
    source's key with its row (or, for a listing without a row, its institution and title)."""
    ref = {
        "ref": "program",
        "title": program.title,
        "institution": program.institution.name,
        "source": program.source.key,
    }
    if program.nrmp_code:
        ref["nrmp_code"] = program.nrmp_code
    elif program.carms_stream_id:
        ref["carms_stream_id"] = program.carms_stream_id
    elif program.source_row is not None:
        ref["source_row"] = program.source_row
    return ref


INSTITUTION_KEYS = ("ccn", "nrmp_code", "wikidata_id", "carms_school_id")


def institution_ref(institution: Institution) -> dict:
    ref = {"ref": "institution", "name": institution.name, "source": institution.source.key}
    for key in INSTITUTION_KEYS:
        if getattr(institution, key):
            ref[key] = getattr(institution, key)
            break
    else:
        if institution.source_row is not None:
            ref["source_row"] = institution.source_row
    return ref


def specialty_ref(specialty: Specialty) -> dict:
    return {"ref": "specialty", "system": specialty.system, "code": specialty.code}


def _describe(ref: dict) -> str:
    if ref.get("ref") == "program":
        code = ref.get("nrmp_code") or ref.get("carms_stream_id") or ref.get("source_row")
        where = f"{ref.get('title')} — {ref.get('institution')}"
        return f"program {where}" + (f" ({code})" if code else "")
    if ref.get("ref") == "institution":
        return f"institution {ref.get('name')}"
    return f"specialty {ref.get('system')} {ref.get('code')}"


def _resolve(ref: dict):
    kind = ref.get("ref")
    if kind == "specialty":
        return Specialty.objects.filter(system=ref.get("system"), code=ref.get("code")).first()
    if kind == "program":
        rows = Program.objects.all()
        for key in ("nrmp_code", "carms_stream_id"):
            if ref.get(key):
                return rows.filter(**{key: ref[key]}).first()
        rows = rows.filter(source__key=ref.get("source"))
        if ref.get("source_row") is not None:
            return rows.filter(source_row=ref["source_row"]).first()
        found = list(
            rows.filter(title=ref.get("title"), institution__name=ref.get("institution"))[:2]
        )
        return found[0] if len(found) == 1 else None
    rows = Institution.objects.all()
    for key in INSTITUTION_KEYS:
        if ref.get(key):
            return rows.filter(**{key: ref[key]}).first()
    rows = rows.filter(source__key=ref.get("source"))
    if ref.get("source_row") is not None:
        return rows.filter(source_row=ref["source_row"]).first()
    found = list(rows.filter(name=ref.get("name"))[:2])
    return found[0] if len(found) == 1 else None


def _refs(data, path: str = ""):
    """Every catalog reference in ``data``, with where it is."""
    if isinstance(data, dict):
        if data.get("ref") in ("program", "institution", "specialty"):
            yield path, data
            return
        for key, value in data.items():
            yield from _refs(value, f"{path}.{key}" if path else key)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _refs(value, f"{path}[{index}]")


def _ref_key(ref: dict) -> str:
    return json.dumps(ref, sort_keys=True)


# ---- contexts -------------------------------------------------------------------------------


@dataclass
class ExportContext:
    """What the apps share while exporting: export keys and the files to add."""

    files: dict[str, bytes] = field(default_factory=dict)
    _keys: dict[tuple[str, int], str] = field(default_factory=dict)
    _counts: dict[str, int] = field(default_factory=dict)

    def key(self, kind: str, obj) -> str:
        """``obj``'s export key ("application-1"), given in the order objects are exported."""
        found = self._keys.get((kind, obj.pk))
        if found is None:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            found = self._keys[kind, obj.pk] = f"{kind}-{self._counts[kind]}"
        return found

    def key_of(self, kind: str, pk) -> str | None:
        """The key already given to the ``kind`` row ``pk``; None if it was not exported."""
        return self._keys.get((kind, pk))

    def add_file(self, name: str, content: bytes) -> str:
        path = f"files/{name}"
        if not FILE_PATH.match(path) or path in self.files:
            raise ValueError(f"bad or repeated archive file name {path!r}")
        self.files[path] = content
        return path

    program = staticmethod(program_ref)
    institution = staticmethod(institution_ref)
    specialty = staticmethod(specialty_ref)


@dataclass
class ImportContext:
    """What the apps share while importing: the objects made so far by export key, the
    archive's files and the catalog rows the references resolved to."""

    files: dict[str, bytes]
    catalog: dict[str, object]
    objects: dict[str, object] = field(default_factory=dict)
    saved_files: list[tuple[object, str]] = field(default_factory=list)

    def remember(self, key, obj, part: str) -> None:
        if not isinstance(key, str) or not key or key in self.objects:
            raise ArchiveError(f"{part}.key", f"missing or repeated key {key!r}")
        self.objects[key] = obj

    def get(self, key, kind: str, part: str):
        obj = self.objects.get(key) if isinstance(key, str) else None
        if obj is None or not key.startswith(f"{kind}-"):
            raise ArchiveError(part, f"{key!r} is not a {kind} of this archive")
        return obj

    def optional(self, key, kind: str, part: str):
        return None if key is None else self.get(key, kind, part)

    def ref(self, ref, part: str, *, optional: bool = False):
        if ref is None and optional:
            return None
        if not isinstance(ref, dict) or _ref_key(ref) not in self.catalog:
            raise ArchiveError(part, "expected a catalog reference")
        return self.catalog[_ref_key(ref)]

    def file(self, path, part: str) -> bytes:
        if path not in self.files:
            raise ArchiveError(part, f"names {path!r}, which is not in the archive")
        return self.files[path]

    def file_saved(self, storage, name: str) -> None:
        """A file written to storage during the import: removed again if the import fails."""
        self.saved_files.append((storage, name))


# ---- writing --------------------------------------------------------------------------------


def _participants():
    return [c for c in apps.get_app_configs() if hasattr(c, "archive_export")]


def account_profile(user) -> dict:
    return fields_out(user, PROFILE_FIELDS) | {"username": user.username, "email": user.email}


# What the account's own row carries over; username, email, password and role stay the target's.
PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "full_name",
    "preferred_name",
    "phone",
    "postal_address",
    "licensing_exams",
    "licensing_exam_status",
    "ecfmg_status",
    "ecfmg_details",
    "time_zone",
)


def archive_parts(user) -> dict[str, bytes]:
    """account.json, records.json and the files of ``user``'s archive, by path."""
    context = ExportContext()
    account = {"format": ARCHIVE_FORMAT, "version": ARCHIVE_VERSION}
    account["account"] = account_profile(user)
    records = {"format": ARCHIVE_FORMAT, "version": ARCHIVE_VERSION}
    for config in apps.get_app_configs():
        if hasattr(config, "archive_export"):
            account[config.label] = config.archive_export(user, context)
            if hasattr(config, "archive_records"):
                records[config.label] = config.archive_records(user)
        elif hasattr(config, "export_user_data"):
            records[config.label] = config.export_user_data(user)
    return {ACCOUNT: dumps(account), RECORDS: dumps(records), **context.files}


def build_archive(user, *, now: datetime | None = None) -> bytes:
    """``user``'s archive as zip bytes."""
    parts = archive_parts(user)
    manifest = {
        "format": ARCHIVE_FORMAT,
        "version": ARCHIVE_VERSION,
        "exported_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "imported": [ACCOUNT, *sorted(p for p in parts if p.startswith("files/"))],
        "parts": [
            {"path": path, "size": len(content), "sha256": sha256(content)}
            for path, content in sorted(parts.items())
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in [(MANIFEST, dumps(manifest)), *sorted(parts.items())]:
            info = zipfile.ZipInfo(path, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


# ---- reading --------------------------------------------------------------------------------


def _json(content: bytes, part: str):
    try:
        return json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ArchiveError(part, f"not valid JSON ({error})") from error


def read_archive(content: bytes) -> tuple[dict, dict, dict[str, bytes]]:
    """Check an archive and return (manifest, account data, files by path); raises
    ArchiveError naming the part and the reason."""
    if len(content) > MAX_ARCHIVE_BYTES:
        raise ArchiveError("archive", f"larger than {MAX_ARCHIVE_BYTES // (1024 * 1024)} MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise ArchiveError("archive", f"not a zip file ({error})") from error
    if len(infos) > MAX_PARTS:
        raise ArchiveError("archive", f"more than {MAX_PARTS} parts")
    names = [info.filename for info in infos]
    for name in names:
        if name not in (MANIFEST, ACCOUNT, RECORDS) and not FILE_PATH.match(name):
            raise ArchiveError(name, "not a part an account archive has (outside files/)")
    if len(set(names)) != len(names):
        raise ArchiveError("archive", "a part is there twice")
    if MANIFEST not in names:
        raise ArchiveError(MANIFEST, "missing: this is not a medmatch account archive")
    contents, total = {}, 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ArchiveError(info.filename, "encrypted")
        if info.file_size > MAX_PART_BYTES:
            raise ArchiveError(info.filename, f"larger than {MAX_PART_BYTES // (1024 * 1024)} MB")
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1024:
            raise ArchiveError(info.filename, "compressed too much to be real (a zip bomb?)")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise ArchiveError("archive", f"more than {MAX_TOTAL_BYTES // (1024 * 1024)} MB")
        try:
            with archive.open(info) as stream:
                data = stream.read(info.file_size + 1)  # never more than the header promised
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
            raise ArchiveError(info.filename, f"cannot be read ({error})") from error
        if len(data) != info.file_size:
            raise ArchiveError(info.filename, "its size differs from the zip's directory")
        contents[info.filename] = data
    manifest = _json(contents.pop(MANIFEST), MANIFEST)
    _check_manifest(manifest, contents)
    account = _json(contents[ACCOUNT], ACCOUNT)
    if not isinstance(account, dict) or (account.get("format"), account.get("version")) != (
        ARCHIVE_FORMAT,
        ARCHIVE_VERSION,
    ):
        raise ArchiveError(ACCOUNT, "its format or version differs from the manifest's")
    files = {path: data for path, data in contents.items() if path.startswith("files/")}
    return manifest, account, files


def _check_manifest(manifest, contents: dict[str, bytes]) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
        raise ArchiveError(MANIFEST, f"not a {ARCHIVE_FORMAT} (format is missing or another)")
    version = manifest.get("version")
    if version != ARCHIVE_VERSION:
        raise ArchiveError(
            MANIFEST,
            f"version {version!r} is not one this server reads (it reads {ARCHIVE_VERSION})",
        )
    parts = manifest.get("parts")
    if not isinstance(parts, list) or not all(isinstance(p, dict) for p in parts):
        raise ArchiveError(f"{MANIFEST}.parts", "expected a list of parts")
    listed = {}
    for part in parts:
        path = part.get("path")
        if path in listed:
            raise ArchiveError(f"{MANIFEST}.parts", f"{path!r} is listed twice")
        listed[path] = part
    for path in contents:
        if path not in listed:
            raise ArchiveError(path, "in the zip but not in the manifest")
    for path, part in listed.items():
        if path not in contents:
            raise ArchiveError(str(path), "listed in the manifest but missing from the zip")
        if part.get("size") != len(contents[path]):
            raise ArchiveError(path, "its size differs from the manifest's")
        if part.get("sha256") != sha256(contents[path]):
            raise ArchiveError(path, "its SHA-256 differs from the manifest's (damaged or changed)")
    if ACCOUNT not in contents:
        raise ArchiveError(ACCOUNT, "missing")


def resolve_catalog(account: dict) -> dict[str, object]:
    """Every catalog reference of ``account`` resolved in this server's catalog; the ones it
    lacks are refused together, each named."""
    found, missing = {}, []
    for path, ref in _refs(account):
        key = _ref_key(ref)
        if key in found:
            continue
        row = _resolve(ref)
        if row is None:
            missing.append(f"{_describe(ref)} (at {path})")
        else:
            found[key] = row
    if missing:
        shown = "; ".join(missing[:20]) + (
            f"; and {len(missing) - 20} more" if len(missing) > 20 else ""
        )
        raise ArchiveError(
            ACCOUNT,
            f"{len(missing)} catalog entr{'y is' if len(missing) == 1 else 'ies are'} not in "
            f"this server's catalog: {shown}. Import the catalog they come from first.",
        )
    return found


def owned_parts(user) -> list[str]:
    """The sections of ``user``'s account that already hold something (an import needs none)."""
    context = ExportContext()
    filled = []
    for config in _participants():
        if _has_content(config.archive_export(user, context)):
            filled.append(config.verbose_name)
    return filled


def _has_content(value) -> bool:
    if isinstance(value, dict):
        return any(_has_content(v) for v in value.values())
    if isinstance(value, list):
        return bool(value)
    return value is not None


def import_sections(user, account: dict, context: ImportContext) -> None:
    """Write every app's section (the caller holds the transaction)."""
    profile = account.get("account")
    values = fields_in(User, profile, PROFILE_FIELDS, "account.json account")
    for name, value in values.items():
        setattr(user, name, value)
    try:
        user.full_clean(exclude=["password", "username", "email"])
    except ValidationError as error:
        raise ArchiveError("account.json account", "; ".join(error.messages)) from error
    user.save(update_fields=list(PROFILE_FIELDS))
    for config in _participants():
        section = account.get(config.label, {})
        if not isinstance(section, dict):
            raise ArchiveError(f"account.json {config.label}", "expected an object")
        config.archive_import(user, section, context)
