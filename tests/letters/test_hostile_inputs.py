"""Hostile numbers and far-off dates on the letters pages: a clear answer, never a 500."""

import datetime

import pytest
from django.urls import reverse

from medmatch.applications.models import Application
from medmatch.letters.models import LetterRequest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["\u00b2", "99999999999999999999", "abc", "0"])
def test_it_offers_the_request_form_when_the_recommender_is_not_a_number(
    client, alice, recommender, value
):
    client.force_login(alice)
    response = client.get(reverse("letters:request_create"), {"recommender": value})
    assert response.status_code == 200
    assert response.context["form"].initial["recommender"] is None


def test_it_preselects_the_recommender_named_in_the_link(client, alice, recommender):
    client.force_login(alice)
    response = client.get(reverse("letters:request_create"), {"recommender": recommender.pk})
    assert response.context["form"].initial["recommender"] == recommender.pk


@pytest.mark.parametrize("pk", [99999999999999999999, 2**63])
def test_it_answers_404_for_a_letter_number_past_64_bits(client, alice, pk):
    # Letter.objects.filter(request_id=10^20) overflowed SQLite's integer: a 500.
    client.force_login(alice)
    response = client.get(f"/letters/requests/{pk}/letter.pdf")
    assert response.status_code == 404


def test_it_plans_a_request_whose_saved_deadline_is_at_the_end_of_the_calendar(
    client, alice, letter_request, applications
):
    # Saved before dates were bounded: the planner's "day after the deadline" overflowed, and
    # /letters/, the request's page and /applications/next/ were 500s.
    Application.objects.filter(pk=applications[0].pk).update(deadline=datetime.date.max)
    LetterRequest.objects.filter(pk=letter_request.pk).update(
        due_on=datetime.date.max, asked_on=datetime.date.min
    )
    client.force_login(alice)
    for url in (
        reverse("letters:index"),
        reverse("letters:request_detail", args=[letter_request.pk]),
        reverse("applications:dashboard"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("letters:request_detail", args=[letter_request.pk])).text
    assert "31 Dec 9999) is too far off to plan from: check its year." in page
