"""Shared fixtures. Browser tests (tests/browser) add their own in tests/browser/conftest.py."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside one
# unless told it is safe (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.personas import alice, bob, carol, dave, outsiders  # noqa: F401


@pytest.fixture(scope="session", autouse=True)
def data_dirs():
    """The data directory and STATIC_ROOT exist, as every `medmatch` command makes sure (importing
    settings creates no directory)."""
    from medmatch.lib.data_dirs import ensure_data_dirs

    ensure_data_dirs()


@pytest.fixture(scope="session", autouse=True)
def own_data_dir_per_worker(data_dirs, tmp_path_factory):
    """Under pytest-xdist (``make test`` runs on every core) each worker is its own process with
    its own test database, but ``settings.DATA_DIR`` is shared: the catalog import's lock file
    lives there, so two workers importing their fixtures at once refused each other ("another
    import is running"). Each worker gets a data directory of its own."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        yield
        return
    from django.conf import settings

    previous = settings.DATA_DIR
    settings.DATA_DIR = tmp_path_factory.mktemp(f"data-{worker}")
    yield
    settings.DATA_DIR = previous


@pytest.fixture(autouse=True)
def fresh_import_copies():
    """Tests write catalog rows without an import stamping a Source row, and a rolled-back test's
    rows can come back with the same ids: no test sees another's copies of imported tables."""
    from medmatch.catalog import import_cache

    import_cache.clear()
    yield
    import_cache.clear()
