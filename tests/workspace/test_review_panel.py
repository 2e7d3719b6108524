"""One submission's review panel: each reviewer keeps one review (scores within the rubric's
bounds, holistic flags, a private note), sees the others', the weighted mean, and the decision
with its history."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medmatch.workspace.models import DecisionChange, Review, RubricCriterion, Submission
from medmatch.workspace.review_services import (
    SubmissionWithdrawn,
    review_save,
    weighted_score,
)
from tests.workspace.conftest import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def rubric(world):
    program = world["medicine"]
    return [
        RubricCriterion.objects.create(
            program=program, position=0, name="Clinical grades", max_score=5, weight=2
        ),
        RubricCriterion.objects.create(
            program=program, position=1, name="Letters", max_score=10, weight=1
        ),
    ]


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_weighted_score_counts_each_criterion_by_its_weight(rubric):
    grades, letters = rubric
    assert weighted_score({str(grades.pk): 5, str(letters.pk): 5}, rubric) == pytest.approx(
        100 * (2 * 1 + 1 * 0.5) / 3
    )
    # A criterion not scored leaves the score; none scored is unknown, not zero.
    assert weighted_score({str(letters.pk): 10}, rubric) == 100
    assert weighted_score({}, rubric) is None
    assert weighted_score({str(grades.pk): 3}, []) is None


def test_a_reviewer_saves_and_changes_one_review(world, rubric, erin, alice):
    submission = submit(alice, world["medicine"])
    url = reverse("workspace:review", args=[submission.pk])
    grades, letters = rubric
    data = {
        f"score_{grades.pk}": "4",
        f"score_{letters.pk}": "",
        "flags": ["mission_fit", "service"],
        "note": "Strong sub-internship.",
    }
    response = _client(erin).post(url, data)
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.reviewer, review.scores, review.flags) == (
        erin,
        {str(grades.pk): 4},
        ["mission_fit", "service"],
    )
    assert review.weighted_score == 80
    _client(erin).post(url, {**data, f"score_{letters.pk}": "10", "flags": []})
    review = Review.objects.get()
    assert review.scores == {str(grades.pk): 4, str(letters.pk): 10}
    assert review.flags == []
    assert review.weighted_score == pytest.approx(100 * (2 * 0.8 + 1) / 3, abs=0.01)


@pytest.mark.parametrize(
    ("field", "value"),
    [("grades", "6"), ("grades", "0"), ("letters", "11"), ("grades", "\u0664"), ("grades", "x")],
)
def test_it_refuses_a_score_out_of_bounds(world, rubric, erin, alice, field, value):
    submission = submit(alice, world["medicine"])
    criterion = rubric[0] if field == "grades" else rubric[1]
    response = _client(erin).post(
        reverse("workspace:review", args=[submission.pk]), {f"score_{criterion.pk}": value}
    )
    assert response.status_code == 400
    assert not Review.objects.exists()


def test_it_refuses_an_unknown_flag_and_a_long_note(world, rubric, erin, alice):
    submission = submit(alice, world["medicine"])
    url = reverse("workspace:review", args=[submission.pk])
    assert _client(erin).post(url, {"flags": ["genius"]}).status_code == 400
    assert _client(erin).post(url, {"note": "x" * 4001}).status_code == 400
    assert not Review.objects.exists()


def test_the_panel_shows_every_reviewer_the_mean_and_the_decision_history(
    world, rubric, erin, rita, alice
):
    submission = submit(alice, world["medicine"], statement_title="Why medicine")
    grades, letters = rubric
    review_save(
        submission=submission,
        reviewer=rita,
        scores={str(grades.pk): 5, str(letters.pk): 10},
        flags=["leadership"],
        note="Rita's private note.",
    )
    review_save(submission=submission, reviewer=erin, scores={}, flags=[], note="Not scored yet.")
    client = _client(erin)
    client.post(reverse("workspace:decide", args=[submission.pk]), {"action": "hold"})
    client.post(reverse("workspace:decide", args=[submission.pk]), {"action": "invite"})
    response = client.get(reverse("workspace:review", args=[submission.pk]))
    page = response.content.decode()
    assert "Rita&#x27;s private note." in page
    assert "Leadership" in page
    assert "5 / 5" in page and "10 / 10" in page
    # Only rita scored: the mean is hers alone, erin's unscored review does not pull it to 0.
    assert response.context["panel"]["mean_score"] == 100
    assert "over 1 reviewer" in page
    history = [(c.previous, c.decision) for c in response.context["panel"]["history"]]
    assert history == [("hold", "invite"), ("", "hold")]
    assert "invitations go out from an interview round" in page
    submission.refresh_from_db()
    assert (submission.decision, submission.decided_by, submission.invited_at) == (
        "invite",
        erin,
        None,
    )


def test_a_retired_criterion_keeps_its_scores_readable_but_unscored(world, rubric, erin, alice):
    submission = submit(alice, world["medicine"])
    grades, letters = rubric
    review_save(
        submission=submission,
        reviewer=erin,
        scores={str(grades.pk): 5, str(letters.pk): 5},
        flags=[],
        note="",
    )
    client = _client(erin)
    client.post(
        reverse("workspace:criterion_retire", args=[world["medicine"].pk, letters.pk]),
        {"retired": "1"},
    )
    assert Review.objects.get().weighted_score == 100  # letters no longer counts
    response = client.get(reverse("workspace:review", args=[submission.pk]))
    page = response.content.decode()
    assert "Letters (retired)" in page and "5 / 10" in page
    form = response.context["review_form"]
    assert f"score_{letters.pk}" not in form.fields
    # Saving again keeps the retired score.
    client.post(reverse("workspace:review", args=[submission.pk]), {f"score_{grades.pk}": "3"})
    assert Review.objects.get().scores == {str(grades.pk): 3, str(letters.pk): 5}


def test_a_withdrawn_submission_takes_no_review_or_decision(world, rubric, erin, alice):
    submission = submit(alice, world["medicine"])
    Submission.objects.filter(pk=submission.pk).update(withdrawn_at=timezone.now())
    submission.refresh_from_db()
    client = _client(erin)
    page = client.get(reverse("workspace:review", args=[submission.pk])).content.decode()
    assert "withdrew" in page and "Save my review" not in page
    client.post(reverse("workspace:review", args=[submission.pk]), {"note": "late"})
    client.post(reverse("workspace:decide", args=[submission.pk]), {"action": "invite"})
    assert not Review.objects.exists()
    assert not DecisionChange.objects.exists()
    with pytest.raises(SubmissionWithdrawn):
        review_save(submission=submission, reviewer=erin, scores={}, flags=[], note="x")


def test_the_panel_reads_in_a_fixed_number_of_queries(
    world, rubric, erin, rita, alice, django_assert_max_num_queries
):
    submission = submit(alice, world["medicine"])
    for reviewer in (erin, rita):
        review_save(
            submission=submission,
            reviewer=reviewer,
            scores={str(rubric[0].pk): 3},
            flags=["service"],
            note="n",
        )
    client = _client(erin)
    # session, user, submission, criteria (2), reviews (2), decision history
    with django_assert_max_num_queries(8):
        assert client.get(reverse("workspace:review", args=[submission.pk])).status_code == 200
