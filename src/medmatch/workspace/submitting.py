"""Writes of the submit area: a program's listing upkeep (its intake and questions) and a student's
submission (submit, a new version, withdraw).

A submission is a frozen snapshot: the tailored CV rendered to PDF at that moment, the chosen
statement's title and text, the answers with the questions as asked, the attached documents, the
assigned letters (whom from, waived or not) and the profile. Nothing of it changes afterwards; a
change is a new version (``number`` n + 1, with a "what changed" note), and the program sees the
versions as such.

Rules (README, "For programs: the workspace" → "Submitting"):

- a new submission or version only while the program's intake accepts (``Intake.accepts_on``);
- at least ``letters_required`` and at most ``MAX_LETTERS`` letter requests; a letter may still be
  awaited (as in ERAS, a program receives the application before all letters are in);
- withdrawal until the intake's rank deadline (included); a withdrawal is final: the program keeps
  the withdrawn submission marked as such, it cannot be submitted again, and the program no longer
  reads its letters.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from medmatch.applications.cv_pdf import cv_context, render_cv_pdf
from medmatch.applications.models import Application
from medmatch.applications.services import application_move
from medmatch.catalog.models import Specialty
from medmatch.goals.models import GoalProfile
from medmatch.letters import conf as letters_conf
from medmatch.letters.models import LetterAssignment, LetterRequest
from medmatch.workspace.models import (
    MAX_LETTERS,
    Intake,
    IntakeQuestion,
    Submission,
    SubmissionDocument,
    SubmissionLetter,
    SubmissionVersion,
    private_storage,
)
from medmatch.workspace.review_selectors import specialty_interests_column


class SubmitError(ValueError):
    """A submission, version or withdrawal that cannot be made, with a message for the student."""


# ---- listing upkeep -----------------------------------------------------------------------------


def intake_for(program) -> Intake:
    """The program's intake, or an unsaved closed one (a program that never took applications)."""
    return Intake.objects.filter(program=program).first() or Intake(program=program)


@transaction.atomic
def question_add(*, program, text: str, required: bool, max_words: int) -> IntakeQuestion:
    """A new question at the end of the program's list (the intake is made, closed, if needed)."""
    intake, _ = Intake.objects.select_for_update().get_or_create(program=program)
    last = intake.questions.aggregate(last=Max("position"))["last"]
    return IntakeQuestion.objects.create(
        intake=intake,
        position=0 if last is None else last + 1,
        text=text,
        required=required,
        max_words=max_words,
    )


@transaction.atomic
def question_move(*, question: IntakeQuestion, step: int) -> bool:
    """Swap the question with its neighbour (``step`` -1 up, +1 down); False at an edge.
    Positions are renumbered 0, 1, … so equal positions cannot stall a move."""
    if step not in (-1, 1):
        raise ValueError(f"step: {step!r} must be -1 or 1")
    siblings = list(
        IntakeQuestion.objects.select_for_update()
        .filter(intake=question.intake_id)
        .order_by("position", "pk")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == question.pk)
    other = index + step
    if not 0 <= other < len(siblings):
        return False
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    IntakeQuestion.objects.bulk_update(siblings, ["position"])
    return True


def question_is_answered(question: IntakeQuestion) -> bool:
    """Whether any version sent to the program quotes an answer to ``question``. The answers are
    JSON lists (no portable JSON "contains" on SQLite), read per program: a few hundred rows."""
    answers = SubmissionVersion.objects.filter(
        submission__program_id=question.intake.program_id
    ).values_list("answers", flat=True)
    return any(
        answer.get("question_id") == question.pk for version in answers for answer in version
    )


@transaction.atomic
def question_set_retired(*, question: IntakeQuestion, retired: bool) -> None:
    question.retired = retired
    question.save(update_fields=["retired"])


@transaction.atomic
def question_delete(*, question: IntakeQuestion) -> None:
    """Delete a question nobody answered; an answered one is retired instead (``SubmitError``)."""
    question = IntakeQuestion.objects.select_for_update().get(pk=question.pk)
    if question_is_answered(question):
        raise SubmitError(
            "Applicants have answered this question, and their answers quote it, so it cannot be "
            "deleted. Retire it instead: new applicants will not be asked it."
        )
    question.delete()


# ---- the student's submission ---------------------------------------------------------------


