"""The program side's access helpers: staff reach their own programs' rows, nobody else does."""

import pytest
from django.http import Http404

from medmatch.workspace import access
from tests.workspace.conftest import submit


def test_a_verified_coordinator_reaches_the_submissions_of_their_programs(world, erin, alice):
    submission = submit(alice, world["medicine"])
    assert access.get_staff_submission_or_404(erin, submission.pk) == submission
    assert list(access.staff_programs(erin)) == [world["medicine"]]


def test_everyone_else_gets_a_404(world, erin, gina, frank, alice, bob):
    submission = submit(alice, world["surgery"])
    for user in (erin, frank, alice, bob, None):
        with pytest.raises(Http404):
            access.get_staff_submission_or_404(user, submission.pk)
    assert access.get_staff_submission_or_404(gina, submission.pk) == submission


def test_only_a_director_may_rank(world, erin, rita):
    assert access.can_rank(rita, world["medicine"])
    assert not access.can_rank(erin, world["medicine"])
    assert not access.can_rank(rita, world["surgery"])
