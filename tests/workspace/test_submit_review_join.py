"""The submit and review areas meet: a sent submission carries its specialty keys for the inbox's
filter, and the staff page of a submission shows the review panel beside its content."""

import pytest
from django.urls import reverse

from medmatch.goals.models import GoalProfile
from medmatch.workspace.submitting import specialty_keys
from tests.workspace.submit_factories import logged_in


@pytest.mark.django_db
def test_it_takes_the_specialty_named_and_the_goals_specialties(world, alice):
    GoalProfile.objects.create(
        student=alice,
        data={"specialties": {"interests": [{"specialty": "440"}, {"specialty": "140"}]}},
    )
    assert specialty_keys(alice.pk, "internal medicine") == ["140", "440"]
    assert specialty_keys(alice.pk, "Cardiology-ish") == ["440", "140"]


@pytest.mark.django_db
def test_the_staff_page_of_a_submission_shows_the_review_panel(world, erin, alice):
    from tests.workspace.conftest import submit

    submission = submit(alice, world["medicine"])
    page = logged_in(erin).get(reverse("workspace:submission_staff", args=[submission.pk]))
    assert page.status_code == 200
    assert b"your program's staff only" in page.content
    assert reverse("workspace:decide", args=[submission.pk]).encode() in page.content
