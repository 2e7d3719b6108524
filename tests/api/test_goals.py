"""Goals and recommendations through the API: the engine's order, each with its explanation;
writing the goals as the questionnaire saves them."""

import pytest
from django.test import Client

from medmatch.fit import Goals
from medmatch.goals.fitting import rank_for_user
from medmatch.goals.models import GoalProfile
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


def test_it_replaces_the_goals_as_the_questionnaire_saves_them(alice, catalog):
    from tests.api.conftest import GOALS

    writer = Client()
    writer.defaults.update(bearer(make_token(alice, ["goals:write"])))
    response = writer.put("/api/v1/goals", {"data": GOALS}, content_type="application/json")
    assert response.status_code == 200
    profile = GoalProfile.objects.get(student=alice)
    assert profile.data == Goals.from_dict(GOALS).to_dict() == response.json()["data"]
    # Without "location" the answer is cleared, as a whole replacement says.
    only = {"format": "medmatch-goals/1", "specialties": GOALS["specialties"]}
    response = writer.put("/api/v1/goals", {"data": only}, content_type="application/json")
    assert response.status_code == 200
    profile.refresh_from_db()
    assert "location" not in profile.data and "specialties" in profile.data


def test_it_changes_some_answers_and_keeps_the_others(alice, goals):
    writer = Client()
    writer.defaults.update(bearer(make_token(alice, ["goals:write"])))
    hours = {"max_weekly_hours": 60, "weight": 2}
    response = writer.patch(
        "/api/v1/goals", {"answers": {"hours": hours}}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    goals.refresh_from_db()
    assert goals.data["hours"]["max_weekly_hours"] == 60 and "location" in goals.data
    response = writer.patch(
        "/api/v1/goals", {"answers": {"location": None}}, content_type="application/json"
    )
    goals.refresh_from_db()
    assert "location" not in goals.data and "hours" in goals.data


def test_a_bad_answer_names_its_field_and_saves_nothing(alice, goals):
    writer = Client()
    writer.defaults.update(bearer(make_token(alice, ["goals:write"])))
    before = dict(goals.data)
    bad = {"interests": [{"specialty": "140", "weight": -3}], "weight": 5}
    response = writer.patch(
        "/api/v1/goals",
        {"answers": {"specialties": bad, "hours": {"max_weekly_hours": 60}}},
        content_type="application/json",
    )
    assert response.status_code == 422
    field = response.json()["error"]["fields"][0]["field"]
    assert field.startswith("answers.specialties.interests[0]"), field
    response = writer.put(
        "/api/v1/goals", {"data": {"hours": {"x": 1}}}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "data.hours.x"
    response = writer.patch(
        "/api/v1/goals", {"answers": {"format": {}}}, content_type="application/json"
    )
    assert response.json()["error"]["fields"][0]["field"] == "answers.format"
    goals.refresh_from_db()
    assert goals.data == before


def test_a_read_scope_cannot_write_goals(alice, goals):
    reader = Client()
    reader.defaults.update(bearer(make_token(alice, ["goals:read"])))
    response = reader.patch(
        "/api/v1/goals", {"answers": {"location": None}}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert (
        reader.put("/api/v1/goals", {"data": {}}, content_type="application/json").status_code
        == 403
    )
    goals.refresh_from_db()
    assert "location" in goals.data


def test_a_nul_character_is_a_422_naming_where_it_is(alice, goals):
    writer = Client()
    writer.defaults.update(bearer(make_token(alice, ["goals:write"])))
    place = {"latitude": 1.0, "longitude": 2.0, "radius_km": 10, "label": "Bo\x00ston"}
    response = writer.patch(
        "/api/v1/goals",
        {"answers": {"location": {"places": [place], "weight": 1}}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "answers.location.places[0].label"
    response = writer.put("/api/v1/goals", {"data": {"x\x00": {}}}, content_type="application/json")
    assert response.json()["error"]["fields"][0]["field"] == "data"
    goals.refresh_from_db()
    assert goals.data["location"]["places"][0]["label"] == "Boston"


def test_a_number_beyond_any_float_is_a_422_not_a_server_error(alice, goals):
    writer = Client()
    writer.defaults.update(bearer(make_token(alice, ["goals:write"])))
    hours = '{"answers": {"hours": {"pace": "steady", "max_weekly_hours": 1%s}}}' % ("0" * 400)
    response = writer.patch("/api/v1/goals", hours, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "answers.hours.max_weekly_hours"
