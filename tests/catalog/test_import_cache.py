"""Copies of imported tables are kept per process until the next import (``import_cache``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests.catalog.factories import make_source
from tests.catalog.test_hospital_data_facts import catalog  # noqa: F401 (a fixture)
from tests.catalog.test_hospital_data_import import LCA_HEADER, LCA_ROWS, lca, run, write

from medmatch.catalog import import_cache
from medmatch.catalog.hospital_data import h1b_for_programs
from medmatch.catalog.importers.base import save_source_row
from medmatch.catalog.models import Program, Source

pytestmark = pytest.mark.django_db


def test_a_copy_is_kept_until_an_import_stamps_a_source(monkeypatch):
    make_source(key="one", imported_at=timezone.now())
    calls = []

    @import_cache.per_import
    def loaded():
        calls.append(1)
        return Source.objects.count()

    monkeypatch.setattr(import_cache, "STAMP_RECHECK_SECONDS", 0.0)
    assert loaded() == loaded() == 1
    assert len(calls) == 1
    # Another process imports: the stamp moves, and the next read loads again.
    Source.objects.filter(key="one").update(imported_at=timezone.now())
    make_source(key="two", imported_at=timezone.now())
    assert loaded() == 2
    assert len(calls) == 2


def test_an_import_in_this_process_forgets_the_copies_at_once():
    make_source(key="one", imported_at=timezone.now())
    before = import_cache.imported_sources()
    assert set(before) == {"one"}
    values = {"name": "Two", "retrieved_on": timezone.now().date(), "imported_at": timezone.now()}
    save_source_row("two", values)
    # No waiting for STAMP_RECHECK_SECONDS: the importer cleared this process's copies.
    assert set(import_cache.imported_sources()) == {"one", "two"}


def test_new_filings_show_after_their_import(catalog, tmp_path):  # noqa: F811
    program = Program.objects.select_related("institution__hospital").get(pk=catalog["rush_im"].pk)
    assert h1b_for_programs([program])[program.pk].filings == 2
    extra = lca(6, "Resident PGY-1", "Rush University Medical Center", "60612", 72000)
    run("dol-lca-trainees", write(tmp_path, "lca2.csv", LCA_HEADER, [*LCA_ROWS, extra]))
    assert h1b_for_programs([program])[program.pk].filings == 3


def test_a_program_page_reads_no_imported_table_again(client, catalog, monkeypatch):  # noqa: F811
    # Within the recheck window: on a loaded machine the two views may be seconds apart, and
    # the stamp's own re-read (of catalog_source) is not what this test is about.
    monkeypatch.setattr(import_cache, "STAMP_RECHECK_SECONDS", 3600.0)
    url = reverse("catalog:program", args=[catalog["rush_im"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    for table in ("catalog_source", "catalog_h1bfiling", "catalog_traininglengthrule"):
        assert f'FROM "{table}"' not in tables, table
