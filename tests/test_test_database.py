"""The migrated test-database template (tests/db_template.py): its key changes with the
migrations, and the database a test gets from it is fully migrated."""

import re
import shutil
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import medmatch
from tests import db_template


@pytest.fixture
def migrations(tmp_path):
    """A copy of the project's migration files and the files the key reads besides them."""
    copies = []
    for file in db_template.input_files():
        copy = tmp_path.joinpath(*file.parts[-3:])
        copy.parent.mkdir(parents=True, exist_ok=True)
        if not copy.exists():
            shutil.copyfile(file, copy)
            copies.append(copy)
    return copies


def test_it_keys_the_same_migrations_alike_wherever_they_are(migrations):
    """Checkouts in other directories share templates: only the files' names and contents count."""
    assert db_template.fingerprint(migrations) == db_template.fingerprint(db_template.input_files())


def test_it_gives_a_changed_migration_a_new_key(migrations):
    before = db_template.fingerprint(migrations)
    initial = next(file for file in migrations if "max_length=" in file.read_text())
    text = initial.read_text()
    changed = re.sub(r"max_length=(\d+)", lambda m: f"max_length={int(m[1]) + 1}", text, count=1)
    assert changed != text
    initial.write_text(changed)

    assert db_template.fingerprint(migrations) != before


def test_it_gives_an_added_or_removed_migration_a_new_key(migrations):
    before = db_template.fingerprint(migrations)
    added = migrations[0].parent / "9999_added.py"
    added.write_text("from django.db import migrations\n")

    assert db_template.fingerprint([*migrations, added]) != before
    assert db_template.fingerprint(migrations[1:]) != before


def test_it_gives_a_renamed_migration_a_new_key(migrations):
    before = db_template.fingerprint(migrations)
    renamed = migrations[0].with_name("0001_renamed.py")
    migrations[0].rename(renamed)

    assert db_template.fingerprint([renamed, *migrations[1:]]) != before


def test_it_keys_every_app_and_what_its_data_migrations_read():
    files = {"/".join(file.parts[-3:]) for file in db_template.input_files()}

    assert "accounts/migrations/0001_initial.py" in files
    assert "auth/migrations/0001_initial.py" in files  # Django's own apps
    assert "interviews/data/questions_to_ask.csv" in files
    assert "medmatch/catalog/search.py" in files  # a post_migrate handler


def test_it_keys_every_file_a_migration_opens():
    """A data migration that reads a file must have it among the key's inputs, or the template
    would keep the file's old content."""
    package = Path(medmatch.__file__).resolve().parent
    readers = {
        file.parent.parent.name
        for file in package.glob("*/migrations/*.py")
        if re.search(r"\bopen\(|read_text\(|read_bytes\(", file.read_text())
    }
    covered = {directory.parent.name for directory in db_template.MIGRATION_INPUTS}

    assert readers <= covered


@pytest.mark.django_db
def test_it_hands_each_test_a_fully_migrated_database():
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()

    assert executor.migration_plan(targets) == []
    assert executor.loader.applied_migrations.keys() >= set(executor.loader.disk_migrations)
