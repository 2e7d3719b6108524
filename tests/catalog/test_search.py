"""The catalog search (search.py): full text, filters, distance, sort and paging.

Runs on whichever database DATABASE_URL selects (SQLite by default, PostgreSQL in CI).
"""

import pytest
from tests.catalog.factories import make_institution, make_program

from medmatch.catalog import search
from medmatch.catalog.models import Program
from medmatch.catalog.search import (
    InstitutionQuery,
    ProgramQuery,
    search_institutions,
    search_programs,
)
from medmatch.lib.geo import Place, resolve_place

pytestmark = pytest.mark.django_db


def titles(page):
    return [hit.obj.title for hit in page.hits]


def test_it_finds_programs_by_a_word_in_the_title_or_specialty(small_catalog):
    page = search_programs(ProgramQuery(q="pediatrics"))
    assert titles(page) == ["Pediatrics"]
    # "Cardiovascular Disease" is the specialty of the MGH program called "Cardiology"
    page = search_programs(ProgramQuery(q="cardiovascular"))
    assert len(titles(page)) == 4


def test_it_leads_a_fellowship_word_to_the_residency_that_trains_for_it(small_catalog):
    page = search_programs(ProgramQuery(q="cardiology"))
    assert "Pediatrics" not in titles(page)
    assert {"Internal Medicine", "Cardiology", "Cardiovascular Disease Fellowship"} <= set(
        titles(page)
    )
    assert page.notes == [
        "“cardiology” is trained in a fellowship after a residency in Internal Medicine, so "
        "Internal Medicine programs are included."
    ]
    # The program named for the word itself ranks above the residency it leads from.
    assert titles(page).index("Cardiology") < titles(page).index("Internal Medicine")


def test_it_matches_word_prefixes_and_requires_every_word(small_catalog):
    assert "Pediatrics" in titles(search_programs(ProgramQuery(q="pediat")))
    assert titles(search_programs(ProgramQuery(q="cardio boston"))) == ["Cardiology"]
    assert titles(search_programs(ProgramQuery(q="pediatrics nowhere-at-all"))) == []


def test_it_treats_operator_words_and_punctuation_as_plain_words(small_catalog):
    assert titles(search_programs(ProgramQuery(q='"pediatrics" AND (NEAR'))) == []
    assert search_programs(ProgramQuery(q="  ")).total == len(small_catalog["programs"])
    assert search_programs(ProgramQuery(q="internal-medicine: *prelim*")).total == 1


def test_it_finds_a_program_by_its_institutions_name(small_catalog):
    page = search_programs(ProgramQuery(q="massachusetts"))
    assert set(titles(page)) == {"Cardiology", "Pediatrics"}


def test_it_ranks_better_matches_first(small_catalog):
    page = search_programs(ProgramQuery(q="internal medicine"))
    assert page.sort == search.RELEVANCE
    assert set(titles(page)) == {"Internal Medicine", "Internal Medicine Preliminary"}


def test_it_sees_a_program_saved_after_the_index_was_built(small_catalog):
    program = small_catalog["programs"]["mgh_pediatrics"]
    program.search_text = "Neonatology Pediatrics Massachusetts General Hospital"
    program.save()
    assert titles(search_programs(ProgramQuery(q="neonatology"))) == ["Pediatrics"]
    program.delete()
    assert titles(search_programs(ProgramQuery(q="neonatology"))) == []


def test_it_keeps_the_index_right_after_rebuild_and_bulk_updates(small_catalog):
    Program.objects.filter(title="Pediatrics").update(search_text="Adolescent medicine")
    search.rebuild_index()
    assert titles(search_programs(ProgramQuery(q="adolescent"))) == ["Pediatrics"]
    assert "Pediatrics" not in titles(search_programs(ProgramQuery(q="pediatrics")))


def test_it_filters_by_specialty_including_equivalents_in_other_systems(small_catalog):
    from tests.catalog.factories import make_specialty

    carms = make_specialty(
        "Cardiologie",
        system="carms",
        slug="cardiologie",
        equivalent=small_catalog["specialties"]["cardiology"],
    )
    make_program(
        "Cardiologie (Montréal)",
        institution=small_catalog["institutions"]["toronto"],
        specialty=carms,
    )
    page = search_programs(ProgramQuery(specialty="cardiology"))
    assert "Cardiologie (Montréal)" in titles(page)
    assert "Internal Medicine" not in titles(page)


def test_it_filters_by_track_type_country_state_and_kind(small_catalog):
    assert titles(search_programs(ProgramQuery(track_type="preliminary"))) == [
        "Internal Medicine Preliminary"
    ]
    assert titles(search_programs(ProgramQuery(country="CA"))) == ["Cardiology (CMG stream)"]
    assert set(titles(search_programs(ProgramQuery(region="ma")))) == {"Cardiology", "Pediatrics"}
    assert titles(search_programs(ProgramQuery(kind="medical_school"))) == [
        "Cardiology (CMG stream)"
    ]


