"""The student's side of submitting: a frozen snapshot, versions, letters 1 to 4, the program's
questions and documents, atomicity, withdrawal until the rank deadline, and who sees what."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from medmatch.applications.models import Application, CVEntry, StatusChange
from medmatch.applications.services import statement_save
from medmatch.workspace.models import (
    Intake,
    IntakeQuestion,
    Submission,
    SubmissionDocument,
    SubmissionVersion,
)
from medmatch.workspace.submitting import DocumentFile, SubmitError, submission_submit
from tests.letters.conftest import pdf_bytes
from tests.workspace.submit_factories import (
    SECRET,
    logged_in,
    make_application,
    make_letters,
    make_statement,
    pdf_upload,
    private_media,  # noqa: F401 (fixture)
    submit_data,
)

pytestmark = pytest.mark.usefixtures("private_media")

TODAY = timezone.localdate()


@pytest.fixture
def setup(world, alice):
    """alice's application to Rush medicine, a statement for it, three letters (two waived and
    in, one awaited), a CV entry and one required question."""
    application = make_application(alice, world["medicine"])
    CVEntry.objects.create(student=alice, section="clinical", title="Sub-internship, medicine")
    statement = make_statement(alice, application)
    letters = make_letters(alice, 2) + make_letters(alice, 1, arrived=False)
    intake = world["medicine"].intake
    question = IntakeQuestion.objects.create(
        intake=intake, text="Why Chicago?", required=True, max_words=20
    )
    return {
        "application": application,
        "statement": statement,
        "letters": letters,
        "intake": intake,
        "question": question,
    }


def _url(application) -> str:
    return reverse("workspace:submission_create", args=[application.pk])


def _post(client, setup, **overrides):
    data = submit_data(
        statement=setup["statement"],
        letters=setup["letters"],
        answers={setup["question"].pk: "Because of its patients."},
    )
    data.update(overrides)
    return client.post(_url(setup["application"]), data)


def test_it_submits_a_frozen_snapshot(alice, setup):
    client = logged_in(alice)
    page = client.get(_url(setup["application"]))
    assert page.status_code == 200
    assert b"Sub-internship, medicine" in page.content  # what will be sent
    response = _post(client, setup)
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:submission", args=[submission.pk])
    version = submission.current_version
    assert version.number == 1 and submission.versions.count() == 1
    pdf = version.cv_pdf.open("rb").read()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == version.cv_sha256
    assert [entry["title"] for entry in version.cv_entries] == ["Sub-internship, medicine"]
    assert version.statement_text == "I want to train where patients teach me."
    assert version.answers == [
        {
            "question_id": setup["question"].pk,
            "question": "Why Chicago?",
            "answer": "Because of its patients.",
        }
    ]
    assert version.profile["graduation_year"] == 2026 and version.profile["needs_visa"] is False
    assert submission.graduation_year == 2026 and submission.needs_visa is False
    letters = list(version.letters.all())
    assert [letter.request_id for letter in letters] == [r.pk for r in setup["letters"]]
    assert all(letter.waived for letter in letters)
    # The board moved, with its history kept.
    application = Application.objects.get(pk=setup["application"].pk)
    assert application.status == Application.Status.SUBMITTED
    assert StatusChange.objects.filter(application=application, to_status="submitted").exists()
    # Later edits do not touch what was sent.
    statement_save(statement=setup["statement"], body="Rewritten.", title="New", word_limit=None)
    version.refresh_from_db()
    assert version.statement_text == "I want to train where patients teach me."


def test_it_makes_a_new_version_with_a_note(alice, setup):
    client = logged_in(alice)
    _post(client, setup)
    statement_save(
        statement=setup["statement"], body="A better statement.", title="T", word_limit=None
    )
    # The "what changed" note is required for version 2.
    response = _post(client, setup)
    assert response.status_code == 200 and b"What changed" in response.content
    assert SubmissionVersion.objects.count() == 1
    _post(client, setup, note="Rewrote the statement.")
    submission = Submission.objects.get()
    assert list(submission.versions.values_list("number", flat=True)) == [1, 2]
    current = submission.current_version
    assert current.number == 2 and current.note == "Rewrote the statement."
    assert current.statement_text == "A better statement."
    assert submission.versions.get(number=1).statement_text.startswith("I want to train")
    # Still one submission; the board stays "submitted" (one history entry for it).
    assert StatusChange.objects.filter(to_status="submitted").count() == 1


def test_it_asks_for_at_least_the_required_letters_and_at_most_four(alice, setup):
    client = logged_in(alice)
    response = _post(client, setup, letters=[str(r.pk) for r in setup["letters"][:2]])
    assert b"you chose 2; choose at least 3 and at most 4" in response.content
    five = setup["letters"] + make_letters(alice, 2)
    response = _post(client, setup, letters=[str(r.pk) for r in five])
    assert b"you chose 5; choose at least 3 and at most 4" in response.content
    assert not Submission.objects.exists()
    # A letter not arrived yet counts: the program receives it when it arrives (as in ERAS).
    assert not setup["letters"][2].is_in
    assert _post(client, setup).status_code == 302


def test_it_refuses_letters_of_another_student(alice, bob, setup):
    bobs = make_letters(bob, 1)
    response = _post(client := logged_in(alice), setup, letters=[str(bobs[0].pk)])
    assert response.status_code == 200 and not Submission.objects.exists()
    assert client.get(_url(setup["application"])).status_code == 200
    with pytest.raises(ValueError, match="student's own"):
        submission_submit(
            application=setup["application"],
            today=TODAY,
            profile={},
            statement=setup["statement"],
            letter_requests=setup["letters"][:2] + bobs,
            answers=[],
            documents=[],
        )


def test_it_requires_required_answers_and_keeps_to_the_word_limit(alice, setup):
    optional = IntakeQuestion.objects.create(
        intake=setup["intake"], text="Anything else?", required=False, max_words=10
    )
    IntakeQuestion.objects.create(intake=setup["intake"], text="Old question", retired=True)
    client = logged_in(alice)
    page = client.get(_url(setup["application"]))
    assert b"Anything else?" in page.content and b"Old question" not in page.content
    response = _post(client, setup, **{f"answer_{setup['question'].pk}": ""})
    assert b"This field is required." in response.content
    response = _post(client, setup, **{f"answer_{setup['question'].pk}": "word " * 21})
    assert b"Why Chicago?: 21 words; the limit is 20." in response.content
    assert not Submission.objects.exists()
    assert _post(client, setup).status_code == 302
    answers = Submission.objects.get().current_version.answers
    assert [a["question_id"] for a in answers] == [setup["question"].pk, optional.pk]
    assert answers[1]["answer"] == ""


def test_it_asks_for_a_statement_when_the_program_does(alice, setup):
    client = logged_in(alice)
    response = _post(client, setup, statement="")
    assert b"This field is required." in response.content
    empty = make_statement(alice, body="")
    response = _post(client, setup, statement=str(empty.pk))
    assert b"this one has no text yet" in response.content
    # An id that is no id, or another student's statement: a form error, not a 500.
    for value in ("100000000000000000000", "1x", "٣"):
        assert _post(client, setup, statement=value).status_code == 200
    assert not Submission.objects.exists()
    # A general statement (not a variant) is fine too.
    general = make_statement(alice, body="My general statement.")
    assert _post(client, setup, statement=str(general.pk)).status_code == 302
    assert Submission.objects.get().current_version.statement_title == general.title


def test_it_checks_the_profile(alice, setup):
    client = logged_in(alice)
    for year in ("1800", "٢٠٢٦", "twenty", ""):
        response = _post(client, setup, graduation_year=year)
        assert response.status_code == 200, year
    response = _post(client, setup, full_name="Alice\nExample")
    assert response.status_code == 200
    assert not Submission.objects.exists()


@pytest.fixture
def with_documents(setup):
    Intake.objects.filter(pk=setup["intake"].pk).update(documents=["mspe", "transcript"])
    setup["intake"].refresh_from_db()
    return setup


def _documents(**uploads):
    return {f"document_{kind}": upload for kind, upload in uploads.items()}


def test_it_refuses_a_document_that_is_not_a_good_pdf(alice, with_documents, settings):
    client = logged_in(alice)
    png = pdf_upload("mspe.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    response = _post(client, with_documents, **_documents(mspe=png, transcript=pdf_upload()))
    assert b"This file is not a PDF (it looks like a PNG image)" in response.content
    settings.LETTERS_MAX_UPLOAD_BYTES = 2000
    big = pdf_upload("mspe.pdf", pdf_bytes(3000))
    response = _post(client, with_documents, **_documents(mspe=big, transcript=pdf_upload()))
    assert b"documents can be at most" in response.content
    settings.LETTERS_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
    objects = [
        b"<</Type/Catalog/Pages 2 0 R/Names<</JavaScript<</Names[(a) 4 0 R]>>>>>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>",
        b"<</S/JavaScript/JS(app.alert(1))>>",
    ]
    script = pdf_upload("mspe.pdf", pdf_bytes(objects=objects))
    response = _post(client, with_documents, **_documents(mspe=script, transcript=pdf_upload()))
    assert b"JavaScript" in response.content
    response = _post(client, with_documents, **_documents(transcript=pdf_upload()))
    assert b"This field is required." in response.content
    assert not Submission.objects.exists()
    response = _post(
        client, with_documents, **_documents(mspe=pdf_upload(), transcript=pdf_upload())
    )
    assert response.status_code == 302
    version = Submission.objects.get().current_version
    assert sorted(version.documents.values_list("kind", flat=True)) == ["mspe", "transcript"]


def test_a_new_version_keeps_a_document_not_sent_again(alice, with_documents):
    client = logged_in(alice)
    _post(client, with_documents, **_documents(mspe=pdf_upload(), transcript=pdf_upload()))
    _post(client, with_documents, note="New transcript", **_documents(transcript=pdf_upload()))
    first, second = SubmissionVersion.objects.order_by("number")
    assert second.number == 2
    assert second.documents.get(kind="mspe").file.name == first.documents.get(kind="mspe").file.name
    assert (
        second.documents.get(kind="transcript").file.name
        != first.documents.get(kind="transcript").file.name
    )


def test_a_failing_document_upload_leaves_no_submission(
    alice, with_documents, monkeypatch, settings
):
    from medmatch.workspace.models import private_storage

    real_save = type(private_storage)._save
    saved = []

    def save(storage, name, content):
        if len(saved) == 2:  # the CV and the first document are written; the second fails
            raise OSError("disk full")
        saved.append(name)
        return real_save(storage, name, content)

    monkeypatch.setattr(type(private_storage), "_save", save)
    documents = [
        DocumentFile(kind="mspe", upload=pdf_upload(), sha256="0" * 64),
        DocumentFile(kind="transcript", upload=pdf_upload(), sha256="0" * 64),
    ]
    with pytest.raises(OSError, match="disk full"):
        submission_submit(
            application=with_documents["application"],
            today=TODAY,
            profile={"graduation_year": 2026},
            statement=with_documents["statement"],
            letter_requests=with_documents["letters"],
            answers=[],
            documents=documents,
        )
    assert not Submission.objects.exists()
    assert not SubmissionVersion.objects.exists() and not SubmissionDocument.objects.exists()
    application = Application.objects.get(pk=with_documents["application"].pk)
    assert application.status == Application.Status.RESEARCHING
    # The files written before the failure are gone too.
    submissions_dir = settings.MEDIA_ROOT / "private" / "submissions"
    assert len(saved) == 2
    assert not submissions_dir.exists() or not any(submissions_dir.iterdir())


def test_it_offers_no_submit_where_the_program_does_not_take_applications(alice, setup):
    client = logged_in(alice)
    url = _url(setup["application"])
    Intake.objects.filter(pk=setup["intake"].pk).update(deadline=TODAY - datetime.timedelta(1))
    assert client.get(url).status_code == 404
    Intake.objects.filter(pk=setup["intake"].pk).update(deadline=None, is_open=False)
    assert client.get(url).status_code == 404
    assert _post(client, setup).status_code == 404
    Intake.objects.filter(pk=setup["intake"].pk).delete()
    assert client.get(url).status_code == 404
    with pytest.raises(SubmitError, match="does not take applications"):
        submission_submit(
            application=setup["application"],
            today=TODAY,
            profile={},
            statement=setup["statement"],
            letter_requests=setup["letters"],
            answers=[],
            documents=[],
        )
    assert not Submission.objects.exists()


def test_it_withdraws_until_the_rank_deadline_and_never_resubmits(alice, setup):
    client = logged_in(alice)
    _post(client, setup)
    submission = Submission.objects.get()
    Intake.objects.filter(pk=setup["intake"].pk).update(rank_deadline=TODAY)
    withdraw = reverse("workspace:submission_withdraw", args=[submission.pk])
    assert client.get(withdraw).status_code == 200
    assert client.post(withdraw, {}).status_code == 200  # the confirmation is required
    assert client.post(withdraw, {"confirm": "on"}).status_code == 302
    submission.refresh_from_db()
    assert submission.is_withdrawn
    application = Application.objects.get(pk=setup["application"].pk)
    assert application.status == Application.Status.WITHDRAWN
    # Final: the submit page sends the student back to the submission with a message.
    response = client.get(_url(setup["application"]), follow=True)
    assert b"You withdrew this application; it cannot be sent again." in response.content
    assert _post(client, setup, note="again").status_code == 302
    assert SubmissionVersion.objects.count() == 1
    with pytest.raises(SubmitError, match="withdrew"):
        submission_submit(
            application=setup["application"],
            today=TODAY,
            profile={},
            statement=setup["statement"],
            letter_requests=setup["letters"],
            answers=[],
            documents=[],
        )


def test_it_refuses_withdrawal_after_the_rank_deadline(alice, setup):
    client = logged_in(alice)
    _post(client, setup)
    submission = Submission.objects.get()
    yesterday = TODAY - datetime.timedelta(days=1)
    Intake.objects.filter(pk=setup["intake"].pk).update(rank_deadline=yesterday)
    page = client.get(reverse("workspace:submission", args=[submission.pk]))
    assert b"withdrawing is no longer possible here" in page.content
    withdraw = reverse("workspace:submission_withdraw", args=[submission.pk])
    response = client.post(withdraw, {"confirm": "on"}, follow=True)
    assert b"The rank list deadline" in response.content and b"has passed" in response.content
    submission.refresh_from_db()
    assert not submission.is_withdrawn
    assert Application.objects.get(pk=setup["application"].pk).status == "submitted"


def test_the_student_page_shows_what_was_sent_never_the_decision(alice, setup):
    client = logged_in(alice)
    _post(client, setup)
    submission = Submission.objects.get()
    Submission.objects.filter(pk=submission.pk).update(
        decision=Submission.Decision.DECLINE, invited_at=timezone.now()
    )
    page = client.get(reverse("workspace:submission", args=[submission.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Version 1" in text and "Why Chicago?" in text and "Because of its patients." in text
    assert "The program invited you to interview" in text
    assert "Dr. Writer 0 —\n      arrived" in text and "not arrived yet" in text
    for hidden in ("Decline", "decline", "Hold", "score", SECRET.decode(), "confidential.pdf"):
        assert hidden not in text
    # No link to the letters' content.
    assert "letter.pdf" not in text and "/workspace/" not in text
    cv = client.get(reverse("workspace:submission_cv", args=[submission.pk, 1]))
    assert cv.status_code == 200 and b"".join(cv.streaming_content).startswith(b"%PDF")


def test_everyone_else_gets_a_404(world, alice, bob, erin, gina, frank, with_documents):
    client = logged_in(alice)
    _post(client, with_documents, **_documents(mspe=pdf_upload(), transcript=pdf_upload()))
    submission = Submission.objects.get()
    document = SubmissionDocument.objects.first()
    urls = [
        (_url(with_documents["application"]), "get"),
        (_url(with_documents["application"]), "post"),
        (reverse("workspace:submission", args=[submission.pk]), "get"),
        (reverse("workspace:submission_withdraw", args=[submission.pk]), "get"),
        (reverse("workspace:submission_withdraw", args=[submission.pk]), "post"),
        (reverse("workspace:submission_cv", args=[submission.pk, 1]), "get"),
        (reverse("workspace:submission_document", args=[submission.pk, document.pk]), "get"),
    ]
    for user in (bob, erin, gina, frank, None):
        other = logged_in(user)
        for url, method in urls:
            data = {"confirm": "on"} if method == "post" else None
            response = getattr(other, method)(url, data) if data else getattr(other, method)(url)
            assert response.status_code == 404, (user, url, method)
    submission.refresh_from_db()
    assert not submission.is_withdrawn and SubmissionVersion.objects.count() == 1


def test_the_export_holds_what_was_sent_never_the_programs_side(alice, setup):
    from medmatch.accounts.services import account_export

    _post(logged_in(alice), setup)
    Submission.objects.update(decision=Submission.Decision.HOLD)
    exported = account_export(user=alice)["workspace"]["submissions"]
    assert len(exported) == 1
    version = exported[0]["versions"][0]
    assert version["statement_text"] == "I want to train where patients teach me."
    assert version["answers"][0]["answer"] == "Because of its patients."
    assert [letter["recommender"] for letter in version["letters"]] == [
        "Dr. Writer 0",
        "Dr. Writer 1",
        "Dr. Writer 0",
    ]
    text = str(exported)
    assert "hold" not in text and "decision" not in text and SECRET.decode() not in text


def test_a_second_tab_does_not_make_a_version_without_a_note(alice, setup):
    arguments = {
        "application": setup["application"],
        "today": TODAY,
        "profile": {"graduation_year": 2026},
        "statement": setup["statement"],
        "letter_requests": setup["letters"],
        "answers": [],
        "documents": [],
        "expected_version": 0,
    }
    submission_submit(**arguments)
    with pytest.raises(SubmitError, match="sent in the meantime"):
        submission_submit(**arguments)
    assert SubmissionVersion.objects.count() == 1
    submission_submit(**{**arguments, "expected_version": 1, "note": "Second"})
    assert SubmissionVersion.objects.count() == 2


def test_the_letters_sent_are_recorded_as_assigned_in_the_letters_app(alice, setup):
    from medmatch.letters.models import LetterAssignment

    _post(logged_in(alice), setup)
    assigned = LetterAssignment.objects.filter(application=setup["application"])
    assert sorted(assigned.values_list("request", flat=True)) == [r.pk for r in setup["letters"]]
    # The submit page preselects them next time.
    page = logged_in(alice).get(_url(setup["application"]))
    assert page.content.count(b'name="letters" value="') == 3
    assert page.content.count(b"checked") >= 3
