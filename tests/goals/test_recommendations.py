"""The recommendations page: ranked programs, explanations, filters, what-if weights, why-not."""

import re

import pytest
from django.urls import reverse

from medmatch.goals.models import GoalProfile
from tests.goals.conftest import give_goals


def _titles_in_order(html: str) -> list[str]:
    return re.findall(r'<a href="/catalog/programs/(\d+)/">', html)


def test_it_sends_a_student_without_goals_to_the_questionnaire(client, alice, catalog):
    client.force_login(alice)
    response = client.get(reverse("goals:recommendations"))
    assert response.url == reverse("goals:questionnaire")


def test_it_ranks_programs_with_explanations(client, alice, catalog):
    give_goals(alice)
    client.force_login(alice)
    response = client.get(reverse("goals:recommendations"))
    assert response.status_code == 200
    ids = _titles_in_order(response.text)
    programs = catalog["programs"]
    assert ids[0] == str(programs["mgh_medicine"].pk)
    assert str(programs["toronto_medicine"].pk) not in ids  # the countries deal-breaker
    assert "Internal Medicine is this program&#x27;s specialty: +" in response.text
    assert 'role="img" aria-label="Fit ' in response.text
    assert "(ask the program or a resident): departments" in response.text  # unknown, not 0


def test_it_reorders_when_a_weight_changes(client, alice, catalog):
    give_goals(alice)
    client.force_login(alice)
    programs = catalog["programs"]
    before = _titles_in_order(client.get(reverse("goals:recommendations")).text)
    assert before.index(str(programs["mgh_pediatrics"].pk)) > before.index(
        str(programs["nyu_medicine"].pk)
    )
    # What if the place mattered most and the specialty not at all?
    response = client.get(
        reverse("goals:recommendations"), {"w_specialties": "0", "w_location": "5"}
    )
    after = _titles_in_order(response.text)
    assert after.index(str(programs["mgh_pediatrics"].pk)) < after.index(
        str(programs["nyu_medicine"].pk)
    )
    assert "re-weighted: not saved" in response.text
    assert GoalProfile.objects.get(student=alice).data["specialties"]["weight"] == 5


def test_it_saves_the_tried_weights(client, alice, catalog):
    give_goals(alice)
    client.force_login(alice)
    response = client.post(
        reverse("goals:save_weights"),
        {"w_specialties": "1", "w_location": "5", "w_countries": "0", "specialty": "140"},
    )
    assert response.url == reverse("goals:recommendations") + "?specialty=140"
    data = GoalProfile.objects.get(student=alice).data
    assert data["specialties"]["weight"] == 1
    assert data["location"]["weight"] == 5
    assert data["location"]["places"][0]["label"] == "Boston, MA"


def test_it_filters_by_specialty_and_answers_htmx_with_the_results_only(client, alice, catalog):
    give_goals(alice)
    client.force_login(alice)
    response = client.get(
        reverse("goals:recommendations"),
        {"specialty": "320"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    assert _titles_in_order(response.text) == [str(catalog["programs"]["mgh_pediatrics"].pk)]
    assert "<html" not in response.text


def test_it_explains_why_not_an_excluded_program(client, alice, catalog):
    give_goals(alice)
    client.force_login(alice)
    response = client.get(reverse("goals:why_not"), {"q": "Toronto"})
    assert response.status_code == 200
    assert "Deal-breaker: In CA" in response.text
    assert "filtered out" in response.text
    program = catalog["programs"]["mgh_medicine"]
    response = client.get(reverse("goals:why_not"), {"program": program.pk})
    assert "#1" in response.text


def test_it_shows_the_nav_items(client, alice, catalog):
    give_goals(alice)
    client.force_login(alice)
    response = client.get(reverse("goals:recommendations"))
    assert 'href="/goals/" aria-current="page">For you</a>' in response.text
    assert ">My goals</a>" in response.text


@pytest.mark.parametrize("weight", ["\u00b2", "\u0663", "7", "-1", "99999999999999999999"])
def test_it_refuses_a_weight_that_is_not_0_to_5_and_keeps_the_saved_ones(
    client, alice, catalog, weight
):
    # "\u00b2".isdigit() is True and int() refused it: the save was a 500.
    give_goals(alice)
    client.force_login(alice)
    response = client.post(
        reverse("goals:save_weights"), {"w_specialties": weight, "w_location": "1"}, follow=True
    )
    assert response.status_code == 200
    assert "The weights were not saved: w_specialties: " in response.text
    data = GoalProfile.objects.get(student=alice).data
    assert (data["specialties"]["weight"], data["location"]["weight"]) == (5, 3)


@pytest.mark.parametrize("program", ["\u00b2", "99999999999999999999", "0", "abc"])
def test_it_explains_nothing_for_a_program_number_that_is_not_one(client, alice, catalog, program):
    # "\u00b2" was int()'s ValueError and 10^20 the database's OverflowError: both 500s.
    give_goals(alice)
    client.force_login(alice)
    response = client.get(reverse("goals:why_not"), {"program": program})
    assert response.status_code == 200
    assert response.context["results"] == []
