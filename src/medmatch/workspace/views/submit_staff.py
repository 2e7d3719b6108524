"""The program staff's pages of the submit area: listing upkeep (the intake and its questions) and
a submission's content (versions, CV, statement, answers, documents, letters).

Every row comes through ``workspace.access``: a program or submission that is not of the user's
programs is a 404, for anonymous visitors too. A withdrawn submission stays listed, marked as
such, but its files and letters are no longer served.
"""

from collections.abc import Callable

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmatch.workspace.access import get_staff_program_or_404, get_staff_submission_or_404
from medmatch.workspace.forms.submit import (
    IntakeForm,
    QuestionForm,
    QuestionMoveForm,
    QuestionRetireForm,
)
from medmatch.workspace.models import IntakeQuestion
from medmatch.workspace.staff_files import (
    cv_file,
    document_file,
    letter_file,
    pdf_response,
    staff_version_or_404,
)
from medmatch.workspace.submitting import (
    SubmitError,
    intake_for,
    question_add,
    question_delete,
    question_move,
    question_set_retired,
)

# ---- listing upkeep -----------------------------------------------------------------------------


def _intake_page(request, program, *, form=None, question_form=None, status=200):
    intake = intake_for(program)
    questions = list(intake.questions.all()) if intake.pk else []
    context = {
        "program": program,
        "intake": intake,
        "form": form or IntakeForm(instance=intake),
        "questions": questions,
        "question_form": question_form or QuestionForm(prefix="question"),
    }
    return render(request, "workspace/submit/intake.html", context, status=status)


@require_http_methods(["GET", "POST"])
def edit_intake(request, pk: int):
    program = get_staff_program_or_404(request.user, pk)
    if request.method == "GET":
        return _intake_page(request, program)
    form = IntakeForm(request.POST, instance=intake_for(program))
    if not form.is_valid():
        return _intake_page(request, program, form=form, status=400)
    form.save()  # one row: atomic by itself
    messages.success(request, "Saved how this program takes applications in medmatch.")
    return redirect("workspace:intake", program.pk)


@require_POST
def add_question(request, pk: int):
    program = get_staff_program_or_404(request.user, pk)
    form = QuestionForm(request.POST, prefix="question")
    if not form.is_valid():
        return _intake_page(request, program, question_form=form, status=400)
    question_add(program=program, **form.cleaned_data)
    messages.success(request, "Added the question.")
    return redirect(_questions_url(program))


def _get_question(request, pk: int, question_pk: int) -> IntakeQuestion:
    program = get_staff_program_or_404(request.user, pk)
    question = IntakeQuestion.objects.filter(intake__program=program, pk=question_pk).first()
    if question is None:
        raise Http404("No such question.")
    return question


def _questions_url(program) -> str:
    return reverse("workspace:intake", args=[program.pk]) + "#questions"


@require_POST
def move_question(request, pk: int, question_pk: int):
    question = _get_question(request, pk, question_pk)
    form = QuestionMoveForm(request.POST)
    if form.is_valid():
        question_move(question=question, step=form.step)
    return redirect(_questions_url(question.intake.program))


@require_POST
def retire_question(request, pk: int, question_pk: int):
    question = _get_question(request, pk, question_pk)
    form = QuestionRetireForm(request.POST)
    if form.is_valid():
        question_set_retired(question=question, retired=form.cleaned_data["retired"])
        messages.success(
            request,
            "Retired: new applicants are not asked it."
            if form.cleaned_data["retired"]
            else "New applicants are asked it again.",
        )
    return redirect(_questions_url(question.intake.program))


@require_POST
def delete_question(request, pk: int, question_pk: int):
    question = _get_question(request, pk, question_pk)
    try:
        question_delete(question=question)
    except SubmitError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Deleted the question.")
    return redirect(_questions_url(question.intake.program))


# ---- a submission's content -----------------------------------------------------------------

# What other areas add beside a submission's content (the review area: scores, notes, the
# decision): ``panel(request, submission) -> dict`` merged into the page's context, read by the
# template's ``review_panel`` block (``review_panel_template`` names the partial to include).
SubmissionPanel = Callable[..., dict]
_submission_panels: list[SubmissionPanel] = []


def register_submission_panel(panel: SubmissionPanel) -> None:
    if panel not in _submission_panels:
        _submission_panels.append(panel)


def _version_page(request, submission, version):
    prefetch_related_objects([version], "documents", "letters__request__letter")
    context = {
        "submission": submission,
        "version": version,
        "versions": list(submission.versions.order_by("-number")),
        "is_current": version.pk == submission.current_version_id,
    }
    for panel in _submission_panels:
        context.update(panel(request, submission))
    return render(request, "workspace/submit/submission_staff.html", context)


@require_GET
def show_submission(request, pk: int):
    submission = get_staff_submission_or_404(request.user, pk)
    if submission.current_version is None:
        raise Http404("No such application.")
    return _version_page(request, submission, submission.current_version)


@require_GET
def show_version(request, pk: int, number: int):
    submission, version = staff_version_or_404(request.user, pk, number)
    return _version_page(request, submission, version)


@require_GET
def download_cv(request, pk: int, number: int):
    found = cv_file(request.user, pk, number)
    return pdf_response(found.file, found.filename)


@require_GET
def download_document(request, pk: int, document_pk: int):
    found = document_file(request.user, pk, document_pk)
    return pdf_response(found.file, found.filename)


@require_GET
def download_letter(request, pk: int, letter_pk: int):
    """A letter's PDF, to the staff of the program it was sent to (``workspace.staff_files``)."""
    found = letter_file(request.user, pk, letter_pk)
    return pdf_response(found.file, found.filename)


urlpatterns = [
    path("workspace/programs/<int:pk>/intake/", edit_intake, name="intake"),
    path(
        "workspace/programs/<int:pk>/intake/questions/new/",
        add_question,
        name="intake_question_add",
    ),
    path(
        "workspace/programs/<int:pk>/intake/questions/<int:question_pk>/move/",
        move_question,
        name="intake_question_move",
    ),
    path(
        "workspace/programs/<int:pk>/intake/questions/<int:question_pk>/retire/",
        retire_question,
        name="intake_question_retire",
    ),
    path(
        "workspace/programs/<int:pk>/intake/questions/<int:question_pk>/delete/",
        delete_question,
        name="intake_question_delete",
    ),
    path("workspace/submissions/<int:pk>/", show_submission, name="submission_staff"),
    path(
        "workspace/submissions/<int:pk>/versions/<int:number>/",
        show_version,
        name="submission_staff_version",
    ),
    path(
        "workspace/submissions/<int:pk>/versions/<int:number>/cv.pdf",
        download_cv,
        name="submission_staff_cv",
    ),
    path(
        "workspace/submissions/<int:pk>/documents/<int:document_pk>/",
        download_document,
        name="submission_staff_document",
    ),
    path(
        "workspace/submissions/<int:pk>/letters/<int:letter_pk>/",
        download_letter,
        name="submission_staff_letter",
    ),
]
