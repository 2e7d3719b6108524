"""A student's goals are theirs alone: others never see them, anonymous visitors must log in."""

import pytest
from django.urls import reverse

from medmatch.goals.models import GoalProfile
from tests.goals.conftest import give_goals

PAGES = [
    reverse("goals:recommendations"),
    reverse("goals:questionnaire"),
    reverse("goals:step", args=["place"]),
    reverse("goals:why_not") + "?q=boston",
]


@pytest.mark.parametrize("url", PAGES)
def test_it_asks_anonymous_visitors_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_sends_anonymous_posts_to_log_in_without_saving(client, alice, catalog):
    give_goals(alice)
    response = client.post(reverse("goals:save_weights"), {"w_location": "0"})
    assert response.status_code == 302
    assert GoalProfile.objects.get(student=alice).data["location"]["weight"] == 3


@pytest.mark.parametrize("who", ["another student", "coordinator"])
def test_it_never_shows_a_students_goals_to_others(outsiders, who, alice, catalog):
    give_goals(alice)
    client = outsiders[who]
    assert client.get(reverse("goals:recommendations")).url == reverse("goals:questionnaire")
    page = client.get(reverse("goals:step", args=["place"]))
    assert page.status_code == 200
    assert 'value="Boston, MA"' not in page.text
    why_not = client.get(reverse("goals:why_not"), {"q": "Boston"})
    assert "the goals questionnaire</a> first" in why_not.text
    client.post(reverse("goals:save_weights"), {"w_location": "0"})
    assert GoalProfile.objects.get(student=alice).data["location"]["weight"] == 3


@pytest.mark.parametrize("who", ["another student", "coordinator", "anonymous"])
def test_it_404s_unknown_object_urls_for_everyone(outsiders, who, alice):
    give_goals(alice)
    response = outsiders[who].get(f"/goals/{GoalProfile.objects.get(student=alice).pk}/")
    assert response.status_code == 404
