"""The small framework every catalog importer shares.

An import is all-or-nothing for a bad file (DESIGN: "nothing is lost"): the whole file is read and
every value parsed *before* anything is written, and the first bad value stops the import with an
``ImportFileError`` that names the file, the data row, the column and the reason. Rows are keyed
on each source's natural key (CCN, NRMP code, Wikidata id...), so importing the same file again
updates rows in place instead of adding duplicates, and writes nothing when nothing changed.

Writing keeps every write lock short (issue 10, M5). On SQLite one writer locks the whole
database, and an import in one transaction held that lock for ~13 s while a student's save waited
(and failed after 20 s). So, per source in dependency order:

1. *Compute* outside any transaction: the importer reads the committed catalog (reads take no
   lock in WAL mode) and works out every row's new values.
2. *Write only what changed*, ``BATCH_SIZE`` rows per transaction (``write_transaction``), each
   batch committed on its own; a concurrent save waits for one batch (well under a second), not
   for the import.
3. *Mark the source done*: only after its last batch are the file's hash, row count and import
   time recorded on its ``Source`` row (and only when the file or a row changed, so a re-import
   of the same files leaves every row, ``updated_at`` and ``imported_at`` included, untouched).

What a user can see meanwhile: every row is whole at every moment (one row is written in one
statement of one transaction, foreign keys always point at committed rows), but during a
re-import of *changed* files some rows already show the new version and others the old one, for
the few seconds the import takes; on a first import the catalog fills in source by source.
If the import stops midway (a crash, a full disk, kill -9), the batches already committed stay,
the ``Source`` row still carries the previous file's hash (so the sources page does not claim the
new file), and running the same import again computes the difference from what was committed and
writes the rest: the result is the same as an uninterrupted import (tested). Two imports never
interleave: ``importers.lock.import_lock`` lets one run at a time.

One exception: ``import all`` into a catalog with no row at all (a new database) is written
in one transaction, with the indexes built once at the end (``fresh_catalog_writes``): there is
no catalog in use to keep serving, and a failure leaves it empty.

A dry run computes everything inside one transaction that is rolled back, as before; on SQLite it
holds the write lock for its duration (a dry run is an operator's check, not something to run
while students are working).
"""

import csv
import gc
import hashlib
import io
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import chain
from operator import call, itemgetter
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from medmatch.catalog import import_cache
from medmatch.catalog.models import Institution, Program, Source, Specialty
from medmatch.lib.geo import nearest_cities, zip_rows

# Rows per write transaction. On a 2-core machine under a load of 8, the longest batch of the
# full import held SQLite's lock 0.7 s (FTS triggers included) and a concurrent writer waited at
# most 0.8 s (benchmarks/catalog_import.py). Tests lower it to check transaction boundaries.
BATCH_SIZE = 250
# Strings the sources use for "no value"; they become unknown (empty / None), never a value.
NULL_STRINGS = frozenset({"", "NOT AVAILABLE", "Not Available", "N/A", "-999"})


class ImportFileError(Exception):
    """A file that cannot be imported: names the file, the data row, the column and why.

    ``row`` is the 1-based data row (the header is row 0), so "row 317" is line 318 of the file.
    """

    def __init__(self, path: Path | str, row: int, column: str, reason: str):
        self.path, self.row, self.column, self.reason = Path(path), row, column, reason
        where = "header" if row == 0 else f"row {row} (line {row + 1})"
        column_part = f', column "{column}"' if column else ""
        super().__init__(f"{self.path.name}: {where}{column_part}: {reason}")


@dataclass
class ImportReport:
    """What an import did (or, with --dry-run, would do)."""

    source_key: str
    file_name: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)
    figures: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    # This process's CPU time for it, reading included (the benchmark's per-source breakdown).
    cpu_seconds: float = 0.0
    # The write transactions this import committed, and the longest one (the write lock's
    # longest hold on SQLite), for the benchmark and the tests.
    write_transactions: int = 0
    longest_write_seconds: float = 0.0

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] += count

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


class ImportWriteError(Exception):
    """The database refused a write. ``written`` says whether earlier batches were committed."""

    def __init__(self, error: DatabaseError, *, written: bool):
        self.error, self.written = error, written
        super().__init__(str(error))

    @property
    def locked(self) -> bool:
        return "locked" in str(self.error).lower()


# The report of the import that is writing, so that ``write_transaction`` can time its batches.
_writing: ContextVar[ImportReport | None] = ContextVar("catalog_import_report", default=None)


# SQLite's lock is not fair: a waiting writer polls (every 100 ms once it has waited ~0.3 s),
# and batches committed back to back can take the lock again between two polls, so a student's
# save waited 3.6 s across many short batches. After each YIELD_AFTER_SECONDS of lock held, the
# import leaves the lock free for longer than one poll.
YIELD_AFTER_SECONDS = 0.3
YIELD_SECONDS = 0.12
_held_since_yield = 0.0


@contextmanager
def write_transaction():
    """One short write transaction (a batch); its duration, commit included, goes to the report.

    Inside an outer transaction (a dry run, a test) this is a savepoint of it.
    """
    global _held_since_yield
    outermost = not connection.in_atomic_block
    started = time.perf_counter()
    with transaction.atomic():
        yield
    held = time.perf_counter() - started
    report = _writing.get()
    if report is not None:
        report.write_transactions += 1
        report.longest_write_seconds = max(report.longest_write_seconds, held)
    if outermost and connection.vendor == "sqlite":
        _held_since_yield += held
        if _held_since_yield >= YIELD_AFTER_SECONDS:
            _held_since_yield = 0.0
            time.sleep(YIELD_SECONDS)


# What several importers of one run compute from the same files and the same committed rows:
# the shipped files two importers read (HIFLD is read by four), the CMS hospitals with their HIFLD
# names and the state indexes both NRMP importers link to. Kept for one ``run_imports`` only,
# never across runs (the next run may bring other files or rows).
_run_values: ContextVar[dict | None] = ContextVar("catalog_import_run", default=None)

T = TypeVar("T")


