"""The catalog through the API: the search page's filters, order and distances; each fact with
its source, scope and date; position cursors."""

import pytest
from django.test import Client
from django.urls import reverse

from medmatch.catalog.forms import ProgramSearchForm
from medmatch.catalog.search import search_programs

pytestmark = pytest.mark.django_db


def test_it_finds_what_the_search_page_finds_in_the_same_order(catalog):
    params = {"q": "internal medicine", "near": "02114"}
    api = Client().get("/api/v1/catalog/programs", params).json()
    form = ProgramSearchForm(params)
    assert form.is_valid()
    page = search_programs(form.to_query())
    assert [item["id"] for item in api["items"]] == [hit.obj.pk for hit in page.hits]
    assert api["sort"] == page.sort == "distance"
    assert api["total"] == page.total == 2
    boston, chicago = api["items"]
    assert boston["institution"]["city"] == "Boston" and boston["distance_km"] < 5
    assert 1000 < chicago["distance_km"] < 1500
    html = Client().get(reverse("catalog:programs"), params).content.decode()
    assert html.index("Massachusetts General") < html.index("Rush University")


def test_it_says_a_distance_is_unknown_not_zero(catalog):
    catalog["chicago"].latitude = catalog["chicago"].longitude = None
    catalog["chicago"].save()
    items = Client().get("/api/v1/catalog/programs", {"near": "02114"}).json()["items"]
    distances = {item["institution"]["city"]: item["distance_km"] for item in items}
    assert distances["Chicago"] is None and distances["Boston"] is not None


def test_it_names_the_field_of_a_bad_filter(catalog):
    response = Client().get("/api/v1/catalog/programs", {"radius": "50"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["fields"] == [{"field": "radius", "reason": "A distance needs a place in “near”."}]
    response = Client().get("/api/v1/catalog/programs", {"radius": "²"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "radius"


def test_it_pages_the_search_with_cursors(catalog):
    api = Client()
    first = api.get("/api/v1/catalog/programs", {"limit": 2, "sort": "name"}).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = api.get(
        "/api/v1/catalog/programs", {"sort": "name", "cursor": first["next_cursor"]}
    ).json()
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    seen = [i["id"] for i in first["items"] + second["items"]]
    assert sorted(seen) == sorted(p.pk for p in catalog["programs"])


def test_it_refuses_a_forged_cursor(catalog):
    response = Client().get("/api/v1/catalog/programs", {"cursor": "eyJhdCI6MH0:forged"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "cursor"
    # A cursor of another list is refused too (the signature is salted with the list's name).
    first = Client().get("/api/v1/catalog/hospitals", {"limit": 1}).json()
    response = Client().get("/api/v1/catalog/programs", {"cursor": first["next_cursor"]})
    assert response.status_code == 422


def test_it_shows_each_fact_with_its_source_scope_and_date(catalog):
    program = catalog["programs"][0]
    body = Client().get(f"/api/v1/catalog/programs/{program.pk}").json()
    assert body["title"] == "Internal Medicine"
    by_label = {fact["label"]: fact for fact in body["facts"]}
    institution = by_label["Institution"]
    assert institution["value"] == "Massachusetts General Hospital"
    assert institution["source"]["name"] == "NRMP (test)"
    assert institution["scope"] == "program" and institution["as_of"].startswith("retrieved")
    unknown = [fact for fact in body["facts"] if fact["unknown"]]
    assert unknown and all(f["value"] is None and f["source"] is None for f in unknown)
    assert all(f["question"] for f in unknown)


def test_it_shows_a_hospital_with_its_facts(catalog):
    body = Client().get(f"/api/v1/catalog/hospitals/{catalog['boston'].pk}").json()
    assert body["name"] == "Massachusetts General Hospital"
    assert any(fact["scope"] == "institution" for fact in body["facts"])
    assert Client().get("/api/v1/catalog/hospitals/999999").status_code == 404
