"""The hospital list (/catalog/hospitals/) and hospital page (/catalog/hospitals/<pk>/)."""

import pytest
from django.urls import reverse
from tests.catalog.factories import make_institution

pytestmark = pytest.mark.django_db

URL = reverse("catalog:institutions")


def test_it_lists_and_searches_institutions(client, small_catalog):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["results"].total == 5
    response = client.get(URL, {"q": "toronto", "kind": "medical_school"})
    assert [hit.obj.name for hit in response.context["results"].hits] == ["University of Toronto"]


def test_it_shows_distances_from_a_city(client, small_catalog):
    response = client.get(URL, {"near": "Boston, MA", "radius": "50"})
    hits = response.context["results"].hits
    assert [hit.obj.name for hit in hits] == ["Massachusetts General Hospital"]
    assert " km (" in response.text


def test_it_names_an_unknown_city(client, small_catalog):
    response = client.get(URL, {"near": "Xqzzyville"})
    assert "near: No city called “Xqzzyville” is known" in response.text


def test_it_returns_a_partial_to_htmx(client, small_catalog):
    response = client.get(URL, {"q": "boston"}, headers={"HX-Request": "true"})
    assert b"<html" not in response.content
    assert "Massachusetts General Hospital" in response.text


def test_it_shows_a_hospital_with_provenance_and_programs(client, small_catalog):
    hospital = small_catalog["institutions"]["columbia_hospital"]
    response = client.get(reverse("catalog:institution", args=[hospital.pk]))
    text = response.text
    assert response.status_code == 200
    assert "330101" in text
    assert "1,649.0" in text  # resident FTE
    assert "CMS hospitals (test)" in text
    assert "Street address" in text  # coordinate precision
    assert "Columbia University Irving Medical Center" in text  # a sponsor linked to it
    assert '<span class="unknown">unknown</span>' in text  # e.g. beds


def test_it_shows_a_sponsors_linked_hospital_and_its_programs(client, small_catalog):
    sponsor = small_catalog["institutions"]["columbia"]
    response = client.get(reverse("catalog:institution", args=[sponsor.pk]))
    assert "NewYork-Presbyterian Hospital" in response.text
    assert "name-match score 92 of 100" in response.text
    assert "Cardiovascular Disease Fellowship" in response.text


def test_it_says_when_a_sponsor_has_no_linked_hospital(client, small_catalog):
    sponsor = small_catalog["institutions"]["nowhere"]
    response = client.get(reverse("catalog:institution", args=[sponsor.pk]))
    assert "only its state is known" in response.text


def test_it_answers_404_for_a_missing_hospital(client, db):
    assert client.get(reverse("catalog:institution", args=[999])).status_code == 404


def test_it_lists_the_programs_of_sponsors_linked_to_a_hospital(client, small_catalog):
    hospital = small_catalog["institutions"]["columbia_hospital"]
    text = " ".join(client.get(reverse("catalog:institution", args=[hospital.pk])).text.split())
    count = small_catalog["institutions"]["columbia"].programs.count()
    assert count > 1
    assert f"Programs of the sponsors linked to this hospital ({count})" in text
    assert "Cardiovascular Disease Fellowship" in text
    assert "No training program is listed at this institution" not in text


def test_it_asks_about_the_hospital_not_the_program_and_each_question_once(client, db):
    hospital = make_institution("ADVOCATE ILLINOIS MASONIC MEDICAL CENTER", country="US")
    text = client.get(reverse("catalog:institution", args=[hospital.pk])).text
    assert "the program&#x27;s" not in text and "the program's" not in text
    assert "What is the hospital&#x27;s emergency services?" in text
    assert text.count("How many residents train there?") == 1


def test_it_names_the_nearest_city_of_a_hospital_known_only_by_coordinates(client, db):
    cancer = make_institution(
        "DR. B.R.A. Institute Rotary Cancer Hospital", kind="international", country="IN",
        country_name="India", latitude=28.566628, longitude=77.211457,
        website="http://www.aiims.edu/en/departments-and-centers/specialty-centers.html?id=415",
    )  # fmt: skip
    listed = " ".join(client.get(URL, {"q": "AIIMS Delhi"}).text.split())
    assert "DR. B.R.A. Institute Rotary Cancer Hospital" in listed
    assert 'Delhi <span class="fact-note">(nearest city, from coordinates)</span>, India' in listed
    page = client.get(reverse("catalog:institution", args=[cancer.pk])).text
    assert "city unknown" not in page and "Nearest city" in page
