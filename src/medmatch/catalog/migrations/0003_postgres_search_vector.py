"""PostgreSQL: keep each row's tsvector in a stored generated column, and index that.

Ranking with ts_rank, and re-checking matches, recomputed to_tsvector(search_text) for every
matching row (a search for "med" matches 4,700 programs: ~150 ms). A stored column computes it
once per write. The column is maintained by PostgreSQL and is not a model field; SQLite uses
the FTS5 tables of 0002 instead, so this migration does nothing there.
"""

from django.db import migrations

TABLES = ("catalog_program", "catalog_institution")


def add_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_gin")
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_vector_gin ON {table} "
            "USING gin (search_vector)"
        )


def drop_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_vector_gin")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_gin ON {table} "
            "USING gin (to_tsvector('simple'::regconfig, search_text))"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_full_text_search"),
    ]

    operations = [
        migrations.RunPython(add_vectors, drop_vectors, elidable=False),
    ]
