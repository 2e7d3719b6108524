"""The program side's access helpers: staff reach their own programs' rows, nobody else does."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from medmatch.workspace import access
from tests.contributions.conftest import make_coordinatorship
from tests.personas import make_user
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


def test_the_inbox_heading_follows_the_same_rule_as_the_program_helper(
    world, erin, rita, gina, frank, alice
):
    """The inbox's hand-written query (``get_staff_program_heading_or_404``) and the ORM helper
    agree for every persona and program: the same programs reached, the same 404s."""
    from medmatch.catalog.models import Program
    from medmatch.workspace.models import Intake

    world["surgery"].intake.delete()  # a program that never took applications here
    Intake.objects.filter(program=world["medicine"]).update(uses_signals=True)
    inactive = make_user("ivy", role="coordinator", email="ivy@rush.edu")
    make_coordinatorship(inactive, world["rush"])
    inactive.is_active = False
    inactive.save()
    missing = Program.objects.order_by("-pk").first().pk + 1
    for user in (erin, rita, gina, frank, alice, inactive, AnonymousUser(), None):
        for pk in (world["medicine"].pk, world["surgery"].pk, missing):
            try:
                program = access.get_staff_program_or_404(user, pk)
            except Http404:
                with pytest.raises(Http404):
                    access.get_staff_program_heading_or_404(user, pk)
                continue
            heading = access.get_staff_program_heading_or_404(user, pk)
            assert (
                heading.pk,
                heading.title,
                heading.institution_name,
                heading.specialty_name,
            ) == (
                program.pk,
                program.title,
                program.institution.name,
                program.specialty.name,
            )
    assert access.get_staff_program_heading_or_404(erin, world["medicine"].pk).uses_signals
    assert not access.get_staff_program_heading_or_404(gina, world["surgery"].pk).uses_signals


def test_an_id_past_the_column_range_is_a_404_for_the_inbox_heading(world, erin):
    for pk in (0, -1, 2**63, 10**20):
        with pytest.raises(Http404):
            access.get_staff_program_heading_or_404(erin, pk)
