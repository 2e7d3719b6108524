"""Dump every catalog table of a database, in primary-key order, all fields but timestamps, so
that two imports can be compared row for row (``diff`` of two dumps).

    DATABASE_URL=sqlite:////tmp/a.sqlite3 uv run python scripts/catalog_dump.py > a.tsv
    uv run python scripts/catalog_dump.py --import > fresh.tsv   # import all into a new file

Why: a change that makes the import faster must leave the catalog exactly as it was (the same
rows, the same ids, the same links and facts). Timestamps (``updated_at``, ``imported_at``) are
left out, since they differ between any two runs. On SQLite the full-text indexes are checked
too (FTS5 ``integrity-check``: the index holds exactly the rows' ``search_text``). The dump ends
with ``medmatch stats --json`` (without import times) and, with ``--import``, what each import
reported (counts, skips and figures), so a faster import must also count and report the same.

    uv run python scripts/catalog_dump.py --import > after.tsv && diff before.tsv after.tsv
"""

import argparse
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path


def dump(out) -> None:
    from django.apps import apps
    from django.db import connection, models

    for model in sorted(apps.get_app_config("catalog").get_models(), key=lambda m: m._meta.label):
        fields = [
            field
            for field in model._meta.concrete_fields
            if not isinstance(field, models.DateTimeField)
        ]
        names = [field.attname for field in fields]
        rows = model._base_manager.order_by("pk").values_list(*names)
        digest, count = hashlib.sha256(), 0
        out.write(f"## {model._meta.label} ({', '.join(names)})\n")
        for row in rows.iterator(chunk_size=5000):
            line = "\t".join(repr(value) for value in row) + "\n"
            digest.update(line.encode())
            out.write(line)
            count += 1
        out.write(f"## {model._meta.label}: {count} rows, sha256 {digest.hexdigest()}\n")
    from medmatch.catalog.cli_import import catalog_stats

    stats = catalog_stats()
    for source in stats["sources"].values():
        source.pop("imported_at")
    out.write("## medmatch stats --json\n" + json.dumps(stats, indent=1, sort_keys=True) + "\n")
    if connection.vendor == "sqlite":
        from medmatch.catalog.search import _FTS_TABLES

        with connection.cursor() as cursor:
            for table in _FTS_TABLES.values():
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
                out.write(f"## {table}: integrity-check ok\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--import",
        dest="run_import",
        action="store_true",
        help="import all shipped sources into a new SQLite file first (unless DATABASE_URL)",
    )
    args = parser.parse_args()
    if args.run_import and not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="medmatch-dump-")) / "dump.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medmatch.settings")
    import django

    django.setup()
    if args.run_import:
        from django.core.management import call_command

        from medmatch.catalog.importers import import_sources

        call_command("migrate", interactive=False, verbosity=0)
        for report in import_sources("all"):
            counts = [report.rows, report.created, report.updated, report.deleted]
            sys.stdout.write(
                f"## import {report.source_key}: rows, created, updated, deleted {counts}, "
                f"unchanged {report.unchanged}, skipped {dict(sorted(report.skipped.items()))}, "
                f"figures {json.dumps(report.figures, sort_keys=True, default=str)}\n"
            )
    dump(sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
