"""The program list (/catalog/programs/) and program page (/catalog/programs/<pk>/)."""

import pytest
from django.urls import reverse
from tests.catalog.factories import make_institution, make_program, make_source

from medmatch.catalog import import_cache
from medmatch.catalog.models import Program
from medmatch.catalog.views.details import programs_with_facts, with_sources

pytestmark = pytest.mark.django_db

URL = reverse("catalog:programs")


def test_it_lists_every_program_without_a_query(client, small_catalog):
    response = client.get(URL)
    assert response.status_code == 200
    assert b"<html" in response.content
    assert response.context["results"].total == 7
    assert 'hx-get="/catalog/programs/"' in response.text


def test_it_searches_cardiology_near_a_zip_code_with_distances(client, small_catalog):
    response = client.get(URL, {"q": "cardiology", "near": "10032"})
    text = response.text
    assert response.status_code == 200
    assert text.index("Cardiology</a>") < text.index("Cardiology (CMG stream)")
    assert " km (" in text and " mi)" in text
    assert "distance unknown" in text
    assert "Sorted by distance" in text
    assert "fellowship after a residency in Internal Medicine" in text


def test_it_says_how_many_rows_a_radius_left_out_for_unknown_location(client, small_catalog):
    response = client.get(URL, {"q": "cardiovascular", "near": "10032", "radius": "400"})
    assert response.context["results"].total == 2
    assert "1 more match but has its location unknown" in " ".join(response.text.split())


