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
    assert (
        "Internal Medicine is this program&#x27;s specialty</th><td>5.0 of 5</td>" in response.text
    )
    assert 'role="img" aria-label="Fit ' in response.text
    # No institution here has departments recorded: the criterion is left out, not "unknown".
    assert "(ask the program or a resident): departments" not in response.text


def test_it_asks_about_departments_once_the_catalog_records_some(client, alice, catalog):
    from medmatch.catalog.models import Department

    Department.objects.create(
        institution=catalog["institutions"]["mgh"],
        specialty=catalog["specialties"]["internal"],
        name="Department of Medicine",
    )
    give_goals(alice)
    client.force_login(alice)
    response = client.get(reverse("goals:recommendations"))
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


def _goals_with_visa() -> dict:
    from tests.goals.conftest import GOALS

    return {**GOALS, "visa": {"needed": "j1", "weight": 5}}


def test_it_starts_the_sliders_at_the_saved_weights(client, alice, catalog):
    give_goals(alice, _goals_with_visa())
    client.force_login(alice)
    response = client.get(reverse("goals:recommendations"))
    html = response.text
    assert re.search(r'name="w_specialties" value="5"', html)
    assert re.search(r'name="w_visa" value="5"', html)
    assert re.search(r'name="w_location" value="3"', html)
    assert '<output class="weight-value" for="id_w_visa" id="id_w_visa_value">5</output>' in html
    assert "re-weighted: not saved" not in html


def test_it_keeps_the_weights_not_moved_when_trying_one(client, alice, catalog):
    give_goals(alice, _goals_with_visa())
    client.force_login(alice)
    response = client.get(reverse("goals:recommendations"), {"w_location": "1"})
    assert response.context["overrides"] == {"location": {"weight": 1}}
    assert re.search(r'name="w_visa" value="5"', response.text)
    # The save form carries only the moved weight.
    assert 'type="hidden" name="w_location" value="1"' in response.text
    assert 'type="hidden" name="w_visa"' not in response.text


def test_it_keeps_saved_weights_through_a_what_if_and_a_save(client, alice, catalog):
    give_goals(alice, _goals_with_visa())
    client.force_login(alice)
    html = client.get(reverse("goals:recommendations")).text
    # What the browser sends: every slider as it stands (a range input without a value stands
    # at its middle, 3), one moved.
    sliders = {}
    for tag in re.findall(r'<input type="range"[^>]*>', html):
        value = re.search(r'value="(\d)"', tag)
        sliders[re.search(r'name="(w_\w+)"', tag).group(1)] = value.group(1) if value else "3"
    assert set(sliders) == {"w_specialties", "w_location", "w_countries", "w_visa"}
    sliders["w_location"] = "4"
    client.get(reverse("goals:recommendations"), sliders)
    client.post(reverse("goals:save_weights"), sliders)
    data = GoalProfile.objects.get(student=alice).data
    assert data["specialties"]["weight"] == 5
    assert data["visa"]["weight"] == 5
    assert data["location"]["weight"] == 4
    assert data["countries"] == _goals_with_visa()["countries"]


def test_it_keeps_the_csrf_token_out_of_the_what_if_url(client, alice, catalog):
    give_goals(alice)
    client.force_login(alice)
    html = client.get(reverse("goals:recommendations"), {"w_location": "1"}).text
    what_if = html[html.index('<form id="recommendation-form"') :]
    what_if = what_if[: what_if.index("</form>")]
    assert 'method="get"' in what_if
    assert "csrfmiddlewaretoken" not in what_if
    save = html[html.index('<form method="post" action="/goals/weights/"') :]
    assert "csrfmiddlewaretoken" in save[: save.index("</form>")]


def test_it_shows_parts_that_add_up_to_the_score(client, alice, catalog):
    give_goals(alice)
    client.force_login(alice)
    response = client.get(reverse("goals:recommendations"))
    for item in response.context["page"].object_list:
        sum_ = item.arithmetic
        assert sum_["total"] == item.bar["total"]
        assert sum(p["earned"] for p in item.parts) == pytest.approx(sum_["earned"])
    assert "Score = 100 \u00d7 " in response.text


def test_it_ranks_categorical_tracks_first_for_a_student_who_wants_them(client, alice, catalog):
    from tests.catalog.factories import make_program
    from tests.goals.conftest import GOALS

    mgh = catalog["institutions"]["mgh"]
    internal = catalog["specialties"]["internal"]
    preliminary = make_program(
        "Internal Medicine (preliminary)",
        institution=mgh,
        specialty=internal,
        track_type="preliminary",
    )
    categorical = make_program(
        "Internal Medicine (categorical)",
        institution=catalog["institutions"]["community"],
        specialty=internal,
        track_type="categorical",
    )
    give_goals(alice, {**GOALS, "tracks": {"codes": ["categorical"], "weight": 4}})
    client.force_login(alice)
    response = client.get(reverse("goals:recommendations"))
    ids = _titles_in_order(response.text)
    assert ids.index(str(categorical.pk)) < ids.index(str(preliminary.pk))
    assert "Preliminary track (wish: categorical)" in response.text