def per_run(key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, once per import run for the same ``key`` (outside a run, every time).
    Callers share the value: they read it and never change it."""
    values = _run_values.get()
    if values is None:
        return compute()
    if key not in values:
        values[key] = compute()
    return values[key]


_AFTER_WRITES = ("after writes",)


def after_writes(key: tuple, callback: Callable[[], None]) -> None:
    """Run ``callback`` once after the run's last importer has written (before a fresh import's
    one commit), however many importers register it under ``key``; outside a run, at once.

    For figures of the whole run that each importer would otherwise compute again from the
    tables: the four place files' reach reports read the same ~15,000 place rows, and counting
    them once after the last file instead of after each saved ~0.4 s of a fresh import."""
    values = _run_values.get()
    if values is None:
        callback()
    else:
        values.setdefault(_AFTER_WRITES, {}).setdefault(key, callback)


def _run_after_writes() -> None:
    values = _run_values.get()
    for callback in (values or {}).pop(_AFTER_WRITES, {}).values():
        callback()


# The CMS hospitals (rows with a CCN) as model objects: ``cms_hospitals``.
_CMS_HOSPITALS = ("CMS hospitals",)


def cms_hospitals() -> list[Institution]:
    """The CMS hospitals (every Institution with a CCN) as model objects, loaded once for the
    importers that run one after another and keep them current (``keeps_cms_hospitals``).

    Those importers change the objects (``update_rows`` sets the fields it writes on them), so
    that the next one finds them as a new query would; any other importer's write drops them
    (``_write_all``), and the next caller loads them again. Loading 5,421 hospitals as model
    objects cost ~0.08 s, and three importers of a fresh import each loaded them."""
    return per_run(_CMS_HOSPITALS, lambda: list(Institution.objects.exclude(ccn="")))


# Process-wide caches (functools) of tables only imports read, emptied when a run ends.
_FORGET_AFTER_RUNS: list[Callable[[], None]] = [zip_rows.cache_clear]


def forget_after_runs(*cached: Callable) -> None:
    """Empty these ``functools.cache`` functions whenever an import run ends: tables an import
    reads several times but a running site never does (the zipcodes package's rows are 170,000
    objects, which every later full garbage collection of the process would walk again)."""
    _FORGET_AFTER_RUNS.extend(function.cache_clear for function in cached)


@contextmanager
def _one_run():
    token = _run_values.set({})
    try:
        yield
    finally:
        _run_values.reset(token)
        for clear in _FORGET_AFTER_RUNS:
            clear()


class Progress:
    """Progress reporting hook; the CLI passes one that draws a rich progress bar."""

    def start(self, description: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


@dataclass(frozen=True)
class SourceInfo:
    """Provenance of one shipped data file (see catalog/data/README.md)."""

    key: str
    name: str
    publisher: str
    url: str
    license: str
    retrieved_on: date
    file_name: str  # relative to settings.CATALOG_DATA_DIR
    notes: str = ""


@dataclass
class Table:
    """A validated, decoded file: its header and its data rows (1-based numbers), as lists of
    values (``lines``) and, built when first asked for, as {column: value} dicts (``rows``)."""

    path: Path
    header: list[str]
    lines: list[tuple[int, list[str]]]

    @cached_property
    def rows(self) -> list[tuple[int, dict[str, str]]]:
        # Dicts cost about as much as the csv parse itself: the parsers of the biggest files
        # (170,000 rows) read ``lines`` through ``getter`` instead, and never build them.
        header = self.header
        return [(number, dict(zip(header, values, strict=True))) for number, values in self.lines]

    def row(self, values: list[str]) -> dict[str, str]:
        """One line's values as ``rows`` has them: {column: value}."""
        return dict(zip(self.header, values, strict=True))

    def getter(self, *columns: str) -> Callable[[list[str]], tuple[str, ...]]:
        """A function from a line's values to those of ``columns`` (two or more), in that order:
        the values ``row(values)[column]`` reads (of a repeated column name, the last)."""
        positions = {name: position for position, name in enumerate(self.header)}
        return itemgetter(*(positions[name] for name in columns))

    def value(self, number: int, row: dict[str, str], column: str, parse: Callable = str) -> Any:
        """``parse(row[column])``; a ValueError becomes an ImportFileError naming row and column."""
        try:
            return parse(row[column])
        except ValueError as error:
            raise ImportFileError(self.path, number, column, str(error)) from None

    def parser(
        self, fields: Sequence[tuple[str, Callable]]
    ) -> Callable[[int, list[str]], tuple[Any, ...]]:
        """A function from a line (its number and values) to each ``(column, parse)`` of
        ``fields`` parsed, in that order; a bad value raises the ImportFileError of ``value``.

        For the biggest files: the parsers are called straight on the line's values (no dict per
        row); only a line with a bad value is read again, value by value, to name its column."""
        take = self.getter(*(column for column, _ in fields))
        parsers = [parse for _, parse in fields]

        def parse_line(number: int, values: list[str]) -> tuple[Any, ...]:
            try:
                return tuple(map(call, parsers, take(values)))
            except ValueError:
                row = self.row(values)
                return tuple(self.value(number, row, column, parse) for column, parse in fields)

        return parse_line

    def parsed(
        self, fields: Sequence[tuple[str, Callable]]
    ) -> Iterable[tuple[tuple[int, list[str]], tuple[Any, ...]]]:
        """Each line (its number and values) with its ``parser(fields)`` values, in file order.

        For the biggest files (170,000 rows, 650,000 values): each column is parsed whole
        (``parse_column``: one call per column, not one per value, and for the common parsers
        a check of the whole column in C) and the columns zipped back into lines in C. A file
        with a bad value is parsed line by line as it is read (``parser``), so it raises the same
        ImportFileError at the same line, after the caller's own checks of the lines before."""
        try:
            columns = [parse_column(parse, self._column(name)) for name, parse in fields]
        except ValueError:
            parse_line = self.parser(fields)
            return (((number, values), parse_line(number, values)) for number, values in self.lines)
        return zip(self.lines, zip(*columns, strict=True), strict=True)

    def _column(self, name: str) -> tuple[str, ...]:
        """The raw values of ``name`` in every line (of a repeated column name, the last)."""
        return self._columns[name]

    @cached_property
    def _columns(self) -> dict[str, tuple[str, ...]]:
        # The lines transposed at once, in C, each line read once rather than once per column:
        # the 7 columns of the RUCA file's 41,146 lines take 5.5 ms, not 22 ms (10 columns of
        # the 38 of the CMS file's 5,421 lines: 1.5 ms, not 0.9 ms).
        values = map(itemgetter(1), self.lines)
        columns = list(zip(*values, strict=True)) or [()] * len(self.header)
        return dict(zip(self.header, columns, strict=True))


