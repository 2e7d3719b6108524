"""The goals questionnaire: each step saves, validates with clear messages, and can be revisited."""

import re

from django.urls import reverse

from medmatch.goals.models import GoalProfile
from tests.goals.conftest import give_goals


def _importance(prefix, weight=3, dealbreaker=False):
    data = {f"{prefix}-weight": str(weight)}
    if dealbreaker:
        data[f"{prefix}-dealbreaker"] = "on"
    return data


def _place_step(**overrides):
    data = {
        "setting-value_choice": "academic",
        **_importance("setting", 2),
        "area-value_choice": "city",
        **_importance("area", 1),
        **_importance("teaching", 2),
        "trauma-level": "1",
        **_importance("trauma", 3),
        "location-place": "02114",
        "location-radius_km": "100",
        **_importance("location", 4),
        "regions-codes": "MA, ON",
        **_importance("regions", 2),
        "countries-codes": "us, ca",
        **_importance("countries", 0, dealbreaker=True),
        "international-openness": "",
        "international-home_country": "US",
        **_importance("international", 2),
    }
    return data | overrides


def test_it_sends_a_new_student_to_the_first_step(client, alice):
    client.force_login(alice)
    response = client.get(reverse("goals:questionnaire"))
    assert response.url == reverse("goals:step", args=["objective"])


def test_it_saves_a_step_and_moves_on(client, alice, catalog):
    client.force_login(alice)
    response = client.post(
        reverse("goals:step", args=["objective"]),
        {"objective-value_choice": "research", **_importance("objective", 4)},
    )
    assert response.url == reverse("goals:step", args=["specialties"])
    profile = GoalProfile.objects.get(student=alice)
    assert profile.data["objective"] == {"value": "research", "weight": 4.0, "dealbreaker": False}
    assert profile.completed_steps == ["objective"]


def test_it_saves_specialties_with_weights(client, alice, catalog):
    client.force_login(alice)
    client.post(
        reverse("goals:step", args=["specialties"]),
        {
            "specialties-specialty_1": "140",
            "specialties-interest_1": "5",
            "specialties-specialty_2": "320",
            "specialties-interest_2": "2",
            **_importance("specialties", 5, dealbreaker=True),
        },
    )
    answer = GoalProfile.objects.get(student=alice).data["specialties"]
    assert answer["interests"] == [
        {"specialty": "140", "weight": 5},
        {"specialty": "320", "weight": 2},
    ]
    assert answer["dealbreaker"] is True


def test_it_resolves_places_and_codes(client, alice, catalog):
    client.force_login(alice)
    response = client.post(reverse("goals:step", args=["place"]), _place_step())
    assert response.status_code == 302
    data = GoalProfile.objects.get(student=alice).data
    place = data["location"]["places"][0]
    assert place["label"].startswith("02114")
    assert abs(place["latitude"] - 42.36) < 0.1
    assert data["regions"]["codes"] == ["US-MA", "CA-ON"]
    assert data["countries"] == {"codes": ["US", "CA"], "weight": 0.0, "dealbreaker": True}
    assert "international" not in data


def test_it_names_the_field_and_the_reason_on_bad_input(client, alice, catalog):
    client.force_login(alice)
    response = client.post(
        reverse("goals:step", args=["place"]),
        _place_step(**{"location-place": "99999", "regions-codes": "MA, XX"}),
    )
    assert response.status_code == 200
    assert "Location: ZIP code 99999 is not a known US ZIP code." in response.text
    assert "Regions: “XX” is not a US state or Canadian province code" in response.text
    assert not GoalProfile.objects.filter(student=alice).exists()


def test_it_refuses_a_line_break_in_the_place(client, alice, catalog):
    client.force_login(alice)
    response = client.post(
        reverse("goals:step", args=["place"]), _place_step(**{"location-place": "Boston\r\nMA"})
    )
    assert response.status_code == 200
    assert "Location: use a single line of text without control characters" in response.text
    assert not GoalProfile.objects.filter(student=alice).exists()


def test_it_shows_saved_answers_when_revisited(client, alice, catalog):
    give_goals(alice)
    client.force_login(alice)
    response = client.get(reverse("goals:step", args=["place"]))
    assert 'value="Boston, MA"' in response.text
    response = client.get(reverse("goals:step", args=["specialties"]))
    assert '<option value="140" selected>' in response.text


