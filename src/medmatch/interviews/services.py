"""Writes that touch an interview and its application together."""

from django.db import transaction

from medmatch.applications.models import Application
from medmatch.applications.services import application_move

Status = Application.Status
# An interview moves an application forward on the board, never back: one already ranked,
# matched or withdrawn stays where the student put it.
BEFORE_INVITED = frozenset({Status.RESEARCHING, Status.PREPARING, Status.SUBMITTED})
BEFORE_INTERVIEWED = BEFORE_INVITED | {Status.INTERVIEW_INVITED}


@transaction.atomic
def interview_schedule(*, form):
    """Save a new interview; its application moves to "interview invited" if it was before that.

    Returns (interview, the application's new status label or None when it did not move).
    """
    interview = form.save()
    return interview, _advance(interview.application, Status.INTERVIEW_INVITED, BEFORE_INVITED)


@transaction.atomic
def impression_record(*, form):
    """Save the impressions of an interview that took place; its application moves to
    "interviewed" if it was before that. Returns (impression, new status label or None)."""
    impression = form.save()
    application = impression.interview.application
    return impression, _advance(application, Status.INTERVIEWED, BEFORE_INTERVIEWED)


def _advance(application: Application, status: str, only_from: frozenset) -> str | None:
    if application.status not in only_from:
        return None
    application_move(application=application, status=status)
    return Status(status).label
