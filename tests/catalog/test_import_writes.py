"""How an import writes (issue 10, M5): short transactions, only changed rows, a true no-op on
identical files, and an interrupted import that a rerun completes."""

import datetime
import shutil
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, DataError, IntegrityError, connection, transaction
from tests.catalog.factories import make_program
from tests.catalog.test_hospital_data_import import HOSPITAL_DATA_FILES
from tests.catalog.test_import import (
    CMS_HEADER,
    CMS_ROWS,
    HIFLD_HEADER,
    HIFLD_ROWS,
    LCA_HEADER,
    LCA_ROWS,
    LOCATIONS_HEADER,
    LOCATIONS_ROWS,
    NRMP_INSTITUTIONS,
    NRMP_TRACKS,
    SPECIALTY_ROWS,
    TEACHING_HEADER,
    TEACHING_ROWS,
    write,
)
from tests.catalog.test_places import (
    COUNTY_HEADER,
    COUNTY_ROWS,
    FMR_HEADER,
    FMR_ROWS,
    RUCA_HEADER,
    RUCA_ROWS,
    SAFMR_HEADER,
    SAFMR_ROWS,
)

from medmatch.catalog.importers import ImportWriteError, base, import_sources
from medmatch.catalog.models import Institution, Program, Source, Specialty
from medmatch.catalog.models_places import AreaRent, ZipArea, ZipCounty, ZipRent
from medmatch.settings import CATALOG_DATA_DIR as SHIPPED_DATA_DIR

CARMS_HEADER = (
    "discipline_id,discipline_name,school_id,school_name,program_stream_id,"
    "program_stream_name,program_site,program_stream,program_name,program_url"
)
CARMS_ROWS = [
    "13,Anesthesiology,5177357,Dalhousie University,27416,Halifax - CMG Stream for CMG,Halifax,"
    "CMG Stream for CMG,Dalhousie University / Anesthesiology / Halifax / CMG Stream for CMG,"
    "https://example.org/27416",
]
WIKIDATA_HEADER = "item\titemLabel\tcountryLabel\tofficial_website\tgeo"
WIKIDATA_ROWS = [
    "http://www.wikidata.org/entity/Q4013\tHôtel-Dieu de Lyon\tFrance\t\tPoint(4.83 45.75)",
    # The CMS hospital 010001 (HIFLD coordinates 31.2, -85.4): merged into it.
    "http://www.wikidata.org/entity/Q7\tSoutheast Health Medical Center\tUnited States of America"
    "\t\tPoint(-85.4001 31.2001)",
]
PLACE_FILES = {
    "rurality/usda_ruca_2020_zip.csv": (RUCA_HEADER, RUCA_ROWS),
    "cost_of_living/hud_usps_zip_county_2024q4_primary.csv": (COUNTY_HEADER, COUNTY_ROWS),
    "cost_of_living/hud_fmr_fy2026_county.csv": (FMR_HEADER, FMR_ROWS),
    "cost_of_living/hud_safmr_fy2024_zip.csv": (SAFMR_HEADER, SAFMR_ROWS),
}


@pytest.fixture
def data_dir(tmp_path, settings):
    """Every source's file, small, under its shipped name; the import lock file in tmp_path."""
    settings.CATALOG_DATA_DIR = tmp_path
    settings.DATA_DIR = tmp_path
    files = {
        "programs/acgme_specialty_codes.csv": ("acgmeSpecialtyCode,name", SPECIALTY_ROWS),
        "hospitals/cms_hospital_general_information_2025.csv": (CMS_HEADER, CMS_ROWS),
        "hospitals/hifld_hospitals.csv": (HIFLD_HEADER, HIFLD_ROWS),
        "teaching/teaching_hospitals_resident_fte_fy2021.csv": (TEACHING_HEADER, TEACHING_ROWS),
        "programs/nrmp_institutions.csv": ("name,institutionCode", NRMP_INSTITUTIONS),
        "programs/nrmp_program_tracks.csv": ("name,code", NRMP_TRACKS),
        "programs/residency_program_locations_2018_2019.csv": (LOCATIONS_HEADER, LOCATIONS_ROWS),
        "visa/dol_lca_fy2025q2_physician_trainees.csv": (LCA_HEADER, LCA_ROWS),
        "international/carms_2025_r1_disciplines.csv": (
            "discipline_id,discipline",
            ["13,Anesthesiology"],
        ),
        "international/carms_2025_r1_program_master.csv": (CARMS_HEADER, CARMS_ROWS),
        "international/wikidata_hospitals_2024-08.tsv": (WIKIDATA_HEADER, WIKIDATA_ROWS),
        **HOSPITAL_DATA_FILES,
        **PLACE_FILES,
    }
    for name, (header, rows) in files.items():
        write(tmp_path, name, header, rows)
    # The rule tables (issue 11) are small and written by the project: shipped as they are.
    shutil.copytree(Path(SHIPPED_DATA_DIR) / "rules", tmp_path / "rules")
    return tmp_path


