"""The catalog adapter: rows for the fit engine, the cache, and the functions other apps call."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

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
    with CaptureQueriesContext(connection) as queries:
        fitting.catalog_rows()
    assert len(queries) == 4


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
