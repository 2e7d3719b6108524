"""Who may read a letter's content. Every path that could show or send it — the download view,
the request page, the account export, the API — asks ``can_read_letter`` and nothing else.

- The student it is about: only when they did not waive the right to see it — as recorded on
  the letter when it arrived (``Letter.waived``), and on the request. With a waiver they see its
  status and when it arrived, never its content, file name, size or hash.
- A program coordinator: only when the letter is assigned to an application that was submitted
  to a program they coordinate.
- Nobody else (other students, anonymous visitors, the recommender after uploading).

Which programs a coordinator runs is not recorded yet (the program side comes later), so
``programs_coordinated_by`` returns no programs and coordinators see no letter today. When the
program side lands, that one function is what changes; the rule above and its tests stay.
"""

from medmatch.accounts.models import User
from medmatch.applications.models import Application
from medmatch.catalog.models import Program

# A letter reaches a program with the application: from submission on, until it is withdrawn.
SUBMITTED_TO_PROGRAM = frozenset(
    {
        Application.Status.SUBMITTED,
        Application.Status.INTERVIEW_INVITED,
        Application.Status.INTERVIEWED,
        Application.Status.RANKED,
        Application.Status.MATCHED,
        Application.Status.NOT_MATCHED,
    }
)


def programs_coordinated_by(user):
    """The programs ``user`` coordinates. No link between coordinators and programs exists yet:
    none, for everyone."""
    return Program.objects.none()


def can_read_letter(user, letter) -> bool:
    if user is None or not user.is_authenticated or letter is None:
        return False
    request = letter.request
    if user.pk == request.student_id:
        # The letter's own record decides; the request's waiver is fixed before any letter can
        # arrive, and asking both means no later change to either can open it.
        return not (letter.waived or request.waived)
    if getattr(user, "role", None) == User.Role.COORDINATOR:
        return Application.objects.filter(
            letter_requests=request,
            status__in=SUBMITTED_TO_PROGRAM,
            program__in=programs_coordinated_by(user),
        ).exists()
    return False
