"""Application writes that touch several models at once: creation with its checklist and first
history entry, a move on the board with its history entry, and the calendar feed's secret."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from medmatch.applications.checklists import default_checklist
from medmatch.applications.models import Application, CalendarFeed, Requirement, StatusChange
from medmatch.catalog.models import Program


def application_create(*, student, program: Program) -> tuple[Application, bool]:
    """Track ``program`` for the student; tracking it twice keeps the first application."""
    existing = Application.objects.filter(student=student, program=program).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return _create(student, program), True
    except IntegrityError:  # a double click raced us to it
        return Application.objects.get(student=student, program=program), False


def _create(student, program: Program) -> Application:
    opens_on, deadline = program.application_opens, program.application_deadline
    if opens_on and deadline and opens_on > deadline:
        opens_on = None  # the catalog's dates contradict each other; keep the deadline
    application = Application.objects.create(
        student=student, program=program, opens_on=opens_on, deadline=deadline
    )
    StatusChange.objects.create(
        application=application,
        from_status="",
        to_status=application.status,
        changed_at=application.status_changed_at,
    )
    Requirement.objects.bulk_create(
        Requirement(application=application, kind=kind, title=title, position=position)
        for position, (kind, title) in enumerate(default_checklist(program))
    )
    return application


@transaction.atomic
def application_move(*, application: Application, status: str) -> bool:
    """Move the application to ``status`` and record it; False when it is already there."""
    if status not in Application.Status.values:
        raise ValueError(f"status: {status!r} is not a status")
    if status == application.status:
        return False
    now = timezone.now()
    StatusChange.objects.create(
        application=application, from_status=application.status, to_status=status, changed_at=now
    )
    application.status = status
    application.status_changed_at = now
    application.save(update_fields=["status", "status_changed_at", "updated_at"])
    return True


@transaction.atomic
def calendar_feed_renew(*, student) -> str:
    """A new secret feed URL token for the student; any previous one stops working."""
    token = CalendarFeed.new_token()
    CalendarFeed.objects.filter(student=student).delete()
    CalendarFeed.objects.create(student=student, token_hash=CalendarFeed.hash_token(token))
    return token


def calendar_feed_revoke(*, student) -> bool:
    deleted, _ = CalendarFeed.objects.filter(student=student).delete()
    return bool(deleted)


def calendar_feed_owner(token: str):
    """The student whose feed ``token`` opens, or None."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("student")
        .filter(token_hash=CalendarFeed.hash_token(token))
        .first()
    )
    return feed.student if feed else None
