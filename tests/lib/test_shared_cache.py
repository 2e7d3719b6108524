"""The limits count in a cache every app server shares: a table in the database."""

from django.core.cache import caches
from django.db import connection
from django.test import override_settings

from medmatch.lib.throttle import count_and_allow

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "medmatch_cache",
    }
}


def test_it_creates_the_cache_table_with_the_migrations(db):
    assert "medmatch_cache" in connection.introspection.table_names()


def test_it_counts_in_the_database_so_every_process_sees_one_count(db):
    with override_settings(CACHES=DATABASE_CACHE):
        caches["default"].clear()
        allowed = [
            count_and_allow("test", "x@example.org", limit=2, window_seconds=60) for _ in range(3)
        ]
        assert allowed == [True, True, False]
        with connection.cursor() as cursor:
            cursor.execute("select count(*) from medmatch_cache")
            assert cursor.fetchone()[0] == 1