def catalog_dump(*, with_ids: bool = True) -> dict:
    """Every row of the catalog tables, every column (timestamps included)."""
    dump = {}
    for model in (Source, Specialty, Institution, Program, ZipArea, ZipCounty, AreaRent, ZipRent):
        rows = list(model.objects.order_by("pk").values())
        if not with_ids:
            # Compare by content only: ids and write times differ between two databases.
            drop = {"id", "updated_at", "imported_at"}
            rows = sorted(
                (sorted((k, v) for k, v in row.items() if k not in drop and not k.endswith("_id")))
                for row in rows
            )
        dump[model.__name__] = rows
    return dump


@pytest.mark.django_db
def test_it_reimports_identical_files_as_a_true_noop(data_dir):
    first = import_sources("all")
    assert sum(report.created for report in first) > 10
    before = catalog_dump()
    again = import_sources("all")
    assert [(r.source_key, r.created, r.updated, r.deleted) for r in again] == [
        (r.source_key, 0, 0, 0) for r in again
    ]
    assert [r.write_transactions for r in again] == [0] * len(again)
    # Rows, updated_at and the sources' imported_at alike.
    assert catalog_dump() == before


@pytest.mark.django_db
def test_it_writes_changed_rows_in_transactions_of_batch_size(data_dir, monkeypatch):
    monkeypatch.setattr(base, "BATCH_SIZE", 2)
    (report,) = import_sources("cms-hospitals")
    # The Source row, then 4 hospitals in 2 batches, then the file's hash on the Source row.
    assert report.created == 4
    assert report.write_transactions == 1 + 2 + 1
    changed = CMS_ROWS[0].replace("SOUTHEAST HEALTH MEDICAL CENTER", "SOUTHEAST HEALTH")
    path = write(data_dir, "cms2.csv", CMS_HEADER, [changed, *CMS_ROWS[1:]])
    (report,) = import_sources("cms-hospitals", path)
    # One changed row: one batch, then the new file's hash.
    assert (report.updated, report.unchanged, report.write_transactions) == (1, 3, 2)


@pytest.mark.django_db
def test_it_records_the_file_hash_only_after_the_last_batch(data_dir, monkeypatch):
    monkeypatch.setattr(base, "BATCH_SIZE", 1)
    calls = []
    real = base._update_objects

    def fail_on_the_third_batch(*args):
        calls.append(args)
        if len(calls) == 3:
            raise DatabaseError("disk I/O error")
        real(*args)

    import_sources("cms-hospitals")
    monkeypatch.setattr(base, "_update_objects", fail_on_the_third_batch)
    with pytest.raises(ImportWriteError) as error:
        import_sources("hifld-hospitals")
    assert error.value.written
    hifld = Source.objects.get(key="hifld-hospitals")
    assert hifld.file_sha256 == "" and hifld.imported_at is None
    # Two batches of one row each were committed before the third failed.
    assert Institution.objects.exclude(coordinates_precision="").count() == 2

    monkeypatch.setattr(base, "_update_objects", real)
    (rerun,) = import_sources("hifld-hospitals")
    assert rerun.updated == 2  # the rows the first run did not reach
    interrupted_then_rerun = catalog_dump(with_ids=False)
    Institution.objects.all().delete()
    Source.objects.all().delete()
    import_sources("cms-hospitals")
    import_sources("hifld-hospitals")
    assert catalog_dump(with_ids=False) == interrupted_then_rerun


class ConcurrentSave(base.Progress):
    """After each batch the importer reports progress: a student's save, from another thread
    (so another database connection), runs then and must not wait for the import."""

    def __init__(self):
        self.saves, self.errors = 0, []

    def advance(self, count: int = 1) -> None:
        thread = threading.Thread(target=self.save)
        thread.start()
        thread.join()

    def save(self):
        try:
            name = f"student{self.saves}"
            get_user_model().objects.create_user(name, f"{name}@example.org", "x")
            self.saves += 1
        except DatabaseError as error:
            self.errors.append(str(error))
        finally:
            connection.close()