def parse_column(parse: Callable[[str], Any], column: Sequence[str]) -> list[Any]:
    """``[parse(value) for value in column]``; a bad value raises a ValueError (which one is left
    unsaid). Through the parser's whole-column form when it has one (``column_form``); else, in
    a column that repeats its values (at most half of them distinct), each distinct value is
    parsed once: the value parsers are functions of the text alone and return values nobody
    changes (str, int, float, date, tuple, None). The 39,000 ZIP-county rows hold 5 distinct
    county counts: 23 ms of calls to the parser become 3 ms."""
    whole = getattr(parse, "whole_column", None)
    if whole is not None:
        return whole(column)
    distinct = set(column)
    if len(distinct) > len(column) // 2:
        return list(map(parse, column))
    parsed = {value: parse(value) for value in distinct}
    return list(map(parsed.__getitem__, column))


def column_form(whole: Callable[[Sequence[str]], list[Any]]) -> Callable[[Callable], Callable]:
    """Give a value parser ``whole``: the same parse of a whole column at once (``parse_column``),
    which raises a ValueError when some value is bad."""

    def attach(parse: Callable) -> Callable:
        parse.whole_column = whole
        return parse

    return attach


def read_table(path: Path, columns: Iterable[str], delimiter: str = ",") -> Table:
    """Read a UTF-8 (optionally BOM-prefixed) CSV/TSV file and check its header and row widths.

    Within an import run a file read before is not parsed again (``per_run``): its header is
    checked for ``columns`` and the same rows are returned (callers never change them)."""
    path = Path(path)
    values = _run_values.get()
    known = values.get(("table", path, delimiter)) if values is not None else None
    if known is not None:
        _check_columns(path, columns, known.header)
        return known
    table = _read_table(path, columns, delimiter)
    if values is not None:
        values["table", path, delimiter] = table
    return table


def _check_columns(path: Path, columns: Iterable[str], header: list[str]) -> None:
    missing = [name for name in columns if name not in header]
    if missing:
        raise ImportFileError(
            path,
            0,
            ", ".join(missing),
            f"missing column(s); expected {', '.join(columns)}; found {', '.join(header)}",
        )


def _read_table(path: Path, columns: Iterable[str], delimiter: str) -> Table:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFileError(path, 0, "", f"cannot read the file ({error.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _encoding_error(path, data, error, delimiter) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise ImportFileError(path, 0, "", "the file is empty") from None
    _check_columns(path, columns, header)
    rows = []
    width = len(header)
    try:
        for number, values in enumerate(reader, start=1):
            # A blank line, or one of blank values, is left out (the first value decides for
            # nearly every row, without joining them).
            if not (values and values[0].strip()) and not "".join(values).strip():
                continue
            if len(values) != width:
                raise ImportFileError(
                    path, number, "", f"{len(values)} values where the header has {width}"
                )
            rows.append((number, values))
    except csv.Error as error:
        raise ImportFileError(path, reader.line_num, "", f"malformed CSV ({error})") from None
    return Table(path, header, rows)


def _encoding_error(
    path: Path, data: bytes, error: UnicodeDecodeError, delimiter: str
) -> ImportFileError:
    line_number = data.count(b"\n", 0, error.start) + 1
    line_start = data.rfind(b"\n", 0, error.start) + 1
    line_end = data.find(b"\n", error.start)
    line = data[line_start : line_end if line_end != -1 else len(data)]
    header = next(
        csv.reader([data.split(b"\n", 1)[0].decode("utf-8-sig", "replace")], delimiter=delimiter)
    )
    column = ""
    try:
        values = next(csv.reader([line.decode("utf-8", "replace")], delimiter=delimiter))
        for name, value in zip(header, values, strict=False):
            if "\ufffd" in value:
                column = name.strip()
                break
    except (csv.Error, StopIteration):
        pass
    byte = data[error.start : error.start + 1].hex()
    return ImportFileError(
        path, line_number - 1, column, f"not valid UTF-8 (byte 0x{byte}); save the file as UTF-8"
    )


# Value parsers: each takes the raw text and returns a value or raises ValueError with a reason.


# The "no value" strings that strip() leaves non-empty.
_NULL_WORDS = NULL_STRINGS - {""}


def _text_column(column: Sequence[str]) -> list[str]:
    # The column stripped in C (a 41,000-value column: 0.8 ms, not 2.5 ms); only one holding a
    # "no value" word is read again value by value.
    values = list(map(str.strip, column))
    return values if _NULL_WORDS.isdisjoint(values) else list(map(text, column))


@column_form(_text_column)
def text(value: str) -> str:
    value = value.strip()
    return "" if value in NULL_STRINGS else value


def _required_text_column(column: Sequence[str]) -> list[str]:
    values = _text_column(column)
    if "" in values:
        raise ValueError("a value is required here")
    return values


@column_form(_required_text_column)
def required_text(value: str) -> str:
    value = text(value)
    if not value:
        raise ValueError("a value is required here")
    return value


def optional_int(value: str) -> int | None:
    value = text(value)
    if not value:
        return None
    try:
        return int(float(value)) if re.fullmatch(r"-?\d+(\.0+)?", value) else int(value)
    except ValueError:
        raise ValueError(f"“{value}” is not a whole number") from None


def optional_float(value: str) -> float | None:
    value = text(value)
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"“{value}” is not a number") from None


