"""`medmatch import` on a fresh data directory, as a new user runs it from the README, sets up the
database itself (as `medmatch serve` does) instead of failing on a missing table."""

from django.db.migrations.executor import MigrationExecutor

from medmatch.catalog import cli_import


def test_it_migrates_first_when_migrations_are_pending(db, monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: ["a", "b"])
    monkeypatch.setattr(
        "django.core.management.call_command", lambda *args, **kwargs: calls.append(args)
    )
    cli_import.migrate_if_needed()
    assert calls == [("migrate",)]
    assert "Setting up the database first (2 migrations)" in capsys.readouterr().err


def test_it_leaves_a_migrated_database_alone(db, monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(
        "django.core.management.call_command", lambda *args, **kwargs: calls.append(args)
    )
    cli_import.migrate_if_needed()
    assert calls == []
    assert capsys.readouterr().err == ""