@pytest.mark.django_db(transaction=True)
def test_it_lets_another_connection_write_between_batches(data_dir, monkeypatch):
    """On SQLite the test database is shared-cache memory, where a second writer fails at once
    ("database table is locked") while a transaction is open: one transaction for the whole
    import (the old design) fails this test; batches that commit let every save through."""
    monkeypatch.setattr(base, "BATCH_SIZE", 1)
    # Into a catalog that has rows (a fresh catalog is written in one transaction: see below).
    import_sources("acgme-specialties")
    progress = ConcurrentSave()
    import_sources("all", progress=progress)
    assert progress.errors == []
    assert progress.saves > 20
    assert get_user_model().objects.count() == progress.saves


@pytest.mark.django_db(transaction=True)
def test_insert_rows_writes_what_bulk_create_writes():
    """The importers' INSERT (no model objects) stores the same columns as bulk_create: defaults
    for fields a row leaves out, choices given as enum members, dates, None, booleans."""
    from datetime import date

    source = Source.objects.create(
        key="s", name="S", publisher="P", url="https://example.org", license="L",
        retrieved_on=date(2025, 1, 1),
    )  # fmt: skip
    rows = [
        {
            "name": "Hôtel-Dieu",
            "kind": Institution.Kind.INTERNATIONAL,
            "latitude": 45.75,
            "longitude": 4,  # an int in a float column
            "emergency_services": True,
            "beds": None,
            "source_id": source.pk,
            "wikidata_id": "Q1",
        },
        {"name": "Plain", "source_id": source.pk, "wikidata_id": "Q2", "source_row": 7},
    ]
    base.insert_rows(Institution, rows)
    Institution.objects.bulk_create(
        [Institution(**{**row, "wikidata_id": "B" + row["wikidata_id"]}) for row in rows]
    )
    names = [
        f.attname
        for f in Institution._meta.concrete_fields
        if f.attname not in ("id", "updated_at", "wikidata_id")
    ]
    inserted = list(
        Institution.objects.filter(wikidata_id__startswith="Q")
        .order_by("wikidata_id")
        .values_list(*names)
    )
    created = list(
        Institution.objects.filter(wikidata_id__startswith="BQ")
        .order_by("wikidata_id")
        .values_list(*names)
    )
    assert inserted == created
    assert inserted[0][names.index("kind")] == "international"
    assert all(inst.updated_at for inst in Institution.objects.all())
    synced = base.sync_rows(
        Institution, "wikidata_id", {"Q3": {"name": "New", "source_id": source.pk}}, None
    )
    assert synced["Q3"].pk == Institution.objects.get(wikidata_id="Q3").pk
    assert synced["Q1"].name == "Hôtel-Dieu"


@pytest.mark.django_db
def test_it_inserts_a_batch_of_several_statements_in_order():
    """A batch is inserted many rows per statement: every full group and the rest are written,
    in the order given (the ids follow it), and a refused row writes none of its batch."""
    source = Source.objects.create(
        key="s", name="S", publisher="P", url="https://example.org", license="L",
        retrieved_on=datetime.date(2025, 1, 1),
    )  # fmt: skip
    columns = ["zip", "county_fips5", "usps_city", "state", "share_of_addresses"]
    columns += ["share_of_residential", "n_counties", "source_id"]
    # On SQLite 124 rows per statement (999 values): two full statements and the rest.
    rows = [[f"{n:05}", "01001", "", "AL", 1.0, 1.0, 1, source.pk] for n in range(250)]
    base.insert_batch(ZipCounty._meta.db_table, columns, rows)
    stored = list(ZipCounty.objects.order_by("pk").values_list("zip", flat=True))
    assert stored == [row[0] for row in rows]
    refused = [["99999", *rows[0][1:]], rows[-1]]  # the last row's ZIP is taken
    with pytest.raises(IntegrityError), transaction.atomic():
        base.insert_batch(ZipCounty._meta.db_table, columns, refused)
    assert not ZipCounty.objects.filter(zip="99999").exists()


@pytest.mark.django_db
def test_it_updates_rows_to_the_values_a_save_would_write():
    first, second = make_program(), make_program(title="Surgery", latitude=45.5)
    values = {
        "title": "Family Medicine",
        "institution_id": second.institution_id,
        "stipend_amount": Decimal("61234.50"),
        "application_deadline": datetime.date(2026, 1, 15),
        "length_months": 36,
        "latitude": None,
    }
    assert base.update_rows(Program, [first, second], {first.pk: values, second.pk: values}) == 2
    for program in Program.objects.all():
        assert {name: getattr(program, name) for name in values} == values
    if connection.vendor == "postgresql":
        # Refused, not cut to the column's 300 characters.
        with pytest.raises(DataError):
            base.update_rows(Program, [first], {first.pk: {"title": "x" * 301}})
        assert Program.objects.get(pk=first.pk).title == "Family Medicine"


