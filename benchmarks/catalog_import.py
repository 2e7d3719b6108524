"""Time `medmatch import all` on a fresh database, then a second (idempotent) import.

    uv run python benchmarks/catalog_import.py               # a fresh SQLite file in /tmp
    DATABASE_URL=postgres://root@127.0.0.1:5432/medmatch_bench \
        uv run python benchmarks/catalog_import.py

With DATABASE_URL pointing at PostgreSQL, the catalog tables of that database are emptied first,
so use a database meant for benchmarks.
"""

import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="medmatch-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medmatch.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from medmatch.catalog.importers import import_sources
    from medmatch.catalog.models import Institution, Program, Source, Specialty

    call_command("migrate", interactive=False, verbosity=0)
    Program.objects.all().delete()
    Institution.objects.all().delete()
    Specialty.objects.all().delete()
    Source.objects.all().delete()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    for label in ("fresh import", "re-import (idempotent)"):
        started = time.perf_counter()
        reports = import_sources("all")
        total = time.perf_counter() - started
        print(f"\n{label}: {total:.1f} s")
        for report in reports:
            print(
                f"  {report.source_key:20} {report.seconds:6.2f} s  created {report.created:6}"
                f"  updated {report.updated:6}  unchanged {report.unchanged:6}"
            )
    print(f"\ninstitutions {Institution.objects.count()}, programs {Program.objects.count()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
