"""The program side's pages link to each other: the workspace home and the inbox to a program's
interview rounds and intake; a student's submission page and application page to their
invitations. The data export lists a student's invitations without the program's priority."""

import datetime
import json

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medmatch.workspace.slot_rounds import invitation_cancel
from medmatch.workspace.tasks import assign_interview_slots
from tests.workspace.slot_factories import chicago, invite, make_round, rank, students

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def assigned(world, alice, bob):
    """alice holds 9:00; bob waits for 9:00 and holds 10:00; cara holds 11:00."""
    (cara,) = students("cara")
    round_ = make_round(world["medicine"])
    first, second, third = invite(round_, [alice, bob, cara])
    rank(first, 9)
    rank(second, 9, 10)
    rank(third, 11)
    round_.refresh_from_db()
    assign_interview_slots.call(
        (round_.window_closes_at + datetime.timedelta(minutes=1)).isoformat()
    )
    return round_, first, second, third


def test_the_workspace_home_and_the_inbox_link_to_rounds_and_intake(world, erin):
    medicine, surgery = world["medicine"], world["surgery"]
    rounds = reverse("workspace:rounds", args=[medicine.pk])
    intake = reverse("workspace:intake", args=[medicine.pk])
    client = as_user(erin)
    home = client.get(reverse("workspace:home")).content.decode()
    assert f'href="{rounds}"' in home and f'href="{intake}"' in home
    # Only the programs erin works on.
    assert reverse("workspace:rounds", args=[surgery.pk]) not in home
    inbox = client.get(reverse("workspace:inbox", args=[medicine.pk])).content.decode()
    assert f'href="{rounds}"' in inbox and f'href="{intake}"' in inbox


def test_a_students_submission_and_application_pages_link_to_their_invitation(assigned, alice, bob):
    round_, first, second, _ = assigned
    client = as_user(alice)
    url = reverse("workspace:invitation", args=[first.pk])
    page = client.get(reverse("workspace:submission", args=[first.submission_id])).content
    assert f'href="{url}"'.encode() in page and round_.title.encode() in page
    application = client.get(
        reverse("applications:detail", args=[first.submission.application_id])
    ).content
    assert f'href="{url}"'.encode() in application
    # bob's page links to his own invitation only.
    page = as_user(bob).get(reverse("workspace:submission", args=[second.submission_id])).content
    assert reverse("workspace:invitation", args=[second.pk]).encode() in page
    assert f'href="{url}"'.encode() not in page


def test_a_submission_page_without_an_invitation_links_to_none(world, alice):
    from tests.workspace.conftest import submit

    submission = submit(alice, world["medicine"])
    page = as_user(alice).get(reverse("workspace:submission", args=[submission.pk])).content
    assert b"/submissions/invitations/" not in page


def test_the_export_lists_invitations_with_slot_and_cancellation_never_priority(
    assigned, alice, bob
):
    round_, _, second, _ = assigned
    invitation_cancel(invitation_pk=second.pk, now=timezone.now())
    config = apps.get_app_config("workspace")

    (alices,) = config.export_user_data(alice)["invitations"]
    assert alices["round"] == round_.title
    assert alices["program"] == "Internal Medicine"
    assert alices["slot_starts_at"] == chicago(9).astimezone(datetime.UTC).isoformat()
    assert alices["cancelled_at"] is None

    (bobs,) = config.export_user_data(bob)["invitations"]
    assert bobs["cancelled_at"] is not None and bobs["slot_starts_at"] is None
    for data in (config.export_user_data(alice), config.export_user_data(bob)):
        assert "priority" not in json.dumps(data)


def test_the_export_of_a_student_never_invited_has_no_invitations(world, alice):
    assert apps.get_app_config("workspace").export_user_data(alice)["invitations"] == []