def make_pattern(pattern: str, description: str) -> Callable[[str], str]:
    compiled = re.compile(pattern)

    def parse(value: str) -> str:
        value = value.strip()
        if not compiled.fullmatch(value):
            raise ValueError(f"“{value}” is not {description}")
        return value

    def parse_column(column: Sequence[str]) -> list[str]:
        # Each distinct value matched once, through map in C: a 41,000-value column of 56
        # states takes 2 ms, not 7 ms (one of 41,000 distinct ZIP codes about the same time).
        values = list(map(str.strip, column))
        if not all(map(compiled.fullmatch, set(values))):
            raise ValueError(f"a value is not {description}")
        return values

    parse.whole_column = parse_column
    return parse


ccn = make_pattern(r"[0-9]{2}[0-9A-Z]{4}", "a 6-character CMS Certification Number")


def zip5(value: str) -> str:
    value = value.strip()
    if not re.fullmatch(r"\d{5}(-?\d{4})?", value):
        raise ValueError(f"“{value}” is not a 5-digit ZIP code")
    return value[:5]


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class Importer:
    """One data file -> catalog rows. Subclasses set ``info``, ``columns`` and the two steps."""

    info: SourceInfo
    columns: tuple[str, ...] = ()
    delimiter = ","
    # Sources whose rows this one joins onto; `import all` runs them first.
    requires: tuple[str, ...] = ()
    # True when ``write`` changes Institution rows only through the objects of
    # ``cms_hospitals()`` (``update_rows``), which then still match the database.
    keeps_cms_hospitals = False

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else Path(settings.CATALOG_DATA_DIR) / self.info.file_name

    def read(self) -> Any:
        """Read and validate the whole file; return parsed records (nothing is written)."""
        table = read_table(self.path, self.columns, self.delimiter)
        self.row_count = len(table.lines)
        return self.parse(table)

    def parse(self, table: Table) -> Any:
        raise NotImplementedError

    def write(self, records: Any, source: Source, report: ImportReport, progress: Progress) -> None:
        raise NotImplementedError

    def save_source(self) -> Source:
        """The Source row, created or described before the rows that point at it are written.

        The file's hash and the import time are recorded only by ``finish_source``, after the
        last row: until then the row still describes the previous import.
        """
        return save_source_row(self.info.key, describe(self.info))

    def finish_source(self, source: Source, report: ImportReport) -> Source:
        """Record the file's hash, row count and import time once every row is written; leave the
        row as it is when neither the file nor any row changed (a true no-op re-import)."""
        digest = file_sha256(self.path)
        row_count = getattr(self, "row_count", None)
        if digest == source.file_sha256 and row_count == source.row_count and not report.changed:
            return source
        return save_source_row(
            self.info.key,
            {"file_sha256": digest, "row_count": row_count, "imported_at": timezone.now()},
        )


def describe(info: SourceInfo) -> dict[str, Any]:
    """The descriptive fields of a Source row (provenance), from its SourceInfo."""
    return {
        "name": info.name,
        "publisher": info.publisher,
        "url": info.url,
        "license": info.license,
        "retrieved_on": info.retrieved_on,
        "notes": info.notes,
        "file_name": info.file_name,
    }


def save_source_row(key: str, values: dict[str, Any]) -> Source:
    """Create the Source ``key`` or update the fields of it that differ from ``values``."""
    source = Source.objects.filter(key=key).first()
    if source is None:
        with write_transaction():
            source = Source.objects.create(key=key, **values)
        _forget_copies()
        return source
    changed = {name: value for name, value in values.items() if getattr(source, name) != value}
    if changed:
        with write_transaction():
            Source.objects.filter(pk=source.pk).update(**changed)
        for name, value in changed.items():
            setattr(source, name, value)
        _forget_copies()
    return source


def _forget_copies() -> None:
    """This process's copies of imported tables (``import_cache``) are stale from now, and again
    once the import's transaction commits."""
    import_cache.clear()
    transaction.on_commit(import_cache.clear)


def save_derived_source(info: SourceInfo) -> Source:
    """A Source that is not a shipped file (e.g. ZIP centroids from the zipcodes package)."""
    return save_source_row(info.key, describe(info))


def sync_rows(
    model: type[models.Model],
    key_field: str,
    records: dict[str, dict[str, Any]],
    report: ImportReport | None,
    existing: dict[str, models.Model] | None = None,
    progress: Progress | None = None,
) -> "SyncedRows":
    """Create or update ``model`` rows so that each key's fields equal ``records[key]``.

    Fields are given by attribute name (``source_id``, not ``source``). Existing rows are loaded
    once and compared in memory, so a re-import of an unchanged file writes nothing; changed rows
    are written ``BATCH_SIZE`` per transaction. Returns every synced object by key (created ones
    loaded with their primary keys when first asked for).
    """
    if existing is None:
        existing = {
            getattr(obj, key_field): obj for obj in model.objects.exclude(**{key_field: ""})
        }
    to_create, to_update, changed_fields = [], [], set()
    now = timezone.now()
    for key, values in records.items():
        obj = existing.get(key)
        if obj is None:
            to_create.append({key_field: key, **values})
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            changed_fields.update(changed)
            to_update.append(obj)
        elif report is not None:
            report.unchanged += 1
    if report is not None:
        report.created += len(to_create)
        report.updated += len(to_update)
    if progress:
        progress.start(f"{model._meta.verbose_name_plural}", len(to_create) + len(to_update))
    insert_rows(model, to_create, progress)
    if to_update:
        if hasattr(model, "updated_at"):
            for obj in to_update:
                obj.updated_at = now
            changed_fields.add("updated_at")
        for batch in batches(to_update):
            with write_transaction():
                _update_objects(model, batch, sorted(changed_fields))
            if progress:
                progress.advance(len(batch))
    return SyncedRows(model, key_field, existing, [row[key_field] for row in to_create])


