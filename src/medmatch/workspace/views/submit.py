"""submit pages of the program side (see views/__init__.py): the student's side here — send an
application to a program that takes applications in medmatch, its page (versions, what was sent,
the letters' arrival, an invitation), a new version, withdrawal; the program staff's listing
upkeep and their view of a submission in ``submit_staff``.

Every object is the student's own, fetched with ``get_owned_or_404``: anyone else, anonymous
included, gets 404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from medmatch.applications.models import Application
from medmatch.lib.access import get_owned_or_404
from medmatch.workspace.forms.submit import SubmitForm, WithdrawForm
from medmatch.workspace.models import (
    Invitation,
    Submission,
    SubmissionDocument,
    SubmissionVersion,
)
from medmatch.workspace.staff_files import pdf_response
from medmatch.workspace.submitting import (
    SubmitError,
    current_intake,
    cv_entries,
    submission_submit,
    submission_withdraw,
)
from medmatch.workspace.views import submit_staff


def _get_submission(request, pk: int) -> Submission:
    queryset = Submission.objects.select_related(
        "program__institution", "application", "current_version"
    )
    return get_owned_or_404(queryset, request.user, pk=pk)


def _initial(user, application, previous) -> dict:
    if previous is not None:
        profile = previous.profile
        initial = {
            "full_name": profile.get("name", ""),
            "email": profile.get("email", ""),
            "school": profile.get("school", ""),
            "graduation_year": profile.get("graduation_year"),
            "needs_visa": {True: "yes", False: "no"}.get(profile.get("needs_visa"), ""),
            "specialty_interest": profile.get("specialty_interest", ""),
            "signal": profile.get("signal", False),
            "letters": [letter.request_id for letter in previous.letters.all()],
        }
        initial["statement"] = application.statements.order_by("-updated_at", "-pk").first()
        return initial
    specialty = application.program.specialty
    return {
        "full_name": user.get_full_name(),
        "email": user.email,
        "specialty_interest": specialty.name if specialty else "",
        "letters": list(application.letter_requests.values_list("pk", flat=True)[:4]),
        "statement": application.statements.order_by("-updated_at", "-pk").first(),
    }


@require_http_methods(["GET", "POST"])
def submit_application(request, application_pk: int):
    application = get_owned_or_404(
        Application.objects.with_program(), request.user, pk=application_pk
    )
    submission = Submission.objects.filter(application=application).first()
    if submission is not None and submission.is_withdrawn:
        messages.error(request, "You withdrew this application; it cannot be sent again.")
        return redirect("workspace:submission", submission.pk)
    today = timezone.localdate()
    intake = current_intake(application.program)
    if intake is None or not intake.accepts_on(today):
        raise Http404("This program does not take applications in medmatch today.")
    previous = submission.current_version if submission else None
    questions = intake.questions.filter(retired=False)
    form = SubmitForm(
        request.POST or None,
        request.FILES or None,
        application=application,
        intake=intake,
        questions=questions,
        previous=previous,
        initial=_initial(request.user, application, previous),
    )
    if request.method == "POST" and form.is_valid():
        try:
            submission = submission_submit(
                application=application, today=today, **form.submission_values()
            )
        except SubmitError as error:
            form.add_error(None, str(error))
        else:
            number = submission.current_version.number
            version = f" as version {number}" if number > 1 else ""
            messages.success(request, f"Sent to {application.program.title}{version}.")
            return redirect("workspace:submission", submission.pk)
    context = {
        "application": application,
        "intake": intake,
        "form": form,
        "submission": submission,
        "previous": previous,
        "cv_entries": cv_entries(request.user, application),
    }
    return render(request, "workspace/submit/submit.html", context)


@require_GET
def show_submission(request, pk: int):
    submission = _get_submission(request, pk)
    versions = list(
        submission.versions.prefetch_related("documents", "letters__request__letter").order_by(
            "-number"
        )
    )
    intake = current_intake(submission.program)
    today = timezone.localdate()
    context = {
        "submission": submission,
        "versions": versions,
        "intake": intake,
        "can_update": not submission.is_withdrawn
        and intake is not None
        and intake.accepts_on(today),
        "can_withdraw": not submission.is_withdrawn
        and (intake is None or intake.withdrawal_open_on(today)),
        # The rounds this submission was invited to (the student's own rows; never a priority).
        "invitations": Invitation.objects.for_student(request.user)
        .filter(submission=submission, round__window_opens_at__isnull=False)
        .select_related("round")
        .order_by("-invited_at", "-pk"),
    }
    return render(request, "workspace/submit/submission.html", context)


@require_http_methods(["GET", "POST"])
def withdraw_submission(request, pk: int):
    submission = _get_submission(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submission_withdraw(submission=submission, today=timezone.localdate())
        except SubmitError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Withdrawn from {submission.program.title}.")
        return redirect("workspace:submission", submission.pk)
    context = {"submission": submission, "form": form, "intake": current_intake(submission.program)}
    return render(request, "workspace/submit/withdraw.html", context)


@require_GET
def download_own_cv(request, pk: int, number: int):
    version = get_owned_or_404(SubmissionVersion, request.user, submission__pk=pk, number=number)
    return pdf_response(version.cv_pdf, "cv.pdf")


@require_GET
def download_own_document(request, pk: int, document_pk: int):
    document = get_owned_or_404(
        SubmissionDocument, request.user, version__submission__pk=pk, pk=document_pk
    )
    return pdf_response(document.file, f"{document.kind}.pdf")


urlpatterns = [
    path(
        "submissions/new/<int:application_pk>/",
        submit_application,
        name="submission_create",
    ),
    path("submissions/<int:pk>/", show_submission, name="submission"),
    path("submissions/<int:pk>/withdraw/", withdraw_submission, name="submission_withdraw"),
    path(
        "submissions/<int:pk>/versions/<int:number>/cv.pdf",
        download_own_cv,
        name="submission_cv",
    ),
    path(
        "submissions/<int:pk>/documents/<int:document_pk>/",
        download_own_document,
        name="submission_document",
    ),
    *submit_staff.urlpatterns,
]