def test_it_filters_by_teaching_status_through_the_linked_hospital(small_catalog):
    teaching = set(titles(search_programs(ProgramQuery(teaching="yes"))))
    # Columbia (a sponsor) is teaching through its linked CMS hospital.
    assert teaching == {
        "Cardiovascular Disease Fellowship",
        "Internal Medicine",
        "Internal Medicine Preliminary",
        "Cardiology",
        "Pediatrics",
    }
    unknown = set(titles(search_programs(ProgramQuery(teaching="unknown"))))
    assert unknown == {"Cardiology (CMG stream)", "Cardiology Rural Track"}


def test_it_lists_distances_nearest_first_and_unknown_last(small_catalog):
    page = search_programs(ProgramQuery(q="cardiology", near=resolve_place("10032")))
    assert page.sort == search.DISTANCE
    assert titles(page)[3:] == ["Cardiology", "Cardiology (CMG stream)", "Cardiology Rural Track"]
    columbia, boston, toronto, rural = page.hits[0], *page.hits[3:]
    assert columbia.distance_km < 2
    assert 280 < boston.distance_km < 320
    assert 500 < toronto.distance_km < 600
    assert boston.distance_miles == pytest.approx(boston.distance_km / 1.609344)
    assert rural.distance_km is None
    assert rural.distance_label == "distance unknown"
    assert page.excluded_unknown_distance == 0


def test_it_places_a_program_at_its_sponsors_linked_hospital(small_catalog):
    page = search_programs(ProgramQuery(q="cardiovascular fellowship", near=resolve_place("10032")))
    (hit,) = page.hits
    assert hit.distance_km < 2


def test_it_drops_rows_beyond_the_radius_and_counts_unknown_locations(small_catalog):
    near = resolve_place("10032")
    page = search_programs(ProgramQuery(q="cardiovascular", near=near, radius_km=400))
    assert titles(page) == ["Cardiovascular Disease Fellowship", "Cardiology"]
    assert page.excluded_unknown_distance == 1
    assert page.total == 2


def test_it_sorts_by_name_and_by_state_and_city(small_catalog):
    by_name = titles(search_programs(ProgramQuery(sort="name")))
    assert by_name == sorted(by_name, key=str.casefold)
    by_city = search_programs(ProgramQuery(sort="city", q="cardiovascular"))
    regions = [hit.obj.region or hit.obj.institution.region for hit in by_city.hits]
    assert regions == sorted(regions)


def test_it_pages_results(small_catalog):
    first = search_programs(ProgramQuery(sort="name", page_size=3))
    second = search_programs(ProgramQuery(sort="name", page_size=3, page=2))
    last = search_programs(ProgramQuery(sort="name", page_size=3, page=99))
    assert first.total == 7
    assert first.page.paginator.num_pages == 3
    assert not set(titles(first)) & set(titles(second))
    assert last.page.number == 3 and len(last.hits) == 1


def test_it_pages_results_sorted_by_distance(small_catalog):
    near = resolve_place("10032")
    pages = [
        titles(search_programs(ProgramQuery(near=near, page_size=2, page=n))) for n in (1, 2, 3, 4)
    ]
    flat = [title for page in pages for title in page]
    assert len(flat) == len(set(flat)) == 7
    assert flat[-1] == "Cardiology Rural Track"


def test_it_rejects_unknown_options():
    with pytest.raises(ValueError, match="sort"):
        ProgramQuery(sort="popularity")
    with pytest.raises(ValueError, match="near"):
        ProgramQuery(sort="distance")
    with pytest.raises(ValueError, match="track type"):
        ProgramQuery(track_type="sideways")


def test_it_searches_institutions_by_name_city_and_distance(small_catalog):
    page = search_institutions(InstitutionQuery(q="boston"))
    assert [hit.obj.name for hit in page.hits] == ["Massachusetts General Hospital"]
    near = search_institutions(InstitutionQuery(near=resolve_place("Toronto"), radius_km=50))
    assert [hit.obj.name for hit in near.hits] == ["University of Toronto"]
    # Columbia (no coordinates of its own) is placed at its linked hospital; Rural has none.
    assert near.excluded_unknown_distance == 1


def test_it_filters_institutions_by_kind_and_teaching(small_catalog):
    page = search_institutions(InstitutionQuery(kind="academic", teaching="yes"))
    assert {hit.obj.name for hit in page.hits} == {
        "NewYork-Presbyterian Hospital",
        "Massachusetts General Hospital",
    }


def test_it_folds_accents(db):
    make_program("Médecine familiale", institution=make_institution("Hôpital Sainte-Justine"))
    assert search_programs(ProgramQuery(q="hopital medecine")).total in (0, 1)
    assert search_programs(ProgramQuery(q="médecine")).total == 1