def test_it_returns_only_the_results_region_to_htmx(client, small_catalog):
    response = client.get(URL, {"q": "pediatrics"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert 'hx-swap-oob="true"' in response.text
    assert "Pediatrics" in response.text


def test_it_names_the_field_of_a_bad_filter(client, small_catalog):
    response = client.get(URL, {"near": "99999"})
    assert response.status_code == 200
    assert "near: ZIP code 99999 is not a known US ZIP code." in response.text
    assert response.context["results"] is None
    response = client.get(URL, {"track_type": "sideways", "radius": "-3"})
    assert "track_type: Select a valid choice." in response.text
    assert "radius: " in response.text


def test_it_refuses_distance_sort_without_a_place(client, small_catalog):
    response = client.get(URL, {"sort": "distance"})
    assert "sort: Sorting by distance needs a place" in response.text


@pytest.mark.parametrize("q", ["", "   ", "*", '"'])
def test_it_refuses_best_match_sort_without_words(client, small_catalog, q):
    # An empty FTS5 MATCH was a syntax error: a 500 for /catalog/programs/?sort=relevance.
    response = client.get(URL, {"sort": "relevance", "q": q})
    assert response.status_code == 200
    assert "sort: Sorting by best match needs words" in response.text
    assert response.context["results"] is None


@pytest.mark.parametrize(
    "near",
    ["\uff11\uff10\uff10\uff13\uff12", "\u0661\u0660\u0660\u0663\u0662"],  # 10032
)
def test_it_refuses_a_zip_code_in_other_scripts_digits(client, small_catalog, near):
    # The Rust zipcodes package panicked on these: a bare 500 past Django's handler.
    for url in (URL, reverse("catalog:institutions")):
        response = client.get(url, {"near": near})
        assert response.status_code == 200
        assert "near: No city called" in response.text


@pytest.mark.parametrize("field", ["radius", "page"])
@pytest.mark.parametrize("value", ["\u00b2", "\u0661\u0660", "99999999999999999999"])
def test_it_names_a_number_that_is_not_one(client, small_catalog, field, value):
    response = client.get(URL, {"near": "10032", field: value})
    assert response.status_code == 200
    assert f"{field}: " in response.text


def test_it_filters_by_specialty_slug_from_a_shared_url(client, small_catalog):
    response = client.get(URL, {"specialty": "pediatrics", "country": "US"})
    hits = response.context["results"].hits
    assert [hit.obj.title for hit in hits] == ["Pediatrics"]
    assert '<details class="filters" open>' in response.text


def test_it_pages_with_links_that_keep_the_filters(client, small_catalog, settings):
    settings.CATALOG_PAGE_SIZE = 2
    response = client.get(URL, {"q": "cardio"})
    assert "page=2" in response.text
    assert "q=cardio&amp;page=2" in response.text
    response = client.get(URL, {"q": "cardio", "page": "2"})
    assert response.context["results"].page.number == 2


def test_it_lists_programs_without_n_plus_one_queries(
    client, small_catalog, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        client.get(URL, {"q": "cardiology", "near": "10032"})


def test_it_shows_a_program_with_its_sources_and_unknowns(client, small_catalog):
    program = small_catalog["programs"]["columbia_cardiology"]
    response = client.get(reverse("catalog:program", args=[program.pk]))
    text = response.text
    assert response.status_code == 200
    assert '<dl class="facts">' in text
    assert "NRMP program tracks (test)" in text  # the program's own source
    assert "CMS hospitals (test)" in text  # coordinates and teaching status via the hospital
    assert "Retrieved 1 November 2025" in text
    assert "Public domain" in text
    assert '<span class="unknown">unknown</span>' in text
    assert "Questions to ask" in text
    assert "How many hours a week" in text
    assert "NewYork-Presbyterian Hospital" in text and "score 92 of 100" in text
    assert "Internal Medicine Preliminary" in text  # another program at the institution


def test_it_takes_a_program_pages_sources_from_the_kept_copy(
    small_catalog, django_assert_num_queries
):
    import_cache.clear()
    pk = small_catalog["programs"]["columbia_cardiology"].pk
    import_cache.sources_by_id()
    program = with_sources(programs_with_facts().get(pk=pk))
    institution, hospital = program.institution, program.institution.hospital
    with django_assert_num_queries(0):
        names = {
            program.source.name,
            institution.source.name,
            hospital.source.name,
            hospital.coordinates_source.name,
            hospital.teaching_source.name,
        }
    assert names == {"NRMP program tracks (test)", "CMS hospitals (test)"}


def test_it_reads_a_source_newer_than_the_kept_copy(small_catalog):
    import_cache.clear()
    pk = small_catalog["programs"]["columbia_cardiology"].pk
    import_cache.sources_by_id()
    newer = make_source(key="newer-test", name="Newer listing (test)")
    Program.objects.filter(pk=pk).update(source=newer)
    program = with_sources(programs_with_facts().get(pk=pk))
    assert program.source.name == "Newer listing (test)"


def test_it_answers_404_for_a_missing_program(client, db):
    assert client.get(reverse("catalog:program", args=[999])).status_code == 404


def test_it_refuses_post(client, db):
    assert client.post(URL).status_code == 405


def test_it_accepts_state_and_province_names_as_regions(client, small_catalog):
    by_name = client.get(URL, {"region": "Ontario"}).context["results"]
    by_code = client.get(URL, {"region": "ON"}).context["results"]
    assert by_name.total == by_code.total > 0
    assert by_name.query.region == "ON"
    assert client.get(URL, {"region": "Massachusetts"}).context["results"].total == (
        client.get(URL, {"region": "MA"}).context["results"].total
    )


def test_it_takes_a_city_with_its_province(client, small_catalog):
    response = client.get(URL, {"near": "Toronto, ON"})
    assert response.context["results"].query.near.label == "Toronto, ON"


def test_it_asks_which_city_when_the_name_is_ambiguous(client, small_catalog):
    response = client.get(URL, {"q": "pediatrics", "near": "Springfield"})
    assert response.context["results"] is None
    text = response.text
    assert "Several cities are called “Springfield”" in text
    assert "Which one did you mean?" in text
    assert '<a href="?q=pediatrics&amp;near=Springfield%2C+MO">Springfield, MO</a>' in text
    assert '<a href="?q=pediatrics&amp;near=Springfield%2C+IL">Springfield, IL</a>' in text


def test_it_names_the_other_cities_of_a_name_it_took(client, small_catalog):
    text = " ".join(client.get(URL, {"near": "Boston"}).text.split())
    assert "“Boston” was taken as Boston, MA, the largest city of that name." in text
    assert '<a href="?near=Boston%2C+GB">Boston, GB</a>' in text


def test_it_says_on_the_specialty_filter_why_some_specialties_are_missing(client, small_catalog):
    text = client.get(URL).text
    assert "US ophthalmology (SF Match) and urology (AUA Urology Match)" in text


def test_it_points_an_empty_program_search_to_the_hospitals_it_matches(client, small_catalog):
    make_institution("JOHN H STROGER JR HOSPITAL", city="CHICAGO", region="IL", country="US")
    text = " ".join(client.get(URL, {"q": "Stroger"}).text.split())
    assert "No program matches." in text
    assert "1 hospital has these words in its name" in text
    assert '<a href="/catalog/hospitals/?q=Stroger">see the hospitals</a>' in text


def test_it_offers_only_the_program_types_the_catalog_has_with_counts(client, small_catalog):
    form = client.get(URL).context["form"]
    total = Program.objects.count()
    assert form.fields["program_type"].choices == [
        ("", "Any"),
        ("residency", f"Residency track ({total})"),
    ]
    text = client.get(URL).text
    assert "observerships, research placements and electives appear here" in text
    assert '<option value="observership"' not in text
    response = client.get(URL, {"program_type": "observership"})
    assert response.context["results"] is None
    assert "program_type: Select a valid choice." in response.text


def test_it_offers_a_program_type_once_a_program_of_it_exists(client, small_catalog):
    make_program(
        "Internal Medicine Observership",
        institution=small_catalog["institutions"]["columbia_hospital"],
        program_type="observership",
    )
    choices = dict(client.get(URL).context["form"].fields["program_type"].choices)
    assert choices["observership"] == "Observership (1)"
    found = client.get(URL, {"program_type": "observership"}).context["results"]
    assert [hit.obj.title for hit in found.hits] == ["Internal Medicine Observership"]
