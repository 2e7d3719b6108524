"""Goals: JSON round trip and validation errors that name the field."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medmatch.fit import (
    Cost,
    Countries,
    Goals,
    GoalsError,
    Hours,
    International,
    Languages,
    Length,
    Location,
    Objective,
    Place,
    Regions,
    Residency,
    Setting,
    Specialties,
    SpecialtyInterest,
    Stipend,
    Visa,
)

weights = st.integers(0, 5).map(float)
flags = st.booleans()


def answer(kind, **values):
    return st.builds(kind, weight=weights, dealbreaker=flags, **values)


specialty_keys = st.one_of(st.integers(1, 500), st.sampled_from(["cardio", "im", "surg", "140"]))
interests = st.lists(
    st.builds(SpecialtyInterest, specialty_keys, st.integers(1, 5).map(float)),
    min_size=1,
    max_size=4,
    unique_by=lambda i: i.specialty,
).map(tuple)
places = st.builds(
    Place,
    st.floats(-90, 90),
    st.floats(-180, 180),
    st.floats(1, 5000),
    st.text(max_size=20),
)
goals_strategy = st.builds(
    Goals,
    objective=st.none() | answer(Objective, value=st.sampled_from(["clinical", "research"])),
    specialties=st.none()
    | answer(Specialties, interests=interests, exploring=st.just(False))
    | answer(Specialties, exploring=st.just(True)),
    setting=st.none() | answer(Setting, value=st.sampled_from(["academic", "community"])),
    location=st.none()
    | answer(Location, places=st.lists(places, min_size=1, max_size=3).map(tuple)),
    regions=st.none() | answer(Regions, codes=st.just(("US-MA", "CA-ON"))),
    countries=st.none() | answer(Countries, codes=st.just(("US",))),
    international=st.none()
    | answer(
        International, home_country=st.just("FR"), openness=st.sampled_from(["home", "abroad"])
    ),
    length=st.none() | answer(Length, min_months=st.just(6.0), max_months=st.just(24.0)),
    hours=st.none()
    | answer(Hours, pace=st.sampled_from(["demanding", "steady"]), max_weekly_hours=st.none()),
    stipend=st.none() | answer(Stipend, min_amount=st.floats(1, 1e6)),
    cost=st.none() | answer(Cost, max_amount=st.floats(0, 1e6)),
    languages=st.none() | answer(Languages, codes=st.just(("en", "fr"))),
    visa=st.none() | answer(Visa, needed=st.sampled_from(["j1", "h1b", "j1_or_h1b"])),
    residency=st.none() | answer(Residency, specialty=st.none() | specialty_keys),
)


@given(goals_strategy)
def test_it_round_trips_goals_through_json(goals):
    text = json.dumps(goals.to_dict())
    assert Goals.from_dict(json.loads(text)) == goals


def test_it_writes_the_documented_json_shape():
    goals = Goals(hours=Hours(pace="steady", max_weekly_hours=60, weight=4, dealbreaker=True))
    assert goals.to_dict() == {
        "format": "medmatch-goals/1",
        "hours": {"weight": 4, "dealbreaker": True, "pace": "steady", "max_weekly_hours": 60},
    }


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"format": "other/9"}, "format", "medmatch-goals/1"),
        ({"budget": {}}, "budget", "not a known question"),
        ({"setting": {"value": "rural"}}, "setting.value", "academic, community"),
        ({"setting": {"value": "academic", "weight": 9}}, "setting.weight", "between 0 and 5"),
        ({"setting": {"value": "academic", "colour": 1}}, "setting.colour", "not a known field"),
        ({"setting": {"dealbreaker": "yes"}}, "setting.dealbreaker", "true or false"),
        (
            {"location": {"places": [{"latitude": 1, "longitude": 2, "radius_km": -5}]}},
            "location.places[0].radius_km",
            "> 0",
        ),
        (
            {"location": {"places": [{"latitude": 95, "longitude": 2, "radius_km": 5}]}},
            "location.places[0].latitude",
            "between -90 and 90",
        ),
        ({"location": {"places": [{"latitude": 1}]}}, "location.places[0].longitude", "required"),
        ({"location": {"places": []}}, "location.places", "at least one"),
        ({"regions": {"codes": ["Massachusetts"]}}, "regions.codes[0]", "US-MA"),
        ({"countries": {"codes": "US"}}, "countries.codes", "list"),
        ({"specialties": {}}, "specialties.interests", "exploring"),
        (
            {"specialties": {"interests": [{"specialty": "im"}, {"specialty": "im"}]}},
            "specialties.interests[1].specialty",
            "twice",
        ),
        ({"length": {"min_months": 12, "max_months": 6}}, "length.max_months", ">= min_months"),
        ({"hours": {"pace": "either"}}, "hours.pace", "demanding or steady"),
        ({"stipend": {"min_amount": "lots"}}, "stipend.min_amount", "number"),
        ({"visa": {"needed": "o1"}}, "visa.needed", "j1, h1b"),
        ({"international": {"home_country": "usa"}}, "international.home_country", "'US'"),
        ([], "goals", "object"),
    ],
)
def test_it_names_the_field_of_bad_input(data, field, words):
    with pytest.raises(GoalsError) as error:
        Goals.from_dict(data)
    assert error.value.field == field
    assert str(error.value).startswith(f"{field}: ")
    assert words in str(error.value)


def test_it_validates_answers_built_in_python():
    with pytest.raises(ValueError, match="weight"):
        Setting("academic", weight=-1)
    with pytest.raises(GoalsError, match="must be a Location"):
        Goals(location=Setting("academic"))


def test_it_tells_exploring_from_decided_students():
    decided = Goals(specialties=Specialties(interests=(SpecialtyInterest("im"),)))
    assert decided.is_decided and not decided.is_exploring
    exploring = Goals(objective=Objective("exploring"))
    assert exploring.is_exploring and not exploring.is_decided