class SyncedRows(Mapping):
    """{key: object} of every row ``sync_rows`` synced. The rows it created are loaded from the
    database on first access only: most callers never look (26,000 Wikidata hospitals), and
    building model objects for them cost more than inserting them."""

    def __init__(self, model, key_field: str, existing: dict, created_keys: list):
        self.model, self.key_field = model, key_field
        self.existing, self.created_keys = existing, created_keys
        self._created: dict | None = None

    def _all(self) -> dict:
        if self._created is None:
            self._created = {}
            for start in range(0, len(self.created_keys), 2000):
                chunk = self.created_keys[start : start + 2000]
                self._created.update(
                    (getattr(obj, self.key_field), obj)
                    for obj in self.model.objects.filter(**{f"{self.key_field}__in": chunk})
                )
        return {**self.existing, **self._created}

    def __getitem__(self, key):
        if key in self.existing:
            return self.existing[key]
        return self._all()[key]

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


# Field types whose values the importers already hold in the form the database driver takes:
# for these, a value of exactly this Python type (or None) is passed as it is, and anything else
# goes through the field's own get_db_prep_save, as bulk_create would do for every value.
_PLAIN_TYPES = {
    "CharField": str,
    "TextField": str,
    "SlugField": str,
    "URLField": str,
    "EmailField": str,
    "IntegerField": int,
    "SmallIntegerField": int,
    "BigIntegerField": int,
    "PositiveIntegerField": int,
    "PositiveSmallIntegerField": int,
    "PositiveBigIntegerField": int,
    "AutoField": int,
    "BigAutoField": int,
    "FloatField": float,
    "BooleanField": bool,
}


def plain_types(columns: list[models.Field]) -> list[type | None]:
    """For each field, the Python type whose values go to the database as they are (see
    ``_PLAIN_TYPES``); None where every value goes through ``get_db_prep_save``."""
    found = []
    for column in columns:
        internal = (
            column.target_field.get_internal_type()
            if column.is_relation
            else column.get_internal_type()
        )
        found.append(_PLAIN_TYPES.get(internal))
    return found


def db_value(column: models.Field, kind: type | None, value: Any) -> Any:
    """``column.get_db_prep_save(value)``, skipped for None and values of the plain type.

    A text column's ``str`` subclass (a ``TextChoices`` member such as
    ``Institution.Kind.SPONSOR``) is skipped too: the text fields' ``get_db_prep_save`` hands
    it back as it is, and a fresh import passed ~30,000 of them through it."""
    if value is None or (kind is not None and type(value) is kind):
        return value
    if kind is str and isinstance(value, str):
        return value
    return column.get_db_prep_save(value, connection)


def insert_rows(
    model: type[models.Model], rows: list[dict[str, Any]], progress: Progress | None = None
) -> None:
    """INSERT ``rows`` (dicts by attribute name) as ``bulk_create`` would, ``BATCH_SIZE`` rows per
    write transaction, many rows per statement (``insert_batch``).

    The same columns and values as ``bulk_create(model(**row) for row in rows)``: fields a row
    does not name get their default, ``auto_now``/``auto_now_add`` fields the current time, and
    rows are inserted in order (so they get the same ids). What it saves is a model object per
    row and the SQL compiled for every row of every batch: on a fresh import those were half the
    time of writing 33,000 institutions.
    """
    if not rows:
        return
    now = timezone.now()
    columns = [column for column in model._meta.concrete_fields if not column.primary_key]
    plain = plain_types(columns)
    # What every row gets where it names no value: auto_now times and constant defaults are
    # prepared once (the same values for every row), callable defaults are called per row.
    template, per_row_defaults, auto = [], [], set()
    for index, (column, kind) in enumerate(zip(columns, plain, strict=True)):
        if getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False):
            template.append(db_value(column, kind, now))
            auto.add(index)
        elif column.has_default() and callable(column.default):
            template.append(None)
            per_row_defaults.append((index, column, kind))
        else:
            template.append(db_value(column, kind, column.get_default()))
    # Which columns a row gives depends on its keys only: worked out once per set of keys.
    plans: dict[tuple, tuple[list, list]] = {}
    prepared = []
    for row in rows:
        shape = tuple(row)
        plan = plans.get(shape)
        if plan is None:
            given = [
                (index, column.attname, column, kind)
                for index, (column, kind) in enumerate(zip(columns, plain, strict=True))
                if index not in auto and column.attname in row
            ]
            called = [entry for entry in per_row_defaults if entry[1].attname not in row]
            plan = plans[shape] = (given, called)
        given, called = plan
        values = template.copy()
        for index, name, column, kind in given:
            value = row[name]
            if value is not None and type(value) is not kind:
                value = db_value(column, kind, value)
            values[index] = value
        for index, column, kind in called:
            values[index] = db_value(column, kind, column.get_default())
        prepared.append(values)
    names = [column.column for column in columns]
    for batch in batches(prepared):
        with write_transaction():
            insert_batch(model._meta.db_table, names, batch)
        if progress:
            progress.advance(len(batch))