def _schema() -> list:
    """The catalog's tables, indexes and triggers on SQLite; its indexes and constraints on
    PostgreSQL."""
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tablename, indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() AND tablename LIKE 'catalog%%' "
                "ORDER BY tablename, indexname"
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated "
                "FROM pg_constraint WHERE conrelid::regclass::text LIKE 'catalog%%' "
                "ORDER BY 1, 2"
            )
            return indexes + cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name LIKE 'catalog_%' "
            "ORDER BY type, name"
        )
        return cursor.fetchall()


def _empty_catalog() -> None:
    """Delete every catalog row, those that point at a Source (protected) first."""
    from medmatch.catalog.models_hospital_data import (
        CanadianHospital,
        CarmsStreamSite,
        CostReport,
        H1bFiling,
    )
    from medmatch.catalog.models_rules import TrainingLengthRule, WorkHourRule

    for model in (
        ZipArea, ZipCounty, AreaRent, ZipRent, CarmsStreamSite, CostReport, H1bFiling,
        CanadianHospital, TrainingLengthRule, WorkHourRule, Program, Institution, Specialty,
        Source,
    ):  # fmt: skip
        model.objects.all().delete()
    assert base.catalog_is_empty()


@pytest.mark.django_db
def test_it_writes_a_fresh_catalog_in_one_transaction_as_the_batches_would(data_dir, cache_size):
    from medmatch.catalog import search
    from medmatch.catalog.importers import IMPORTERS

    schema = _schema()
    # The same files in short batches (the path of an import into a catalog in use).
    batched = base.run_imports([importer() for importer in IMPORTERS.values()])
    assert sum(report.write_transactions for report in batched) > len(batched)
    expected = catalog_dump(with_ids=False)
    _empty_catalog()

    reports = import_sources("all")
    assert sum(report.write_transactions for report in reports) == 1
    assert reports[-1].longest_write_seconds > 0
    assert [(r.created, r.updated, r.unchanged, r.skipped, r.figures) for r in reports] == [
        (r.created, r.updated, r.unchanged, r.skipped, r.figures) for r in batched
    ]
    assert catalog_dump(with_ids=False) == expected
    # The indexes are back, and the search index was built in one pass with its triggers.
    assert _schema() == schema
    hits = search.search_institutions(search.InstitutionQuery(q="southeast")).hits
    assert any("SOUTHEAST" in hit.obj.name.upper() for hit in hits)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in ("catalog_institution_fts", "catalog_program_fts"):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
            # The big page cache of the fresh import is the connection's usual one again.
            cursor.execute("PRAGMA cache_size")
            assert cursor.fetchone()[0] == cache_size


@pytest.fixture
def cache_size():
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_it_refuses_a_fresh_catalog_with_a_row_that_points_nowhere(data_dir, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite checks foreign keys at the commit, which a test never reaches")
    from medmatch.catalog.importers.wikidata import WikidataHospitalsImporter

    schema = _schema()
    write = WikidataHospitalsImporter.write

    def write_then_point_nowhere(self, *args):
        write(self, *args)
        Institution.objects.filter(ccn="010001").update(hospital_id=10**9)

    monkeypatch.setattr(WikidataHospitalsImporter, "write", write_then_point_nowhere)
    with pytest.raises(IntegrityError) as error:
        import_sources("all")
    assert "catalog_institution_hospital_id" in str(error.value)
    assert "Key (hospital_id)=(1000000000) is not present" in str(error.value)
    assert base.catalog_is_empty()
    assert _schema() == schema  # the dropped indexes and foreign keys are back


@pytest.mark.django_db
def test_it_leaves_the_catalog_empty_when_a_fresh_import_fails(data_dir, monkeypatch, cache_size):
    from medmatch.catalog.importers.wikidata import WikidataHospitalsImporter

    schema = _schema()

    def full_disk(*args, **kwargs):
        raise DatabaseError("database or disk is full")

    monkeypatch.setattr(WikidataHospitalsImporter, "write", full_disk)
    with pytest.raises(ImportWriteError) as error:
        import_sources("all")
    assert not error.value.written
    assert base.catalog_is_empty()
    assert _schema() == schema  # the dropped indexes and triggers are back
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            assert cursor.fetchone()[0] == cache_size
