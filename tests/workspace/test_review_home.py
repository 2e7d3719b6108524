"""The workspace home: each of the user's programs with the cycle's counts and bars, and the
"Workspace" navigation item for coordinators only."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medmatch.workspace.access import staff_programs
from medmatch.workspace.models import (
    InterviewSlot,
    Invitation,
    RubricCriterion,
    SlotRound,
    Submission,
)
from medmatch.workspace.review_selectors import dashboards
from medmatch.workspace.review_services import decisions_set, review_save
from tests.personas import make_user
from tests.workspace.conftest import submit

pytestmark = pytest.mark.django_db


def _students(count):
    return [make_user(f"student{number}") for number in range(count)]


def test_it_counts_the_cycle(world, erin, gina):
    medicine = world["medicine"]
    rows = [submit(student, medicine) for student in _students(8)]
    submit(make_user("elsewhere"), world["surgery"])
    criterion = RubricCriterion.objects.create(program=medicine, name="Grades")
    for row in rows[:3]:
        review_save(submission=row, reviewer=erin, scores={str(criterion.pk): 3}, flags=[], note="")
    decisions_set(
        program=medicine, submission_ids=[rows[0].pk, rows[3].pk], decision="invite", by=erin
    )
    decisions_set(program=medicine, submission_ids=[rows[4].pk], decision="hold", by=erin)
    decisions_set(program=medicine, submission_ids=[rows[5].pk], decision="decline", by=erin)
    Submission.objects.filter(pk=rows[7].pk).update(withdrawn_at=timezone.now())
    now = timezone.now()
    round_ = SlotRound.objects.create(
        program=medicine, title="October", time_zone="America/Chicago", window_closes_at=now
    )
    past = InterviewSlot.objects.create(round=round_, starts_at=now - datetime.timedelta(days=1))
    future = InterviewSlot.objects.create(round=round_, starts_at=now + datetime.timedelta(days=1))
    Invitation.objects.create(round=round_, submission=rows[0], priority=1, assigned_slot=past)
    Invitation.objects.create(round=round_, submission=rows[3], priority=2, assigned_slot=future)
    Invitation.objects.create(
        round=round_, submission=rows[4], priority=3, assigned_slot=past, cancelled_at=now
    )
    [dashboard] = dashboards(staff_programs(erin))
    assert dashboard.counts == {
        "received": 8,
        "withdrawn": 1,
        # rows 1 and 2 reviewed, undecided; row 6 neither reviewed nor decided
        "in_review": 2,
        "unreviewed": 1,
        "invited": 2,
        "held": 1,
        "declined": 1,
        "interviewed": 1,
    }
    bars = {bar["key"]: bar["width"] for bar in dashboard.bars}
    assert bars["received"] == 100 and bars["invited"] == 25


def test_the_home_shows_each_program_with_its_chart(
    world, erin, alice, django_assert_max_num_queries
):
    submit(alice, world["medicine"])
    client = Client()
    client.force_login(erin)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("workspace:home"))
    page = response.content.decode()
    assert "Internal Medicine" in page and "Surgery" not in page
    assert 'class="cycle-bar" style="width: 100%"' in page
    assert reverse("workspace:inbox", args=[world["medicine"].pk]) in page
    assert reverse("workspace:rubric", args=[world["medicine"].pk]) in page


def test_an_unverified_coordinator_is_told_why_the_home_is_empty(world, frank):
    client = Client()
    client.force_login(frank)
    page = client.get(reverse("workspace:home")).content.decode()
    assert "staff have not verified you" in page
    assert reverse("contributions:coordinator") in page


def test_only_coordinators_see_the_workspace_in_the_navigation(world, erin, alice):
    workspace = reverse("workspace:home")
    for user, shown in ((erin, True), (alice, False)):
        client = Client()
        client.force_login(user)
        nav = client.get(reverse("catalog:programs")).context["nav"]
        assert (workspace in [item["url"] for item in nav]) is shown, user.username
    anonymous = Client().get(reverse("catalog:programs")).context["nav"]
    assert workspace not in [item["url"] for item in anonymous]
