"""One catalog import at a time, across processes.

Two imports at once would interleave their batches (and on SQLite the second one used to end in
a raw "database is locked" traceback). ``import_lock`` is held for a whole import:

- a lock file, ``<MEDMATCH_DATA_DIR>/catalog-import.lock``, locked with ``flock``: the kernel
  releases it when the process exits, however it exits (kill -9 included), so a crashed import
  never leaves a stale lock behind; the file itself stays and is never deleted (deleting a lock
  file lets a third process lock a new file while the second still holds the old one);
- on PostgreSQL also a session advisory lock (``pg_try_advisory_lock``), since app servers on
  several machines share the database but not the data directory.

Without ``wait`` a held lock raises ``ImportLocked`` at once. The lock is re-entrant within a
process, so that the first-start bootstrap can hold it while it checks and imports.
"""

import fcntl
import threading
import zlib
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

LOCK_FILE_NAME = "catalog-import.lock"
# A fixed 32-bit key of our own for pg_advisory_lock(bigint).
ADVISORY_LOCK_KEY = zlib.crc32(b"medmatch.catalog.import")

_held = threading.local()


class ImportLocked(Exception):
    """Another process is importing the catalog; nothing was read or written."""

    def __init__(self, where: str):
        self.where = where  # what is held: the lock file's path or the advisory lock
        super().__init__(
            f"another import is running (it holds {where}); nothing was written. "
            "Run the import again when it has finished."
        )


def lock_path() -> Path:
    return Path(settings.DATA_DIR) / LOCK_FILE_NAME


@contextmanager
def import_lock(*, wait: bool = False):
    """Hold the import lock for the duration of the block (see the module docstring)."""
    if getattr(_held, "depth", 0):
        _held.depth += 1
        try:
            yield
        finally:
            _held.depth -= 1
        return
    path = lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ImportLocked(str(path)) from None
        try:
            with _advisory_lock(wait):
                _held.depth = 1
                try:
                    yield
                finally:
                    _held.depth = 0
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _advisory_lock(wait: bool):
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        else:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
            if not cursor.fetchone()[0]:
                raise ImportLocked("the database's import lock")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
