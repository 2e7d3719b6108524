"""The hospital list (/catalog/hospitals/) and hospital page (/catalog/hospitals/<pk>/)."""

import pytest
from django.urls import reverse

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
