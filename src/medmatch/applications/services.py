"""Application writes that touch several models at once: creation with its checklist and first
history entry, a move on the board with its history entry, the calendar feed's secret, a tailored
CV's choices, and personal statements with their versions."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from medmatch.applications import cv_relevance
from medmatch.applications.checklists import default_checklist
from medmatch.applications.cv_tailoring import ranking
from medmatch.applications.models import (
    Application,
    CalendarFeed,
    CVEntry,
    Requirement,
    Statement,
    StatementVersion,
    StatusChange,
    TailoredCV,
)
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
def applications_move(*, applications, status: str, only_from) -> int:
    """``application_move`` for many at once (the program side assigns a round's interview slots
    together): each of ``applications`` whose status is in ``only_from`` moves to ``status``, with
    its record, in two queries. Returns how many moved."""
    if status not in Application.Status.values:
        raise ValueError(f"status: {status!r} is not a status")
    moving = [a for a in applications if a.status in only_from and a.status != status]
    now = timezone.now()
    StatusChange.objects.bulk_create(
        StatusChange(application=a, from_status=a.status, to_status=status, changed_at=now)
        for a in moving
    )
    Application.objects.filter(pk__in=[a.pk for a in moving]).update(
        status=status, status_changed_at=now, updated_at=now
    )
    for application in moving:
        application.status, application.status_changed_at = status, now
    return len(moving)


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


# ---- CV -------------------------------------------------------------------------------------


def cv_entry_next_position(student) -> int:
    last = CVEntry.objects.filter(student=student).aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def cv_entry_move(*, entry: CVEntry, step: int) -> bool:
    """Swap ``entry`` with its neighbour in its section (``step`` -1 up, +1 down); False at an
    edge. Positions are renumbered so equal positions (older rows) cannot stall a move."""
    if step not in (-1, 1):
        raise ValueError(f"step: {step!r} must be -1 or 1")
    siblings = list(
        CVEntry.objects.select_for_update()
        .filter(student=entry.student_id, section=entry.section)
        .order_by("position", "pk")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == entry.pk)
    other = index + step
    if not 0 <= other < len(siblings):
        return False
    positions = sorted(sibling.position for sibling in siblings)
    if len(set(positions)) != len(positions):
        base = cv_entry_next_position(entry.student_id)
        positions = list(range(base, base + len(siblings)))
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for sibling, position in zip(siblings, positions, strict=True):
        sibling.position = position
    CVEntry.objects.bulk_update(siblings, ["position"])
    return True


def _entries(application: Application) -> list[CVEntry]:
    return list(CVEntry.objects.for_student(application.student))


def tailored_cv_create(*, application: Application, today: datetime.date) -> TailoredCV:
    """The application's tailored CV, created from the relevance ranking the first time."""
    existing = TailoredCV.objects.filter(application=application).first()
    if existing is not None:
        return existing
    entries = _entries(application)
    ranked = ranking(application.program, entries, today)
    try:
        with transaction.atomic():
            return TailoredCV.objects.create(
                application=application,
                entry_ids=[r.id for r in ranked if r.included],
                known_ids=[entry.pk for entry in entries],
            )
    except IntegrityError:  # created by a parallel request
        return TailoredCV.objects.get(application=application)


TAILORED_ACTIONS = ("up", "down", "section_up", "section_down", "include", "leave_out", "reset")


@transaction.atomic
def tailored_cv_change(
    *, tailored: TailoredCV, action: str, today: datetime.date, entry_id=None, section=""
) -> None:
    """Apply one of ``TAILORED_ACTIONS`` to the tailored CV. ``entry_id`` must be one of the
    student's entries (``ValueError`` otherwise) — the view passes what the form posted."""
    if action not in TAILORED_ACTIONS:
        raise ValueError(f"action: {action!r} is not one of {', '.join(TAILORED_ACTIONS)}")
    tailored = TailoredCV.objects.select_for_update().get(pk=tailored.pk)
    application = tailored.application
    entries = _entries(application)
    sections = {entry.pk: entry.section for entry in entries}
    ids = [pk for pk in tailored.entry_ids if pk in sections]
    if action == "reset":
        ranked = ranking(application.program, entries, today)
        tailored.entry_ids = [r.id for r in ranked if r.included]
        tailored.known_ids = list(sections)
        tailored.adjusted = False
        tailored.save()
        return
    if action in ("section_up", "section_down"):
        step = -1 if action == "section_up" else 1
        ids = cv_relevance.move_section(ids, section, step, sections)
    else:
        if entry_id not in sections:
            raise ValueError(f"entry: {entry_id!r} is not one of this student's CV entries")
        if action in ("up", "down"):
            ids = cv_relevance.move(ids, entry_id, -1 if action == "up" else 1, sections)
        elif action == "leave_out":
            ids = [pk for pk in ids if pk != entry_id]
        elif entry_id not in ids:  # include: after the last entry of its section, else at the end
            same = [i for i, pk in enumerate(ids) if sections[pk] == sections[entry_id]]
            ids.insert(same[-1] + 1 if same else len(ids), entry_id)
    tailored.entry_ids = ids
    tailored.known_ids = sorted(set(tailored.known_ids) | {entry_id} - {None})
    tailored.adjusted = True
    tailored.save()


# ---- Personal statements --------------------------------------------------------------------


@transaction.atomic
def statement_create(
    *, student, title: str, application: Application | None = None, based_on=None, body=""
) -> Statement:
    """A new statement; its first version is ``body`` or, for a variant, the base's current text."""
    statement = Statement.objects.create(
        student=student,
        title=title,
        application=application,
        based_on=based_on,
        word_limit=based_on.word_limit
        if based_on
        else Statement._meta.get_field("word_limit").default,
    )
    text = body or (based_on.current_body() if based_on else "")
    note = f"started from “{based_on.title}”" if based_on and not body else "first version"
    if text:
        StatementVersion.objects.create(statement=statement, body=text, note=note)
    return statement


def statement_for_application(*, application: Application) -> tuple[Statement, bool]:
    """The application's statement variant, or a new one copied from the latest base statement."""
    existing = application.statements.order_by("-updated_at", "-pk").first()
    if existing is not None:
        return existing, False
    base = (
        Statement.objects.for_student(application.student)
        .filter(application__isnull=True)
        .order_by("-updated_at", "-pk")
        .first()
    )
    title = f"{application.program.title} — {application.program.institution.name}"[:200]
    statement = statement_create(
        student=application.student, title=title, application=application, based_on=base
    )
    return statement, True


@transaction.atomic
def statement_save(
    *, statement: Statement, body: str, title: str, word_limit, note: str = ""
) -> StatementVersion | None:
    """Save the statement's title and limit; a new version only when the text changed (returned),
    else None."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    statement.title = title
    statement.word_limit = word_limit
    statement.save()
    if body == statement.current_body():
        return None
    return StatementVersion.objects.create(statement=statement, body=body, note=note)


def statement_restore(*, version: StatementVersion) -> StatementVersion | None:
    """Make an earlier version's text the current one again, as a new version (history is kept)."""
    statement = version.statement
    return statement_save(
        statement=statement,
        body=version.body,
        title=statement.title,
        word_limit=statement.word_limit,
        note=f"restored the version of {timezone.localtime(version.created_at):%d %b %Y, %H:%M}",
    )