@dataclass(frozen=True)
class DocumentFile:
    """A required document as the student sends it: a new upload (``upload`` checked by the
    form, with its SHA-256) or the file of the previous version kept as it was (``kept``)."""

    kind: str
    upload: object = None
    sha256: str = ""
    kept: SubmissionDocument | None = None


def current_intake(program) -> Intake | None:
    return Intake.objects.filter(program=program).first()


def accepts_submissions(application: Application, today: datetime.date) -> bool:
    intake = current_intake(application.program)
    return intake is not None and intake.accepts_on(today)


def statement_text(statement) -> tuple[str, str]:
    return (statement.title, statement.current_body()) if statement else ("", "")


def cv_entries(student, application) -> list[dict]:
    """The tailored CV's entries as plain JSON, section by section, as the PDF shows them."""
    context = cv_context(student, application)
    return [
        {
            "section": section.label,
            "title": entry.title,
            "organisation": entry.organisation,
            "location": entry.location,
            "start": entry.start_date.isoformat() if entry.start_date else None,
            "end": entry.end_date.isoformat() if entry.end_date else None,
            "description": entry.description,
        }
        for section in context["sections"]
        for entry in section.entries
    ]


def submission_submit(
    *,
    application: Application,
    today: datetime.date,
    profile: dict,
    statement,
    letter_requests: list[LetterRequest],
    answers: list[dict],
    documents: list[DocumentFile],
    signal: bool = False,
    note: str = "",
    expected_version: int | None = None,
) -> Submission:
    """Send ``application`` to its program: the first version, or version n + 1 of a submission
    already sent. One transaction: the Submission, its version, the CV PDF, the documents and the
    letters are all written or none is (files written before a failure are removed).

    ``answers`` are ``{"question_id", "question", "answer"}`` in the program's order (the form
    checked required answers and word limits); ``letter_requests`` the student's own, in order.
    ``expected_version`` is the version the student's page showed (0: none): a double click or a
    second tab that sent in between is refused rather than made a version without a note."""
    written: list[str] = []
    try:
        with transaction.atomic():
            return _submit(
                application=application,
                today=today,
                profile=profile,
                statement=statement,
                letter_requests=letter_requests,
                answers=answers,
                documents=documents,
                signal=signal,
                note=note,
                expected_version=expected_version,
                written=written,
            )
    except BaseException:
        for name in written:
            private_storage.delete(name)
        raise


