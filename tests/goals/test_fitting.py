"""The catalog adapter: rows for the fit engine, the cache, and the functions other apps call."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from medmatch.catalog import import_cache
from medmatch.catalog.models import Institution, Program
from medmatch.goals import fitting
from tests.goals.conftest import GOALS, give_goals


def _rows_by_id():
    rows, names = fitting.catalog_rows()
    return {row["id"]: row for row in rows}, names


def test_it_uses_the_canonical_specialty(catalog):
    rows, names = _rows_by_id()
    toronto = rows[catalog["programs"]["toronto_medicine"].pk]
    assert toronto["specialty"] == "140"
    assert names["140"] == "Internal Medicine"


def test_it_takes_coordinates_from_program_then_institution_then_hospital(catalog):
    rows, _ = _rows_by_id()
    programs = catalog["programs"]
    assert rows[programs["toronto_medicine"].pk]["latitude"] == 43.6591
    assert rows[programs["mgh_medicine"].pk]["latitude"] == 42.3631
    nyu = rows[programs["nyu_medicine"].pk]
    assert (nyu["latitude"], nyu["longitude"]) == (40.7390, -73.9754)
    assert nyu["institution_kind"] == "sponsor"


def test_it_keeps_unknown_mentorship_unknown(catalog):
    rows, _ = _rows_by_id()
    assert rows[catalog["programs"]["mgh_medicine"].pk]["has_mentorship"] is None
    assert rows[catalog["programs"]["lowell_medicine"].pk]["has_mentorship"] is True
    assert rows[catalog["programs"]["mgh_medicine"].pk]["departments"] is None


def test_it_builds_rows_in_a_fixed_number_of_queries(catalog):
    """No query per program or institution: the count does not grow with the catalog (the
    place, cost-report, H-1B and rule look-ups of issue 11 are a few bulk queries each)."""
    mgh = catalog["programs"]["mgh_medicine"]
    counts = []
    for extra in (1, 4):
        for n in range(extra):
            institution = Institution.objects.create(
                name=f"Extra {extra} {n}",
                source=mgh.source,
                postal_code=f"0211{n}",
                country="US",
                region="MA",
            )
            Program.objects.create(institution=institution, title="Extra", source=mgh.source)
        import_cache.clear()  # both counts with cold copies of the imported tables
        with CaptureQueriesContext(connection) as queries:
            rows, _ = fitting.catalog_rows()
        counts.append(len(queries))
        assert len(rows) == Program.objects.count()
    assert counts[0] == counts[1] <= 20


def test_it_reuses_the_features_until_the_catalog_changes(catalog):
    first = fitting.catalog_features()
    assert fitting.catalog_features() is first
    program = catalog["programs"]["mgh_medicine"]
    program.weekly_hours = 50
    program.save()
    rebuilt = fitting.catalog_features()
    assert rebuilt is not first
    assert rebuilt.weekly_hours[rebuilt.index[program.pk]] == 50


def test_it_ranks_and_explains_for_a_user(catalog, alice):
    assert fitting.rank_for_user(alice) is None
    assert fitting.explain_for_user(alice, [catalog["programs"]["mgh_medicine"].pk]) == {}
    give_goals(alice)
    ranking = fitting.rank_for_user(alice)
    assert ranking.ids(0, 1) == [catalog["programs"]["mgh_medicine"].pk]
    toronto = catalog["programs"]["toronto_medicine"].pk
    explained = fitting.explain_for_user(alice, [toronto, 999_999])
    assert list(explained) == [toronto]
    assert explained[toronto].excluded


def test_it_applies_overrides_without_changing_the_goals(catalog, alice):
    profile = give_goals(alice)
    ranking = fitting.rank_for_user(alice, {"location": {"weight": 0}, "countries": None})
    assert ranking.goals.location.weight == 0
    assert ranking.goals.countries is None
    profile.refresh_from_db()
    assert profile.data == GOALS


def test_it_feeds_place_hospital_and_rule_facts_to_the_engine(catalog, monkeypatch):
    """Issue 11: the adapter maps each institution's place, cost-report and H-1B facts (their
    own look-ups are tested in tests/catalog) and the ACGME length rule onto the fit keys."""
    from types import SimpleNamespace as Facts

    from medmatch.catalog.models import Source, TrainingLengthRule

    mgh = catalog["programs"]["mgh_medicine"]
    place = Facts(
        zip="02114",
        city="Boston",
        setting=Facts(ruca_primary=1),
        rent=Facts(one_bedroom=3570, area_label="ZIP 02114", level="ZIP", fiscal_year="FY2024"),
    )
    trend = Facts(
        residents_per_bed=0.68,
        hospital_name="MASSACHUSETTS GENERAL HOSPITAL",
        first_year=2017,
        last_year=2021,
        fte_first=621.0,
        fte_last=675.0,
    )
    evidence = Facts(
        filings=42, employers=["Mass General Brigham"], checked="", quarter="FY2025 Q2"
    )
    inst = mgh.institution_id
    monkeypatch.setattr(fitting, "institution_places", lambda institutions: {inst: place})
    monkeypatch.setattr(fitting, "teaching_for_institutions", lambda institutions: {inst: trend})
    monkeypatch.setattr(fitting, "h1b_for_institutions", lambda institutions: {inst: evidence})
    mgh.track_type = "categorical"
    mgh.save()
    TrainingLengthRule.objects.create(
        key="140-categorical",
        specialty_code=mgh.specialty.code,
        track_type="categorical",
        track_name="categorical",
        months=36,
        source=Source.objects.first(),
        body="ACGME",
        document="ACGME Program Requirements in Internal Medicine",
        document_url="https://www.acgme.org/",
        document_date="2023-07-01",
    )
    row = _rows_by_id()[0][mgh.pk]
    assert (row["ruca"], row["place_label"]) == (1, "ZIP 02114")
    assert (row["rent"], row["rent_label"]) == (3570, "ZIP 02114, ZIP level; HUD FY2024")
    assert (row["residents_per_bed"], row["fte_first"], row["fte_last"]) == (0.68, 621.0, 675.0)
    assert row["teaching_label"] == "MASSACHUSETTS GENERAL HOSPITAL, 2017-2021"
    assert (row["h1b_filings"], row["h1b_label"]) == (42, "Mass General Brigham, FY2025 Q2")
    assert (row["length_months"], row["length_rule"]) == (36, "ACGME requirement")
    other = _rows_by_id()[0][catalog["programs"]["lowell_medicine"].pk]
    assert "ruca" not in other and "h1b_filings" not in other


def test_a_carms_stream_takes_its_discipline_s_length_rule_with_its_body(catalog):
    from medmatch.catalog.models import Source
    from medmatch.catalog.models_rules import TrainingLengthRule

    toronto = catalog["programs"]["toronto_medicine"]
    common = {
        "source": Source.objects.first(),
        "document": "Specialty Training Requirements in Internal Medicine",
        "document_url": "https://royalcollege.ca/",
        "track_name": "residency",
    }
    TrainingLengthRule.objects.create(
        key="carms-IM",
        system="carms",
        specialty_code="IM",
        months=48,
        body="Royal College",
        **common,
    )
    # An ACGME rule of the same code is another system's: it never reaches a CaRMS stream.
    TrainingLengthRule.objects.create(
        key="IM-categorical",
        specialty_code="IM",
        track_type="categorical",
        months=36,
        body="ACGME",
        **common,
    )
    row = _rows_by_id()[0][toronto.pk]
    assert (row["length_months"], row["length_rule"]) == (48, "Royal College requirement")