def insert_batch(table: str, columns: list[str], rows: list) -> None:
    """INSERT ``rows`` (values in the order of ``columns``, ready for the driver) into ``table``.

    On PostgreSQL through ``COPY … FROM STDIN``: ``executemany`` sends one statement per row,
    which the server parses and plans each time (a fresh import's 160,000 rows spent ~9 s in
    the server); COPY streams them into one statement, with the same defaults, constraints,
    generated columns and errors (raised as Django's database errors). Elsewhere
    ``_insert_statements``."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statement = f"COPY {quote(table)} ({names}) FROM STDIN"
            with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            insert = f"INSERT INTO {quote(table)} ({names}) VALUES "
            _insert_statements(cursor, insert, len(columns), rows)


def _insert_statements(cursor, insert: str, width: int, rows: list) -> None:
    """Run ``insert`` (up to ``VALUES``) for ``rows`` of ``width`` values, as many rows per
    statement as the database binds values (``max_query_params``, as ``bulk_create`` does),
    through ``executemany``: one prepared statement for the full groups of rows, one for the
    rest.

    SQLite does a table's AUTOINCREMENT bookkeeping (a scan of ``sqlite_sequence``: 43 rows in a
    new database, one for each table that has had a row) once per statement, not once per row:
    with one row per statement inserting the 41,146 RUCA rows took 0.11 s of SQLite's time, with
    111 rows per statement 0.04 s (the same rows, in the same order, with the same ids).
    ``executemany`` also keeps the query log of ``DEBUG`` from quoting every value
    (``last_executed_query``)."""
    per_statement = max(1, connection.features.max_query_params // width)
    values = f"({', '.join(['%s'] * width)})"
    groups = [
        list(chain.from_iterable(rows[start : start + per_statement]))
        for start in range(0, len(rows), per_statement)
    ]
    rest = len(rows) % per_statement
    last = groups.pop() if rest else None
    if groups:
        cursor.executemany(insert + ", ".join([values] * per_statement), groups)
    if last:
        cursor.executemany(insert + ", ".join([values] * rest), [last])


def update_rows(
    model: type[models.Model],
    objects: list[models.Model],
    values_by_pk: dict[int, dict[str, Any]],
    report: ImportReport | None = None,
    progress: Progress | None = None,
) -> int:
    """Set fields on existing objects where they differ and bulk-update them; returns the count."""
    to_update, changed_fields = [], set()
    for obj in objects:
        values = values_by_pk.get(obj.pk)
        if values is None:
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            changed_fields.update(changed)
            to_update.append(obj)
        elif report is not None:
            report.unchanged += 1
    if report is not None:
        report.updated += len(to_update)
    if to_update and hasattr(model, "updated_at"):
        now = timezone.now()
        for obj in to_update:
            obj.updated_at = now
        changed_fields.add("updated_at")
    if progress:
        progress.start(f"updating {model._meta.verbose_name_plural}", len(to_update))
    for batch in batches(to_update):
        with write_transaction():
            _update_objects(model, batch, sorted(changed_fields))
        if progress:
            progress.advance(len(batch))
    return len(to_update)


class InstitutionFields:
    """What ``institution_search_text`` reads of an Institution, without building one.

    The importers compute the search text of every row they write (33,000 on a fresh import,
    and again on every re-import to compare); a model object per row cost more than the text.
    Fields not given have the model's defaults; ``nearest_city``, ``has_coordinates`` and
    ``get_kind_display`` are the model's own code and labels, so the text is the same.
    """

    _defaults: dict[str, Any] | None = None
    _kind_labels = dict(Institution.Kind.choices)
    has_coordinates = Institution.has_coordinates
    _nearest_city: str | None = None  # worked out for many rows at once: nearest_city_names

    @property
    def nearest_city(self) -> str:
        if self._nearest_city is not None:
            return self._nearest_city
        return Institution.nearest_city.func(self)

    def __init__(self, **values):
        if InstitutionFields._defaults is None:
            InstitutionFields._defaults = {
                field.attname: field.get_default()
                for field in Institution._meta.concrete_fields
                if not field.primary_key
            }
        self.__dict__.update(InstitutionFields._defaults)
        self.__dict__.update(values)

    @classmethod
    def of(cls, inst: Institution, **values) -> "InstitutionFields":
        """``inst``'s fields with ``values`` put over them."""
        fields = {field.attname: getattr(inst, field.attname) for field in _CONCRETE}
        return cls(**{**fields, **values})

    def get_kind_display(self) -> str:
        return self._kind_labels.get(self.kind, self.kind)


_CONCRETE = [field for field in Institution._meta.concrete_fields if not field.primary_key]


class ProgramFields:
    """What ``program_search_text`` reads of a Program, without building one (the NRMP and
    CaRMS imports write 7,000): its fields (the model's defaults where not given), its
    ``institution`` and ``specialty`` objects, and the model's own choice labels."""

    _defaults: dict[str, Any] | None = None
    _track_labels = dict(Program.TrackType.choices)
    _program_type_labels = dict(Program.ProgramType.choices)

    def __init__(self, institution, specialty, **values):
        if ProgramFields._defaults is None:
            ProgramFields._defaults = {
                field.attname: field.get_default()
                for field in Program._meta.concrete_fields
                if not field.primary_key
            }
        self.__dict__.update(ProgramFields._defaults)
        self.__dict__.update(values)
        self.institution, self.specialty = institution, specialty

    def get_track_type_display(self) -> str:
        return self._track_labels.get(self.track_type, self.track_type)

    def get_program_type_display(self) -> str:
        return self._program_type_labels.get(self.program_type, self.program_type)


def nearest_city_names(places: list[tuple[str, float | None, float | None]]) -> list[str]:
    """The model's ``nearest_city`` of each (city, latitude, longitude), worked out for all at
    once (``geo.nearest_cities``; the Wikidata import asks for 27,000): "" for a place with a
    city or without coordinates, as ``Institution.nearest_city`` says, else the city of its
    answer ("" when none is near)."""
    wanted = [
        index
        for index, (city, latitude, longitude) in enumerate(places)
        if not city and latitude is not None and longitude is not None
    ]
    found = nearest_cities([places[index][1:] for index in wanted])
    names = [""] * len(places)
    for index, city in zip(wanted, found, strict=True):
        names[index] = city[0] if city else ""
    return names


def batches(items: list) -> Iterable[list]:
    """``items`` in slices of ``BATCH_SIZE``: one write transaction each (in a fresh import,
    slices of ``FRESH_BATCH_SIZE``: one savepoint each)."""
    size = FRESH_BATCH_SIZE if _fresh.get() else BATCH_SIZE
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _update_objects(model: type[models.Model], objects: list, field_names: list[str]) -> None:
    """UPDATE each object's ``field_names``: one prepared statement run for every object (on
    PostgreSQL one statement for all of them, ``_postgres_update``).

    Django's ``bulk_update`` builds a CASE expression with one branch per row for every field,
    which SQLite evaluates per row: 5,000 hospitals took ~10 s. A parameterised UPDATE by primary
    key through ``executemany`` does the same work in well under a second.
    """
    fields = [model._meta.get_field(name) for name in field_names]
    # Values of a field's plain type (or None) go to the database as they are (db_value).
    prepared = list(zip(fields, plain_types(fields), strict=True))
    rows = [
        [
            value if value is None or type(value) is kind else db_value(field, kind, value)
            for field, kind in prepared
            for value in (getattr(obj, field.attname),)
        ]
        + [obj.pk]
        for obj in objects
    ]
    if connection.vendor == "postgresql":
        _postgres_update(model, fields, rows)
        return
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
            f"WHERE {quote(model._meta.pk.column)} = %s",
            rows,
        )


