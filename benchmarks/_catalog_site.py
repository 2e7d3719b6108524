"""Set-up shared by the page benchmarks: Django on a database holding the built-in catalog.

Not a benchmark itself (``make bench`` runs the scripts that use it).
"""

import os
import tempfile
import time
from pathlib import Path


def set_up_site(*, catalog: bool = True) -> None:
    """Django with production settings for the test Client, migrated, the built-in catalog
    imported when the database has none (a fresh SQLite file in /tmp without DATABASE_URL,
    about 40 s; ``catalog=False`` skips it, for a benchmark that makes its own rows), plain
    static URLs, and the database and program count printed."""
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="medmatch-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-use-0123")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    # The test client speaks plain HTTP: no redirect to https (production does it behind TLS).
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medmatch.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment

    from medmatch.catalog.models import Program

    call_command("migrate", interactive=False, verbosity=0)
    if catalog and not Program.objects.exists():
        from medmatch.catalog.importers import import_sources

        started = time.perf_counter()
        import_sources("all")
        print(f"imported the built-in catalog in {time.perf_counter() - started:.1f} s")
    setup_test_environment()
    # Production settings expect collectstatic's manifest; plain static URLs are enough here.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    print(f"database: {connection.vendor}; programs: {Program.objects.count()}")
