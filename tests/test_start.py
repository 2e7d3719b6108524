"""Where sign-up and log-in land: the student's next step (goals, then "For you"), never the
account page beside "Delete my account"; a safe ?next= wins."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.goals.conftest import give_goals
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def _log_in(client, user, next_url=None):
    url = reverse("accounts:login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": user.username, "password": PASSWORD})


def test_it_lands_a_student_without_goals_on_the_questionnaire(client, alice):
    response = _log_in(client, alice)
    assert response["Location"] == reverse("start")
    assert client.get(reverse("start"))["Location"] == reverse("goals:questionnaire")


def test_it_lands_a_student_with_goals_on_the_recommendations(client, alice):
    give_goals(alice)
    _log_in(client, alice)
    assert client.get(reverse("start"))["Location"] == reverse("goals:recommendations")


def test_it_follows_a_safe_next_after_log_in_and_ignores_another_site(client, alice):
    assert _log_in(client, alice, "/letters/")["Location"] == "/letters/"
    client.logout()
    assert _log_in(client, alice, "https://evil.example/")["Location"] == reverse("start")


def test_it_asks_an_anonymous_visitor_to_log_in_first(client):
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def _confirm_link(client) -> str:
    data = {
        "username": "erin",
        "email": "erin@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    client.post(reverse("accounts:signup"), data)
    return re.search(r"http://testserver(/accounts/signup/confirm/\S+/)", mail.outbox[0].body)[1]


def test_it_lands_a_confirmed_sign_up_on_the_next_step(client):
    response = client.post(_confirm_link(client), {"password": PASSWORD})
    assert response["Location"] == reverse("start")
    assert client.get(reverse("start"))["Location"] == reverse("goals:questionnaire")


@pytest.mark.parametrize(
    ("next_url", "landing"),
    [("/catalog/programs/", "/catalog/programs/"), ("//evil.example/", "/start/")],
)
def test_it_follows_only_a_safe_next_after_confirming(client, next_url, landing):
    link = _confirm_link(client) + f"?next={next_url}"
    assert client.post(link, {"password": PASSWORD})["Location"] == landing