def _postgres_update(model: type[models.Model], fields: list, rows: list[list]) -> None:
    """UPDATE ``model``'s rows from ``rows`` (the values of ``fields``, then the primary key) in
    one statement: the values go as one array per column, joined to the table by primary key
    (``UPDATE … FROM unnest(…)``), bound by the server.

    Through ``executemany`` the server parsed, bound and ran one UPDATE per row (psycopg's
    pipeline saved only the round trips): the fresh import waited 0.58 s for its updates (the
    teaching and HIFLD values of 5,400 hospitals each), now 0.29 s. The arrays are of the
    columns' types without their length (``varchar``, not ``varchar(200)``): the assignment to
    the column refuses a value too long, as it would a bound one, where a cast to
    ``varchar(200)`` cuts it short."""
    import psycopg

    if not rows:
        return
    connection.ensure_connection()  # the raw cursor below does not open it
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = [f"v{index}" for index in range(len(fields))]
    types = [
        re.sub(r"\(.*?\)", "", column.db_type(connection)) for column in [*fields, model._meta.pk]
    ]
    arrays = ", ".join(f"%s::{kind}[]" for kind in types)
    assignments = ", ".join(
        f"{quote(field.column)} = new.{name}" for field, name in zip(fields, names, strict=True)
    )
    # One row per key, the last one given: what the last of several UPDATEs would leave.
    latest = {row[-1]: row for row in rows}
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as raw:
        raw.execute(
            f"UPDATE {table} SET {assignments} FROM unnest({arrays}) "
            f"AS new({', '.join(names)}, pk) "
            f"WHERE {table}.{quote(model._meta.pk.column)} = new.pk",
            [list(column) for column in zip(*latest.values(), strict=True)],
        )


def ensure_search_index() -> None:
    """Put back the SQLite full-text triggers (and refill the index) only if they are missing.

    The triggers keep the index in step with every batch, so the import does not rebuild it: a
    rebuild rewrites the whole index in one statement, i.e. one long write lock.
    """
    from medmatch.catalog import search

    search.ensure_index()


def run_imports(
    importers: list[Importer],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    whole_catalog: bool = False,
) -> list[ImportReport]:
    """Read every file first, then write source by source in short transactions (see the module
    docstring); a dry run writes inside one transaction that is rolled back. One import at a time
    (``import_lock``): another one raises ``ImportLocked`` before anything is read.

    ``whole_catalog`` (``import all``) into a catalog with no row at all is a *fresh* import
    (``fresh_catalog_writes``): one transaction, indexes built once at the end.
    """
    from .lock import import_lock

    progress = progress or Progress()
    # The run's values (``per_run``) go before the cycle collections come back on: see
    # ``_without_cyclic_collections``.
    with import_lock(), _without_cyclic_collections(), _one_run():
        parsed = []
        for importer in importers:
            started, cpu = time.perf_counter(), time.process_time()
            progress.start(f"reading {importer.info.key}", 1)
            records = importer.read()
            progress.advance()
            parsed.append(
                (
                    importer,
                    records,
                    (time.perf_counter() - started, time.process_time() - cpu),
                )
            )
        if dry_run:
            with transaction.atomic():
                reports = _write_all(parsed, dry_run, progress)
                transaction.set_rollback(True)
            parsed.clear()
            return reports
        if whole_catalog and catalog_is_empty():
            started = time.perf_counter()
            with fresh_catalog_writes():
                reports = _write_all(parsed, dry_run, progress)
            if reports:
                # The batches were savepoints of one transaction: that one held the lock.
                for report in reports:
                    report.write_transactions, report.longest_write_seconds = 0, 0.0
                reports[-1].write_transactions = 1
                reports[-1].longest_write_seconds = time.perf_counter() - started
        else:
            reports = _write_all(parsed, dry_run, progress)
        parsed.clear()  # the parsed files, freed before the cycle collections are back on
        ensure_search_index()
        _refresh_planner_statistics()
    return reports


