"""What the submit area adds to lower apps' pages through their extension points (registered in
``WorkspaceConfig.ready``):

- the applications board and page: "Submit in medmatch" where the program takes applications
  here today, and the submission's state once sent (``register_application_panel``);
- the board's move to "Withdrawn": it withdraws the live submission too, after asking
  (``register_withdrawal``);
- contributions' "My programs": a link to each program's intake (``register_program_links``).
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from medmatch.applications.extensions import ApplicationLink, Withdrawal
from medmatch.contributions.extensions import ProgramLink
from medmatch.workspace.models import Intake, Invitation, Submission
from medmatch.workspace.submitting import current_intake, submission_withdraw


def application_panel(user, applications, on: datetime.date) -> dict[int, list[ApplicationLink]]:
    """Three queries for the whole board. Only the student's own submissions are read; the program's
    decision is never part of what is shown (an invitation is)."""
    ids = [application.pk for application in applications]
    submissions = {
        submission.application_id: submission
        for submission in Submission.objects.for_student(user)
        .filter(application_id__in=ids)
        .select_related("current_version")
    }
    invitations: dict[int, list[Invitation]] = {}
    for invitation in (
        Invitation.objects.for_student(user)
        .filter(submission__application_id__in=ids, round__window_opens_at__isnull=False)
        .select_related("round", "submission")
        .order_by("-invited_at", "-pk")
    ):
        invitations.setdefault(invitation.submission.application_id, []).append(invitation)
    open_programs = {
        intake.program_id
        for intake in Intake.objects.filter(
            program_id__in={application.program_id for application in applications}, is_open=True
        )
        if intake.accepts_on(on)
    }
    links: dict[int, list[ApplicationLink]] = {}
    for application in applications:
        submission = submissions.get(application.pk)
        if submission is not None:
            links[application.pk] = [_state(submission)] + [
                _invitation(invitation) for invitation in invitations.get(application.pk, [])
            ]
        elif application.program_id in open_programs and not application.is_closed:
            url = reverse("workspace:submission_create", args=[application.pk])
            links[application.pk] = [ApplicationLink("Submit in medmatch", url, primary=True)]
    return links


def _state(submission: Submission) -> ApplicationLink:
    url = reverse("workspace:submission", args=[submission.pk])
    if submission.is_withdrawn:
        note = f"Withdrawn in medmatch on {timezone.localdate(submission.withdrawn_at):%d %b %Y}."
    else:
        number = submission.current_version.number if submission.current_version else 1
        sent = timezone.localdate(submission.updated_at)
        note = f"Sent in medmatch (version {number}, {sent:%d %b %Y})."
        if submission.invited_at:
            note += " Invited to interview."
    return ApplicationLink("What you sent", url, note=note)


def _invitation(invitation: Invitation) -> ApplicationLink:
    """A link to an interview invitation: rank its slots, see the outcome (never a priority)."""
    url = reverse("workspace:invitation", args=[invitation.pk])
    note = "Cancelled." if invitation.cancelled_at else ""
    return ApplicationLink(f"Interview: {invitation.round.title}", url, note=note)


def withdrawal(user, application, on: datetime.date) -> Withdrawal | None:
    """A move to "Withdrawn" on the board withdraws the live submission sent for it, by the
    submission page's own rule and writer (``submission_withdraw``: final, until the program's
    rank list deadline, included)."""
    submission = (
        Submission.objects.for_student(user)
        .current()
        .filter(application=application)
        .select_related("program")
        .first()
    )
    if submission is None:
        return None
    intake = current_intake(submission.program)
    refused = ""
    if intake is not None and not intake.withdrawal_open_on(on):
        day = intake.rank_deadline
        refused = (
            f"“{submission.program.title}”: the rank list deadline ({day.day} {day:%B %Y}) has "
            "passed, so the application sent in medmatch can no longer be withdrawn. Write to "
            "the program."
        )
    return Withdrawal(
        what=f"your application sent to {submission.program.title} in medmatch",
        refused=refused,
        perform=lambda: submission_withdraw(submission=submission, today=on),
    )


def program_links(user, programs) -> dict[int, list[ProgramLink]]:
    """ "Applications in medmatch" beside every program of the coordinator's (the page lists only
    programs they are verified for; the intake page checks again)."""
    return {
        program.pk: [
            ProgramLink("Applications in medmatch", reverse("workspace:intake", args=[program.pk]))
        ]
        for program in programs
    }


def register() -> None:
    from medmatch.applications.extensions import register_application_panel, register_withdrawal
    from medmatch.contributions.extensions import register_program_links

    register_application_panel(application_panel)
    register_withdrawal(withdrawal)
    register_program_links(program_links)
