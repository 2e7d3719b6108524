"""The files of a submission its program's staff may download: the CV of a version, a document
and a letter. One place for the rule, used by the staff pages (site session) and the API
(a token with the ``program`` scope).

Each finder takes the user and the ids from the URL, fetches the submission through
``workspace.access`` (404 for anyone but the program's verified staff), refuses every file of a
withdrawn submission (the program keeps the record, not the files) and returns the stored file
with the name to download it under. A letter is found only through a version of this submission
that assigned it: this is the only way a program reads a letter (``letters.permissions`` serves
the student alone, and never a waived one).
"""

from dataclasses import dataclass

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from medmatch.letters.models import Letter
from medmatch.workspace.access import get_staff_submission_or_404
from medmatch.workspace.models import Submission, SubmissionDocument, SubmissionVersion


@dataclass(frozen=True)
class StaffFile:
    file: FieldFile  # may be empty (a CV not rendered): ``pdf_response`` answers 404 then
    filename: str


def staff_version_or_404(user, pk: int, number: int) -> tuple[Submission, SubmissionVersion]:
    submission = get_staff_submission_or_404(user, pk)
    version = SubmissionVersion.objects.filter(submission=submission, number=number).first()
    if version is None:
        raise Http404("No such version.")
    return submission, version


def _files_open(submission: Submission) -> None:
    if submission.is_withdrawn:
        raise Http404("No such file.")


def cv_file(user, pk: int, number: int) -> StaffFile:
    submission, version = staff_version_or_404(user, pk, number)
    _files_open(submission)
    return StaffFile(version.cv_pdf, f"cv-{submission.pk}-v{version.number}.pdf")


def document_file(user, pk: int, document_pk: int) -> StaffFile:
    submission = get_staff_submission_or_404(user, pk)
    _files_open(submission)
    document = SubmissionDocument.objects.filter(
        version__submission=submission, pk=document_pk
    ).first()
    if document is None:
        raise Http404("No such file.")
    return StaffFile(document.file, f"{document.kind}-{submission.pk}.pdf")


def letter_file(user, pk: int, letter_pk: int) -> StaffFile:
    submission = get_staff_submission_or_404(user, pk)
    _files_open(submission)
    letter = Letter.objects.filter(
        pk=letter_pk, request__submission_letters__version__submission=submission
    ).first()
    if letter is None:
        raise Http404("No such file.")
    return StaffFile(letter.file, f"letter-{submission.pk}-{letter.pk}.pdf")


def pdf_response(field_file: FieldFile, filename: str) -> FileResponse:
    """A stored PDF as a private, never-cached download (404 when nothing is stored)."""
    if not field_file:
        raise Http404("No such file.")
    response = FileResponse(field_file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