@contextmanager
def _without_cyclic_collections():
    """The import without the garbage collector's cycle collections (reference counting still
    frees nearly everything at once); they are back on when it ends.

    An import keeps hundreds of thousands of container objects alive at once (the parsed
    files, the hospitals' names and the state indexes, the rows to write), and every full
    collection walked all of them again: 14-21 of them took a quarter of a fresh import's CPU
    time (7.4 of 30 s, measured with gc.callbacks), and freezing the parsed rows first
    (gc.freeze) saved nothing. The cycles an import leaves are small (peak RSS 806 MB without
    collections, 785 MB with) and are collected once collections are back on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def catalog_is_empty() -> bool:
    """True when no catalog table holds a row (a new database, before its first import)."""
    from django.apps import apps

    return not any(
        model._base_manager.exists() for model in apps.get_app_config("catalog").get_models()
    )


# Rows per batch of a fresh import: the batches are savepoints of its one transaction, so their
# size bounds no lock, only the memory of one executemany.
FRESH_BATCH_SIZE = 20_000
# SQLite's page cache during a fresh import, in KiB (negative: a size, not a page count).
FRESH_CACHE_KIB = -262_144
_fresh: ContextVar[bool] = ContextVar("catalog_fresh_import", default=False)


@contextmanager
def fresh_catalog_writes():
    """Write a whole catalog into empty tables at the speed of a bulk load, all or nothing.

    Issue 10's short transactions exist so that a running site is not starved of the write lock
    while an import changes a catalog people are reading. An empty catalog has no readers to
    protect, and writing 160,000 rows 250 at a time, with every index and the full-text triggers
    updated row by row, cost more than computing them. So a fresh import is one transaction
    (``BATCH_SIZE`` is lifted to ``FRESH_BATCH_SIZE``; the batches become savepoints): on
    SQLite the catalog's secondary indexes and full-text triggers are dropped inside it, the rows
    inserted, then the indexes created again and the full-text index built once (FTS5
    ``'rebuild'``) before the commit. A failure anywhere (a bad row, a unique index that no longer
    builds, a full disk, kill -9) rolls all of it back, the dropped indexes and triggers included:
    the catalog is as empty as before. On PostgreSQL the same, the foreign keys between catalog
    tables dropped and added again too (``_postgres_indexes_deferred``: its DDL is
    transactional), with the rows streamed by COPY (``insert_batch``).

    The cost: a site already serving while its first catalog loads waits for the one commit
    (its save waits up to the import's length; the benchmark prints it).
    """
    token = _fresh.set(True)
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        # The whole new catalog (~45 MB) in SQLite's page cache, not 2 MB of it: the indexes
        # built at the end read the tables from memory (~0.05 s of a fresh import). The
        # connection's usual size again afterwards, outside the transaction.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache_size = int(cursor.fetchone()[0])
            cursor.execute(f"PRAGMA cache_size = {FRESH_CACHE_KIB}")
    try:
        with transaction.atomic():
            if sqlite:
                with _sqlite_indexes_deferred():
                    yield
            else:
                with _postgres_indexes_deferred():
                    yield
    finally:
        _fresh.reset(token)
        if sqlite and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {cache_size}")


@contextmanager
def _sqlite_indexes_deferred():
    """Drop the catalog tables' secondary indexes and full-text triggers; create them again (and
    rebuild the full-text index) when the block ends without an error. Inside a transaction."""
    from medmatch.catalog import search

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name GLOB 'catalog_*' AND "
            "type IN ('index', 'trigger') AND sql IS NOT NULL AND name NOT GLOB '*_fts*'"
        )
        deferred = cursor.fetchall()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name GLOB 'catalog_*' "
            "AND name GLOB '*_fts_*'"
        )
        triggers = [row[0] for row in cursor.fetchall()]
        for kind, name, _ in deferred:
            cursor.execute(f"DROP {kind.upper()} {connection.ops.quote_name(name)}")
        for name in triggers:
            cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for _, _, sql in deferred:
            cursor.execute(sql)
    search.rebuild_index()  # the full-text triggers again, and the index filled in one pass


@contextmanager
def _postgres_indexes_deferred():
    """Drop the catalog tables' secondary indexes (the search's GIN index among them) and the
    foreign keys between them; create them again when the block ends without an error. Inside
    the transaction: PostgreSQL's DDL rolls back with it. Indexes that back a constraint
    (primary keys, unique fields) stay.

    Each index built once over the whole table instead of updated row by row (the GIN index
    of the search vector most of all): a fresh import 10.5 -> 9.7 s. Each foreign key checked
    by one query over its table when it is added again (``_postgres_foreign_keys_deferred``),
    instead of a trigger event queued for every row written and fired one by one at the end
    (``SET CONSTRAINTS ALL IMMEDIATE``): the import waited 0.65 s for the checks, now 0.11 s."""
    with connection.cursor() as cursor:
        # ALTER TABLE refuses a table with pending trigger events: the deferred checks of rows
        # an outer transaction wrote before (a test's) go first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename LIKE 'catalog\\_%%' AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conindid <> 0)"
        )
        deferred = cursor.fetchall()
        for name, _ in deferred:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    with _postgres_foreign_keys_deferred():
        yield
        with connection.cursor() as cursor:
            for _, sql in deferred:
                cursor.execute(sql)


@contextmanager
def _postgres_foreign_keys_deferred():
    """Drop the foreign keys from one catalog table to another; add them again when the block
    ends without an error. Adding one checks every row of its table in one query, and a row that
    points nowhere fails it (``IntegrityError``, naming the constraint and the key) as the
    commit's checks would have. Keys from other tables into the catalog stay (writing the rows
    they point at fires no check), and so would a key from the catalog to another table
    (dropping it would lock that table until the commit)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rel.relname, con.conname, pg_get_constraintdef(con.oid) FROM pg_constraint con "
            "JOIN pg_class rel ON rel.oid = con.conrelid "
            "JOIN pg_class ref ON ref.oid = con.confrelid "
            "WHERE con.contype = 'f' AND rel.relnamespace = current_schema()::regnamespace "
            "AND rel.relname LIKE 'catalog\\_%%' AND ref.relname LIKE 'catalog\\_%%' "
            "ORDER BY rel.relname, con.conname"
        )
        keys = cursor.fetchall()
        for table, name, _ in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


def _write_all(parsed, dry_run: bool, progress: Progress) -> list[ImportReport]:
    reports: list[ImportReport] = []
    for importer, records, (read_seconds, read_cpu) in parsed:
        started, cpu = time.perf_counter(), time.process_time()
        report = ImportReport(
            importer.info.key, importer.info.file_name, dry_run, importer.row_count
        )
        token = _writing.set(report)
        try:
            source = importer.save_source()
            importer.write(records, source, report, progress)
            importer.finish_source(source, report)
            if not importer.keeps_cms_hospitals:
                values = _run_values.get()
                if values is not None:
                    values.pop(_CMS_HOSPITALS, None)
        except DatabaseError as error:
            # A fresh import's batches are savepoints of one transaction that rolls back.
            written = any(r.write_transactions for r in [*reports, report]) and not _fresh.get()
            raise ImportWriteError(error, written=written and not dry_run) from error
        finally:
            _writing.reset(token)
        report.seconds = read_seconds + time.perf_counter() - started
        report.cpu_seconds = read_cpu + time.process_time() - cpu
        reports.append(report)
    try:
        _run_after_writes()
    except DatabaseError as error:
        written = any(r.write_transactions for r in reports) and not _fresh.get()
        raise ImportWriteError(error, written=written and not dry_run) from error
    return reports


def _refresh_planner_statistics() -> None:
    # A bulk import rewrites most catalog rows; without fresh statistics (and where autovacuum is
    # off) PostgreSQL plans the search joins as if the tables were empty.
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (Source, Institution, Program, Specialty)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