def test_it_keeps_the_saved_place_when_unchanged(client, alice, catalog):
    give_goals(alice)
    client.force_login(alice)
    client.post(
        reverse("goals:step", args=["place"]), _place_step(**{"location-place": "Boston, MA"})
    )
    place = GoalProfile.objects.get(student=alice).data["location"]["places"][0]
    assert place == {
        "latitude": 42.3601,
        "longitude": -71.0589,
        "radius_km": 100.0,
        "label": "Boston, MA",
    }


def test_it_clears_an_answer_left_blank(client, alice, catalog):
    give_goals(alice)
    client.force_login(alice)
    client.post(reverse("goals:step", args=["place"]), _place_step(**{"location-place": ""}))
    assert "location" not in GoalProfile.objects.get(student=alice).data


def test_it_rejects_an_impossible_length(client, alice, catalog):
    client.force_login(alice)
    response = client.post(
        reverse("goals:step", args=["schedule"]),
        {
            "length-min_months": "24",
            "length-max_months": "12",
            **_importance("length"),
            "hours-pace": "steady",
            **_importance("hours"),
        },
    )
    assert "Length: “at most” must not be below “at least”." in response.text


def test_it_finishes_on_the_recommendations(client, alice, catalog):
    client.force_login(alice)
    response = client.post(
        reverse("goals:step", args=["residency"]),
        {
            "residency-specialty": "140",
            "residency-affiliation": "on",
            **_importance("residency"),
            **_importance("tracks"),
        },
    )
    assert response.url == reverse("goals:recommendations")
    data = GoalProfile.objects.get(student=alice).data
    assert data["residency"]["specialty"] == "140"
    assert "tracks" not in data  # no track ticked: no wish


def test_it_saves_the_residency_tracks_wanted(client, alice, catalog):
    client.force_login(alice)
    form = client.get(reverse("goals:step", args=["residency"])).text
    assert "Residency track types" in form
    assert 'value="preliminary"' in form
    client.post(
        reverse("goals:step", args=["residency"]),
        {
            **_importance("residency"),
            "tracks-codes": ["categorical"],
            **_importance("tracks", weight=5, dealbreaker=True),
        },
    )
    data = GoalProfile.objects.get(student=alice).data
    assert data["tracks"] == {"codes": ["categorical"], "weight": 5, "dealbreaker": True}
    again = client.get(reverse("goals:step", args=["residency"])).text
    assert re.search(r'value="categorical"[^>]*checked', again)


def test_it_404s_an_unknown_step(client, alice):
    client.force_login(alice)
    assert client.get(reverse("goals:step", args=["nope"])).status_code == 404


def test_it_asks_about_the_place_teaching_trauma_and_rent(client, alice, catalog):
    """Issue 11: the questions behind the new criteria, saved as goals the engine reads."""
    client.force_login(alice)
    response = client.post(reverse("goals:step", args=["place"]), _place_step())
    assert response.status_code == 302
    data = GoalProfile.objects.get(student=alice).data
    assert data["area"] == {"value": "city", "weight": 1, "dealbreaker": False}
    assert data["trauma"] == {"level": 1, "weight": 3, "dealbreaker": False}
    assert "teaching" not in data  # "no preference" is no answer, not a wish
    response = client.post(
        reverse("goals:step", args=["practical"]),
        {
            "rent-max_monthly": "1800",
            **_importance("rent", 4, dealbreaker=True),
            **{f"{q}-weight": "2" for q in ("stipend", "cost", "languages", "visa")},
        },
    )
    assert response.status_code == 302
    data = GoalProfile.objects.get(student=alice).data
    assert data["rent"] == {"max_monthly": 1800, "weight": 4, "dealbreaker": True}
    response = client.post(
        reverse("goals:step", args=["practical"]),
        {
            "rent-max_monthly": "\uff11\uff18\uff10\uff10",  # full-width digits
            **{f"{q}-weight": "2" for q in ("rent", "stipend", "cost", "languages", "visa")},
        },
    )
    assert response.status_code == 200