def test_it_keeps_every_row_within_a_large_radius_far_from_the_equator(db):
    # 1,535 km east-north-east of (60, 0): inside a 1,550 km radius, but 28.5° of longitude away,
    # beyond a box that is 1,550 km wide at the centre's latitude only (27.9°). Such rows were
    # once dropped by a bounding box before the exact distance was computed.
    far = make_institution("Northern Hospital", latitude=63.0, longitude=28.5)
    make_program("Family Medicine", institution=far)
    near = Place("60, 0", "60, 0", 60.0, 0.0, "NO")
    programs = search_programs(ProgramQuery(near=near, radius_km=1550))
    assert titles(programs) == ["Family Medicine"]
    assert 1530 < programs.hits[0].distance_km < 1540
    institutions = search_institutions(InstitutionQuery(near=near, radius_km=1550))
    assert [hit.obj.name for hit in institutions.hits] == ["Northern Hospital"]
    assert search_programs(ProgramQuery(near=near, radius_km=1500)).total == 0


def test_it_gives_the_page_its_distances_when_sorted_by_name_near_a_place(small_catalog):
    near = resolve_place("10032")
    by_distance = {
        hit.obj.pk: hit.distance_km for hit in search_programs(ProgramQuery(near=near)).hits
    }
    page = search_programs(ProgramQuery(near=near, sort="name", page_size=3, page=2))
    assert titles(page) == titles(search_programs(ProgramQuery(sort="name", page_size=3, page=2)))
    assert {hit.obj.pk: hit.distance_km for hit in page.hits} == {
        hit.obj.pk: by_distance[hit.obj.pk] for hit in page.hits
    }


@pytest.fixture
def chicago_and_delhi(db):
    """Names as the sources spell them: NRMP's abbreviations, CMS capitals, Wikidata labels."""
    stroger = make_institution(
        "JOHN H STROGER JR HOSPITAL", kind="academic", city="CHICAGO", region="IL", country="US"
    )
    cook_county = make_institution(
        "Cook County Health and Hosps Sys-IL",
        kind="sponsor",
        region="IL",
        country="US",
        hospital=stroger,
    )
    masonic = make_institution(
        "Advocate Illinois Masonic Med Ctr", kind="sponsor", region="IL", country="US"
    )
    aiims = make_institution(
        "All India Institute of Medical Sciences, Nagpur",
        kind="international",
        country="IN",
        website="http://aiimsnagpur.edu.in/",
    )
    cancer = make_institution(
        "DR. B.R.A. Institute Rotary Cancer Hospital",
        kind="international",
        country="IN",
        website="http://www.aiims.edu/en/departments-and-centers/specialty-centers.html?id=415",
    )
    make_program("Internal Medicine", institution=cook_county)
    make_program("Internal Medicine", institution=masonic)
    return {"stroger": stroger, "cook_county": cook_county, "aiims": aiims, "cancer": cancer}


def test_it_finds_a_sponsors_program_by_its_linked_hospitals_name(chicago_and_delhi):
    found = search_programs(ProgramQuery(q="Stroger"))
    assert [hit.obj.institution.name for hit in found.hits] == [
        "Cook County Health and Hosps Sys-IL"
    ]


def test_it_matches_abbreviations_in_names_both_ways(chicago_and_delhi):
    # The catalog says "Med Ctr" and "Hosps Sys"; people type it out, or the other way round.
    assert search_programs(ProgramQuery(q="Illinois Masonic Medical Center")).total == 1
    assert search_programs(ProgramQuery(q="Illinois Masonic")).total == 1
    assert search_institutions(InstitutionQuery(q="Cook County Hospitals System")).total == 1
    make_institution("Rush University Medical Center", region="IL", country="US")
    names = [hit.obj.name for hit in search_institutions(InstitutionQuery(q="Rush Med Ctr")).hits]
    assert names == ["Rush University Medical Center"]


def test_it_finds_an_institution_by_its_acronym_and_website(chicago_and_delhi):
    found = {hit.obj.name for hit in search_institutions(InstitutionQuery(q="AIIMS")).hits}
    assert found == {
        "All India Institute of Medical Sciences, Nagpur",
        "DR. B.R.A. Institute Rotary Cancer Hospital",  # www.aiims.edu: AIIMS Delhi's centre
    }


def test_it_points_a_program_search_to_hospitals_that_match_the_words(chicago_and_delhi):
    make_institution("ADVOCATE LUTHERAN GENERAL HOSPITAL", region="IL", country="US")
    found = search_programs(ProgramQuery(q="Lutheran General"))
    assert (found.total, found.institutions_matching) == (0, 1)
    assert search_programs(ProgramQuery(q="Stroger")).institutions_matching == 0  # programs found


def test_it_says_why_us_ophthalmology_and_urology_are_missing(db):
    notes = search.outside_nrmp_notes(["ophth"]) + search.outside_nrmp_notes([], "urology")
    assert "SF Match" in notes[0] and "AUA" in notes[1]
    assert search.outside_nrmp_notes(["eye"]) and not search.outside_nrmp_notes(["uro"])
    assert not search.outside_nrmp_notes(["cardiology"], "internal-medicine")
    assert "SF Match" in " ".join(search_programs(ProgramQuery(q="ophthalmology")).notes)