def _submit(
    *,
    application,
    today,
    profile,
    statement,
    letter_requests,
    answers,
    documents,
    signal,
    note,
    expected_version,
    written,
) -> Submission:
    application = (
        Application.objects.select_for_update().select_related("program").get(pk=application.pk)
    )
    intake = current_intake(application.program)
    if intake is None or not intake.accepts_on(today):
        raise SubmitError(
            "This program does not take applications in medmatch today (its intake is closed or "
            "its deadline has passed)."
        )
    if application.status == Application.Status.WITHDRAWN:
        raise SubmitError("You withdrew this application; it cannot be sent again.")
    if not intake.letters_required <= len(letter_requests) <= MAX_LETTERS:
        raise SubmitError(
            f"Assign between {intake.letters_required} and {MAX_LETTERS} letters to this program."
        )
    if any(request.student_id != application.student_id for request in letter_requests):
        raise ValueError("letter_requests: every request must be the student's own")
    if intake.requires_statement and not (statement and statement.current_body().strip()):
        raise SubmitError("This program asks for a personal statement: choose one with text.")
    missing = set(intake.documents) - {document.kind for document in documents}
    if missing:
        raise ValueError(f"documents: missing {sorted(missing)}")

    now = timezone.now()
    submission = Submission.objects.select_for_update().filter(application=application).first()
    if submission is not None and submission.is_withdrawn:
        raise SubmitError("You withdrew this application; it cannot be sent again.")
    current = submission.versions.aggregate(last=Max("number"))["last"] if submission else 0
    if expected_version is not None and current != expected_version:
        raise SubmitError(
            f"This application was sent in the meantime (version {current}), perhaps from "
            "another tab. Open its page again to see what was sent."
        )
    if submission is None:
        submission = Submission.objects.create(
            application=application,
            student=application.student,
            program=application.program,
            submitted_at=now,
            updated_at=now,
        )
        number = 1
    else:
        number = current + 1

    pdf = render_cv_pdf(student=application.student, application=application)
    title, text = statement_text(statement)
    version = SubmissionVersion(
        submission=submission,
        number=number,
        created_at=now,
        profile=profile,
        cv_sha256=hashlib.sha256(pdf).hexdigest(),
        cv_entries=cv_entries(application.student, application),
        statement_title=title,
        statement_text=text,
        answers=answers,
        note=note if number > 1 else "",
    )
    version.cv_pdf.save("cv.pdf", ContentFile(pdf), save=False)
    written.append(version.cv_pdf.name)
    version.save()

    for document in documents:
        row = SubmissionDocument(version=version, kind=document.kind)
        if document.kept is not None:
            # The same stored file: a kept document is not copied (files are never changed).
            row.file.name = document.kept.file.name
            row.size, row.sha256 = document.kept.size, document.kept.sha256
        else:
            row.file.save(f"{document.kind}.pdf", document.upload, save=False)
            written.append(row.file.name)
            row.size, row.sha256 = document.upload.size, document.sha256
        row.save()

    SubmissionLetter.objects.bulk_create(
        SubmissionLetter(
            version=version,
            request=request,
            position=position,
            recommender_name=request.recommender.name,
            # Frozen as the program receives it: waived on the request or on the letter.
            waived=request.confidential,
        )
        for position, request in enumerate(letter_requests)
    )

    _assign_letters(application, letter_requests)

    submission.current_version = version
    submission.updated_at = now
    submission.graduation_year = profile.get("graduation_year")
    submission.needs_visa = profile.get("needs_visa")
    submission.specialty_interests = specialty_interests_column(
        specialty_keys(application.student_id, profile.get("specialty_interest", ""))
    )
    submission.signal = bool(signal and intake.uses_signals)
    submission.save()
    if application.status in Application.BEFORE_SUBMISSION:
        application_move(application=application, status=Application.Status.SUBMITTED)
    return submission


def specialty_keys(student_id: int, written: str) -> list[str]:
    """The canonical specialty keys (ACGME codes) of a submission, for the inbox's filter: the
    specialty the student wrote when it names one exactly, then the specialties of their goals."""
    keys = []
    written = written.strip()
    if written:
        code = (
            Specialty.objects.filter(system=Specialty.System.ACGME, name__iexact=written)
            .values_list("code", flat=True)
            .first()
        )
        if code:
            keys.append(code)
    goals = GoalProfile.objects.filter(student_id=student_id).values_list("data", flat=True).first()
    interests = ((goals or {}).get("specialties") or {}).get("interests") or []
    keys += [str(item.get("specialty", "")) for item in interests if isinstance(item, dict)]
    return [key for key in dict.fromkeys(keys) if key]


def _assign_letters(application, letter_requests) -> None:
    """Record in the letters app that the letters sent are for this application (its planner and
    reminders count this application's deadline), within the letters app's own limit per
    application: a sent letter is never refused for it, only left unrecorded there."""
    assigned = set(
        LetterAssignment.objects.filter(application=application).values_list("request", flat=True)
    )
    counted = LetterAssignment.objects.filter(application=application).exclude(
        request__status=LetterRequest.Status.DECLINED
    )
    room = letters_conf.get("LETTERS_PER_APPLICATION") - counted.count()
    missing = [request for request in letter_requests if request.pk not in assigned]
    LetterAssignment.objects.bulk_create(
        LetterAssignment(request=request, application=application)
        for request in missing[: max(room, 0)]
    )


@transaction.atomic
def submission_withdraw(*, submission: Submission, today: datetime.date) -> None:
    """Withdraw until the rank deadline (included); after it, ``SubmitError``. Final: see the
    module docstring."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.is_withdrawn:
        return
    intake = current_intake(submission.program)
    if intake is not None and not intake.withdrawal_open_on(today):
        day = intake.rank_deadline
        raise SubmitError(
            f"The rank list deadline ({day.day} {day:%B %Y}) has passed, so this application "
            "can no longer be withdrawn here. Write to the program."
        )
    submission.withdrawn_at = timezone.now()
    submission.save(update_fields=["withdrawn_at"])
    application = submission.application
    application_move(application=application, status=Application.Status.WITHDRAWN)
