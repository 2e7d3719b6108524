"""Goals and recommendations through the API: the engine's order, each with its explanation."""

import pytest
from django.test import Client

from medmatch.goals.fitting import rank_for_user
from tests.api.conftest import bearer, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(alice):
    client = Client()
    client.defaults.update(bearer(make_token(alice)))
    return client


def test_it_says_there_are_no_goals_yet(api, catalog):
    assert api.get("/api/v1/goals").json()["data"] is None
    response = api.get("/api/v1/recommendations")
    assert response.status_code == 409
    assert "questionnaire" in response.json()["error"]["message"]


def test_it_lists_recommendations_in_the_engines_order_with_explanations(api, alice, goals):
    body = api.get("/api/v1/recommendations", {"limit": 2}).json()
    ranking = rank_for_user(alice)
    assert [i["program"]["id"] for i in body["items"]] == list(ranking.ids()[:2])
    first = body["items"][0]
    assert first["rank"] == 1 and first["low"] <= first["score"] <= first["high"]
    assert {c["criterion"] for c in first["contributions"]} >= {"specialty", "location"}
    assert all(c["sentence"] for c in first["contributions"])
    rest = api.get("/api/v1/recommendations", {"cursor": body["next_cursor"]}).json()
    ids = [i["program"]["id"] for i in body["items"] + rest["items"]]
    assert len(ids) == len(set(ids)) == body["total"]


def test_it_filters_as_the_page_does(api, goals, catalog):
    response = api.get("/api/v1/recommendations", {"country": "ZZ"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "country"
    only = api.get("/api/v1/recommendations", {"specialty": "x" * 300})
    assert only.status_code == 422


def test_it_explains_one_program(api, goals, catalog):
    program = catalog["programs"][1]
    body = api.get(f"/api/v1/recommendations/{program.pk}").json()
    assert body["program"]["id"] == program.pk
    assert api.get("/api/v1/recommendations/999999").status_code == 404
    assert api.get("/api/v1/goals").json()["data"]["format"] == "medmatch-goals/1"
