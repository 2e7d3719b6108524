"""Per-process copies of tables that only an import changes: source rows, the rule tables, the
H-1B filings' index.

A program page read each of them again on every view (six queries and a few hundred objects).
Every import stamps its ``Source`` row, so the pair (last ``imported_at``, number of imported
sources) changes with each one; a copy is kept while that stamp is unchanged. The stamp itself
is read at most every ``STAMP_RECHECK_SECONDS`` (one small query), and at once after an import in
this process (``clear()``, called by the importers); an import run by another process shows
within that many seconds. Callers get shared objects: they read them and never change them.
"""

import functools
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.db.models import Count, Max

from medmatch.catalog.models import Source

STAMP_RECHECK_SECONDS = 2.0

T = TypeVar("T")

_lock = threading.Lock()
_values: dict[str, tuple[tuple, object]] = {}
_stamp: list = [None, None]  # [monotonic time read, stamp]


def import_stamp() -> tuple:
    """(last import time, number of imported sources): it changes with every import."""
    now = time.monotonic()
    if _stamp[0] is None or now - _stamp[0] > STAMP_RECHECK_SECONDS:
        row = Source.objects.filter(imported_at__isnull=False).aggregate(
            last=Max("imported_at"), imported=Count("id")
        )
        _stamp[:] = [now, (row["last"], row["imported"])]
    return _stamp[1]


def clear() -> None:
    """Forget every copy and the stamp (after an import in this process; between tests)."""
    with _lock:
        _values.clear()
        _stamp[:] = [None, None]


def per_import(loader: Callable[[], T]) -> Callable[[], T]:
    """Keep ``loader()``'s result until the next import; ``.uncached`` is the bare loader."""
    name = f"{loader.__module__}.{loader.__qualname__}"

    @functools.wraps(loader)
    def cached() -> T:
        stamp = import_stamp()
        hit = _values.get(name)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        value = loader()
        with _lock:
            _values[name] = (stamp, value)
        return value

    cached.uncached = loader
    return cached


@per_import
def sources_by_id() -> dict[int, Source]:
    return Source.objects.in_bulk()


@per_import
def imported_sources() -> dict[str, Source]:
    """{key: Source} of every source that was imported at least once."""
    return {source.key: source for source in sources_by_id().values() if source.imported_at}


def imported_source(key: str) -> Source | None:
    return imported_sources().get(key)


def sources_in(ids) -> dict[int, Source]:
    """Like ``Source.objects.in_bulk(ids)``, from the copy (a row newer than the copy is read)."""
    every = sources_by_id()
    found = {pk: every[pk] for pk in ids if pk in every}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        found.update(Source.objects.in_bulk(missing))
    return found
