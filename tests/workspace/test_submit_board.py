"""The student's board and application page offer "Submit in medmatch" where the program takes
applications here today, and show the submission's state once sent (through the applications
app's extension point: applications never imports workspace)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from medmatch.applications.models import Application
from medmatch.workspace.models import Intake, Submission
from tests.catalog.factories import make_program
from tests.workspace.conftest import submit
from tests.workspace.submit_factories import logged_in, make_application

SUBMIT = b"Submit in medmatch"


def _board(client) -> bytes:
    return client.get(reverse("applications:board")).content


def test_the_board_offers_submit_where_the_program_takes_applications_here(world, alice):
    application = make_application(alice, world["medicine"])
    elsewhere = make_application(alice, make_program("Pediatrics", institution=world["rush"]))
    client = logged_in(alice)
    board = _board(client)
    assert board.count(SUBMIT) == 1
    assert reverse("workspace:submission_create", args=[application.pk]).encode() in board
    assert reverse("workspace:submission_create", args=[elsewhere.pk]).encode() not in board
    detail = client.get(reverse("applications:detail", args=[application.pk])).content
    assert SUBMIT in detail
    assert SUBMIT not in client.get(reverse("applications:detail", args=[elsewhere.pk])).content


@pytest.mark.parametrize(
    "change",
    [
        {"is_open": False},
        {"deadline": timezone.localdate() - datetime.timedelta(days=1)},
        {"opens_on": timezone.localdate() + datetime.timedelta(days=1)},
    ],
)
def test_no_submit_when_the_intake_does_not_accept_today(world, alice, change):
    make_application(alice, world["medicine"])
    Intake.objects.filter(program=world["medicine"]).update(**change)
    assert SUBMIT not in _board(logged_in(alice))


def test_the_board_shows_the_state_once_sent_never_the_decision(world, alice, bob):
    submission = submit(alice, world["medicine"])
    Submission.objects.filter(pk=submission.pk).update(decision="decline")
    client = logged_in(alice)
    board = _board(client).decode()
    assert "Sent in medmatch (version 1" in board and SUBMIT.decode() not in board
    assert reverse("workspace:submission", args=[submission.pk]) in board
    assert "Decline" not in board and "decline" not in board
    Submission.objects.filter(pk=submission.pk).update(invited_at=timezone.now())
    assert "Invited to interview." in _board(client).decode()
    Submission.objects.filter(pk=submission.pk).update(withdrawn_at=timezone.now())
    detail = client.get(reverse("applications:detail", args=[submission.application_id]))
    assert b"Withdrawn in medmatch on" in detail.content
    # bob's board knows nothing of alice's submission.
    assert b"Sent in medmatch" not in _board(logged_in(bob))


def test_a_moved_card_keeps_its_link(world, alice):
    application = make_application(alice, world["medicine"])
    response = logged_in(alice).post(
        reverse("applications:move", args=[application.pk]),
        {"status": Application.Status.PREPARING},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and SUBMIT in response.content


# ---- the board's "Withdrawn" column withdraws what was sent in medmatch ----------------------


def _move(client, application, *, confirm=False, htmx=False):
    data = {"status": "withdrawn", **({"confirm": "on"} if confirm else {})}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("applications:move", args=[application.pk]), data, **headers)


def test_moving_to_withdrawn_asks_first_then_withdraws_the_submission(world, alice):
    submission = submit(alice, world["medicine"])
    application = submission.application
    client = logged_in(alice)
    # Asked first, with the page (no JavaScript) and with a 409 for the drag and drop.
    asked = _move(client, application)
    assert asked.status_code == 200
    assert "also withdraws your application sent to Internal Medicine in medmatch" in (
        asked.content.decode()
    )
    assert _move(client, application, htmx=True).status_code == 409
    submission.refresh_from_db()
    application.refresh_from_db()
    assert submission.withdrawn_at is None and application.status == Application.Status.SUBMITTED
    # Confirmed: the submission is withdrawn (the program sees it) and the card moves, once.
    assert _move(client, application, confirm=True).status_code == 302
    submission.refresh_from_db()
    application.refresh_from_db()
    assert submission.withdrawn_at is not None
    assert application.status == Application.Status.WITHDRAWN
    assert application.status_changes.filter(to_status="withdrawn").count() == 1
    assert "Withdrawn in medmatch on" in _board(client).decode()


def test_after_the_rank_deadline_the_card_does_not_move_and_says_why(world, alice):
    submission = submit(alice, world["medicine"])
    Intake.objects.filter(program=world["medicine"]).update(
        rank_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    client = logged_in(alice)
    refused = _move(client, submission.application, confirm=True, htmx=True)
    assert refused.status_code == 400
    assert "rank list deadline" in refused.content.decode()
    response = _move(client, submission.application, confirm=True)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.withdrawn_at is None
    assert submission.application.status == Application.Status.SUBMITTED


def test_an_application_not_sent_in_medmatch_moves_at_once(world, alice, bob):
    application = make_application(alice, world["medicine"])
    # Another student's live submission to the same program changes nothing for alice.
    submit(bob, world["medicine"])
    assert _move(logged_in(alice), application).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
