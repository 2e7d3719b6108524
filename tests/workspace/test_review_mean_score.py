"""The mean review score stored on each submission (the inbox sorts by it and shows it): it is
the mean of the reviews' weighted scores whenever a review is added, changed or deleted, or the
rubric re-weighs them, and the migration that added it filled it from the reviews there were."""

import importlib

import pytest
from django.apps import apps

from medmatch.accounts.services import account_delete
from medmatch.workspace.models import Review, RubricCriterion, Submission
from medmatch.workspace.review_services import (
    criterion_set_retired,
    criterion_update,
    review_save,
)
from tests.personas import make_user
from tests.workspace.conftest import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def rubric(world):
    program = world["medicine"]
    return [
        RubricCriterion.objects.create(
            program=program, position=0, name="Clinical grades", max_score=5, weight=3
        ),
        RubricCriterion.objects.create(
            program=program, position=1, name="Letters", max_score=10, weight=1
        ),
    ]


def _review(submission, reviewer, rubric, grades=None, letters=None):
    scores = {str(rubric[0].pk): grades, str(rubric[1].pk): letters}
    return review_save(submission=submission, reviewer=reviewer, scores=scores, flags=[], note="")


def _mean(submission):
    return Submission.objects.get(pk=submission.pk).mean_score


def _mean_of_reviews(submission):
    """The mean computed afresh from the reviews, independently of the stored column."""
    scores = [
        review.weighted_score
        for review in Review.objects.filter(submission=submission)
        if review.weighted_score is not None
    ]
    return sum(scores) / len(scores) if scores else None


def test_it_is_unknown_until_a_review_scores(world, rubric, erin, alice):
    submission = submit(alice, world["medicine"])
    assert _mean(submission) is None
    _review(submission, erin, rubric)  # a review with flags and a note only
    assert _mean(submission) is None


def test_it_follows_reviews_added_and_changed(world, rubric, erin, rita, alice, bob):
    submission = submit(alice, world["medicine"])
    other = submit(bob, world["medicine"])
    _review(submission, erin, rubric, grades=5, letters=10)  # 100
    assert _mean(submission) == pytest.approx(100)
    _review(submission, rita, rubric, grades=1, letters=2)  # (3 * .2 + .2) / 4 = 20
    assert _mean(submission) == pytest.approx(60)
    _review(submission, erin, rubric, grades=4, letters=5)  # (3 * .8 + .5) / 4 = 72.5
    assert _mean(submission) == pytest.approx((72.5 + 20) / 2)
    _review(submission, rita, rubric)  # rita takes her scores back: only erin's counts
    assert _mean(submission) == pytest.approx(72.5)
    assert _mean(other) is None  # another submission's reviews leave it alone


def test_it_follows_the_rubric_reweighing_and_retiring(world, rubric, erin, rita, alice):
    submission = submit(alice, world["medicine"])
    _review(submission, erin, rubric, grades=5, letters=None)  # 100 (grades only)
    _review(submission, rita, rubric, grades=1, letters=10)  # (3 * .2 + 1) / 4 = 40
    assert _mean(submission) == pytest.approx(70)
    grades, letters = rubric
    criterion_update(
        criterion=grades, name=grades.name, description="", max_score=5, weight=1
    )  # rita: (.2 + 1) / 2 = 60
    assert _mean(submission) == pytest.approx(80)
    assert _mean(submission) == pytest.approx(_mean_of_reviews(submission))
    criterion_set_retired(criterion=letters, retired=True)  # rita: 20
    assert _mean(submission) == pytest.approx(60)
    criterion_set_retired(criterion=grades, retired=True)  # nothing active: unknown again
    assert _mean(submission) is None


def test_it_follows_a_review_deleted_with_its_reviewers_account(world, rubric, erin, alice):
    submission = submit(alice, world["medicine"])
    sam = make_user("sam", role="coordinator", email="sam@rush.edu")
    _review(submission, erin, rubric, grades=5, letters=10)  # 100
    _review(submission, sam, rubric, grades=1, letters=2)  # 20
    assert _mean(submission) == pytest.approx(60)
    account_delete(user=sam)
    assert _mean(submission) == pytest.approx(100)
    Review.objects.filter(submission=submission).delete()
    assert _mean(submission) is None


def test_the_migration_fills_it_from_the_reviews(world, rubric, erin, rita, alice, bob):
    scored = submit(alice, world["medicine"])
    unscored = submit(bob, world["medicine"])
    _review(scored, erin, rubric, grades=5, letters=10)
    _review(scored, rita, rubric, grades=1, letters=2)
    _review(unscored, erin, rubric)
    Submission.objects.update(mean_score=None)  # as the column was when the migration added it
    migration = importlib.import_module("medmatch.workspace.migrations.0006_submission_mean_score")
    migration.fill_mean_scores(apps, None)
    assert _mean(scored) == pytest.approx(60)
    assert _mean(unscored) is None
