"""Full-text search over ``search_text`` for programs and institutions.

SQLite: an external-content FTS5 table per model (rowid = pk), kept in step by triggers, so rows
saved from anywhere (admin, importer, bulk_create, QuerySet.update) are found.
PostgreSQL: a GIN index on ``to_tsvector('simple', search_text)``; catalog/search.py queries
with the same expression so the index is used.

The SQL is written out here (not imported) so this migration keeps doing what it did when the
code around it changes. ``medmatch.catalog.search.rebuild_index`` re-creates the same objects.
"""

from django.db import migrations

TABLES = ("catalog_program", "catalog_institution")


def _sqlite_statements(table):
    fts = f"{table}_fts"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(search_text, "
        f"content='{table}', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        "END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF search_text ON {table} "
        "BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def create_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            statements = _sqlite_statements(table)
        elif vendor == "postgresql":
            statements = [
                f"CREATE INDEX IF NOT EXISTS {table}_search_gin ON {table} "
                "USING gin (to_tsvector('simple'::regconfig, search_text))"
            ]
        else:
            statements = []
        for statement in statements:
            schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            for suffix in ("insert", "delete", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}_fts")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
