"""The program's view of a submission: the current version, earlier ones as such, the CV,
documents and letters — and the letter rule: a program reads a letter only when it was sent to
that program in a submission that is not withdrawn; everyone else gets 404."""

import pytest
from django.urls import reverse

from medmatch.letters.permissions import can_read_letter
from medmatch.workspace.models import Intake, Submission, SubmissionDocument
from medmatch.workspace.views import submit_staff
from tests.workspace.submit_factories import (
    SECRET,
    logged_in,
    make_application,
    make_letter_request,
    make_letters,
    make_statement,
    pdf_upload,
    private_media,  # noqa: F401 (fixture)
    submit_data,
)

pytestmark = pytest.mark.usefixtures("private_media")


def _send(student, program, letters, **extra):
    application = make_application(student, program)
    statement = make_statement(student, application)
    data = submit_data(statement=statement, letters=letters, **extra)
    url = reverse("workspace:submission_create", args=[application.pk])
    response = logged_in(student).post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return Submission.objects.get(application=application)


@pytest.fixture
def sent(world, alice):
    """alice sent Rush medicine three waived letters, an MSPE, then a second version."""
    Intake.objects.filter(program=world["medicine"]).update(documents=["mspe"])
    letters = make_letters(alice, 3)
    submission = _send(alice, world["medicine"], letters, document_mspe=pdf_upload())
    _send(alice, world["medicine"], letters, note="Fixed a typo")
    submission.refresh_from_db()
    return {"submission": submission, "letters": letters}


def _read(client, url) -> tuple[int, bytes]:
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def _letter_url(submission, request) -> str:
    return reverse("workspace:submission_staff_letter", args=[submission.pk, request.letter.pk])


def test_staff_see_the_current_version_and_earlier_ones_as_such(erin, sent):
    submission = sent["submission"]
    client = logged_in(erin)
    page = client.get(reverse("workspace:submission_staff", args=[submission.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "You are reading the current version, 2 of 2" in text
    assert "Fixed a typo" in text and "Alice Example" in text
    assert "I want to train where patients teach me." in text
    assert 'id="versions-heading"' in text and "Version 1</a>" in text
    earlier = client.get(reverse("workspace:submission_staff_version", args=[submission.pk, 1]))
    assert b"You are reading version 1, an earlier one." in earlier.content
    status, body = _read(client, reverse("workspace:submission_staff_cv", args=[submission.pk, 1]))
    assert status == 200 and body.startswith(b"%PDF")
    document = SubmissionDocument.objects.filter(version=submission.current_version).get()
    url = reverse("workspace:submission_staff_document", args=[submission.pk, document.pk])
    status, body = _read(client, url)
    assert status == 200 and body.startswith(b"%PDF")
    # Each arrived letter is linked for the program, waived or not.
    for request in sent["letters"]:
        assert _letter_url(submission, request) in text


def test_the_program_reads_a_waived_letter_sent_to_it(erin, rita, alice, sent):
    submission, request = sent["submission"], sent["letters"][0]
    for user in (erin, rita):
        status, body = _read(logged_in(user), _letter_url(submission, request))
        assert status == 200 and SECRET in body
    # The student it is about never does: not here, not through the letters app.
    status, body = _read(logged_in(alice), _letter_url(submission, request))
    assert status == 404 and SECRET not in body
    assert not can_read_letter(alice, request.letter)
    url = reverse("letters:letter_download", args=[request.pk])
    assert _read(logged_in(alice), url)[0] == 404
    assert _read(logged_in(erin), url)[0] == 404  # programs read letters on the program side


def test_a_letter_sent_only_in_an_earlier_version_stays_readable(world, erin, alice):
    first = make_letters(alice, 3)
    fourth = make_letter_request(alice, "Dr. Earlier")
    submission = _send(alice, world["medicine"], [*first, fourth])
    _send(alice, world["medicine"], first, note="Dropped a letter")
    assert _read(logged_in(erin), _letter_url(submission, fourth))[0] == 200


def test_a_letter_not_sent_to_this_submission_is_a_404(world, erin, gina, alice, sent):
    submission = sent["submission"]
    other = make_letter_request(alice, "Dr. Not Sent")
    assert _read(logged_in(erin), _letter_url(submission, other))[0] == 404
    # Sent to Northwestern only: Rush's staff cannot read it through their own submission, and
    # Northwestern's staff cannot through Rush's.
    surgery_letters = make_letters(alice, 3)
    surgery = _send(alice, world["surgery"], surgery_letters)
    assert _read(logged_in(erin), _letter_url(submission, surgery_letters[0]))[0] == 404
    assert _read(logged_in(erin), _letter_url(surgery, surgery_letters[0]))[0] == 404
    status, body = _read(logged_in(gina), _letter_url(surgery, surgery_letters[0]))
    assert status == 200 and SECRET in body
    assert _read(logged_in(gina), _letter_url(surgery, sent["letters"][0]))[0] == 404


def test_a_withdrawn_submission_serves_no_files(erin, alice, sent):
    submission = sent["submission"]
    withdraw = reverse("workspace:submission_withdraw", args=[submission.pk])
    logged_in(alice).post(withdraw, {"confirm": "on"})
    client = logged_in(erin)
    page = client.get(reverse("workspace:submission_staff", args=[submission.pk]))
    assert b"The applicant withdrew this application" in page.content
    assert _letter_url(submission, sent["letters"][0]).encode() not in page.content
    document = SubmissionDocument.objects.first()
    for url in (
        _letter_url(submission, sent["letters"][0]),
        reverse("workspace:submission_staff_cv", args=[submission.pk, 2]),
        reverse("workspace:submission_staff_document", args=[submission.pk, document.pk]),
    ):
        assert _read(client, url)[0] == 404


def test_everyone_else_gets_a_404(gina, frank, alice, bob, sent):
    submission = sent["submission"]
    document = SubmissionDocument.objects.first()
    urls = [
        reverse("workspace:submission_staff", args=[submission.pk]),
        reverse("workspace:submission_staff_version", args=[submission.pk, 1]),
        reverse("workspace:submission_staff_cv", args=[submission.pk, 1]),
        reverse("workspace:submission_staff_document", args=[submission.pk, document.pk]),
        _letter_url(submission, sent["letters"][0]),
    ]
    for user in (gina, frank, alice, bob, None):
        client = logged_in(user)
        for url in urls:
            status, body = _read(client, url)
            assert status == 404, (user, url)
            assert SECRET not in body and b"%PDF" not in body


def test_an_unknown_version_is_a_404(erin, sent):
    url = reverse("workspace:submission_staff_version", args=[sent["submission"].pk, 9])
    assert logged_in(erin).get(url).status_code == 404


def test_the_review_area_can_add_its_panel(erin, sent, monkeypatch):
    monkeypatch.setattr(submit_staff, "_submission_panels", [])
    submit_staff.register_submission_panel(
        lambda request, submission: {"review_panel_template": "workspace/submit/_field.html"}
    )
    page = logged_in(erin).get(reverse("workspace:submission_staff", args=[sent["submission"].pk]))
    assert b'<div class="field' in page.content
