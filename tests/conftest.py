"""Shared fixtures. Browser tests (tests/browser) add their own in tests/browser/conftest.py."""

import os
import time

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


@pytest.fixture(scope="session")
def django_db_setup(
    django_test_environment, django_db_blocker, django_db_modify_db_settings, request
):
    """pytest-django's fixture of this name, with the migrations run once and the migrated
    database copied for each worker and each later run (tests/db_template.py)."""
    from django.test.utils import teardown_databases

    from tests import db_template

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        old_config = db_template.setup_databases(verbosity)
    yield
    with django_db_blocker.unblock():
        teardown_databases(old_config, verbosity=verbosity)


@pytest.fixture(autouse=True)
def fresh_import_copies():
    """Tests write catalog rows without an import stamping a Source row, and a rolled-back test's
    rows can come back with the same ids: no test sees another's copies of imported tables."""
    from medmatch.catalog import import_cache

    import_cache.clear()
    yield
    import_cache.clear()


# -- where the suite's time goes: ``pytest --file-times`` ----------------------------------------


def pytest_addoption(parser):
    parser.addoption(
        "--file-times",
        action="store_true",
        help="print each test file's total wall-clock and CPU seconds (setup, call and teardown)",
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Each phase's CPU seconds of this process ride on its report (pytest-xdist sends a
    worker's reports, user_properties included, to the controller that prints the table). CPU
    time, unlike wall-clock time, hardly changes with the load of a shared machine."""
    report = yield
    if item.config.getoption("file_times"):
        started = item.stash.get(_CPU_STARTED, None)
        now = time.process_time()
        if started is not None:
            report.user_properties.append(("cpu_seconds", now - started))
        item.stash[_CPU_STARTED] = now
    return report


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if item.config.getoption("file_times"):
        item.stash[_CPU_STARTED] = time.process_time()


def pytest_runtest_logreport(report):
    times = _FILE_TIMES.setdefault(report.nodeid.split("::")[0], [0.0, 0.0, 0])
    times[0] += report.duration
    times[1] += dict(report.user_properties).get("cpu_seconds", 0.0)
    times[2] += report.when == "call"


def pytest_terminal_summary(terminalreporter, config):
    if not config.getoption("file_times") or not _FILE_TIMES:
        return
    write = terminalreporter.write_line
    terminalreporter.section("time per test file (seconds)")
    write(f"{'wall':>8} {'cpu':>8} {'tests':>6}  file")
    rows = sorted(_FILE_TIMES.items(), key=lambda row: -row[1][0])
    for path, (wall, cpu, tests) in rows:
        write(f"{wall:8.1f} {cpu:8.1f} {tests:6d}  {path}")
    wall = sum(row[0] for row in _FILE_TIMES.values())
    cpu = sum(row[1] for row in _FILE_TIMES.values())
    write(f"{wall:8.1f} {cpu:8.1f} {sum(row[2] for row in _FILE_TIMES.values()):6d}  total")
    write(f"load average at the end: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")


_CPU_STARTED = pytest.StashKey[float]()
_FILE_TIMES: dict[str, list] = {}
