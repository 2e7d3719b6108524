"""Interview slot rounds: every write (sending invitations, adding slots, a student's ranking,
the assignment at the window's end, a cancellation and its chain of moves), and the one place that
turns a round's rows into the pure engine's data (``matching.slots``) and back.

The engine names slots and students by text ids: a slot is ``str(InterviewSlot.pk)`` and a student
``str(Invitation.pk)`` (the invitation, not the user: the same student invited to two rounds is
two students of two rounds). Every write that reads or changes the assignment locks the round's
row first (``select_for_update``), so two cancellations at once, or a ranking saved while the
worker assigns, follow one another instead of interleaving.
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction

from medmatch.applications.models import Application
from medmatch.applications.services import application_move, applications_move
from medmatch.interviews.models import Interview
from medmatch.interviews.services import BEFORE_INVITED
from medmatch.lib.forms import validate_time_zone_name
from medmatch.matching import slots as engine
from medmatch.workspace.models import (
    InterviewSlot,
    Invitation,
    SlotPreference,
    SlotRound,
    Submission,
)
from medmatch.workspace.review_services import decisions_set

STATE_VERSION = 1


class RankingClosed(Exception):
    """The student can no longer rank: the window closed, the round was assigned, or they
    cancelled."""


class RoundAssigned(Exception):
    """The round was assigned already: its slots and invitations are fixed."""


# ---- rows <-> the engine's plain data ----------------------------------------------------------


def engine_round(round_: SlotRound) -> engine.SlotRound:
    """The round as the engine reads it: its slots, the invitations still standing in priority
    order, and each one's ranking."""
    # Plain values, and the rankings joined to their round rather than listed by a thousand ids.
    slots = tuple(
        engine.Slot(str(pk), capacity, starts_at)
        for pk, capacity, starts_at in round_.slots.values_list("pk", "capacity", "starts_at")
    )
    standing = list(
        round_.invitations.filter(cancelled_at__isnull=True)
        .order_by("priority")
        .values_list("pk", flat=True)
    )
    rankings: dict[str, list[str]] = {}
    preferences = SlotPreference.objects.filter(
        invitation__round=round_, invitation__cancelled_at__isnull=True
    ).order_by("invitation_id", "rank")
    for invitation_id, slot_id in preferences.values_list("invitation_id", "slot_id"):
        rankings.setdefault(str(invitation_id), []).append(str(slot_id))
    return engine.SlotRound(
        slots,
        tuple(str(pk) for pk in standing),
        {student: tuple(ranking) for student, ranking in rankings.items()},
    )


def dump_state(state: engine.SlotAssignment) -> dict:
    """The JSON kept in ``SlotRound.state``."""
    round_ = state.round
    return {
        "version": STATE_VERSION,
        "slots": [{"id": slot.id, "capacity": slot.capacity} for slot in round_.slots],
        "priority": list(round_.priority),
        "rankings": {student: list(ranking) for student, ranking in round_.rankings.items()},
        "assignment": dict(state.assignment),
        "waitlists": {slot: list(students) for slot, students in state.waitlists.items()},
        "unassigned": list(state.unassigned),
        "cancelled": list(state.cancelled),
    }


def load_state(data: dict) -> engine.SlotAssignment:
    """The engine's state from ``SlotRound.state`` (what :func:`dump_state` wrote)."""
    if data.get("version") != STATE_VERSION:
        raise ValueError(f"state: unknown version {data.get('version')!r}")
    round_ = engine.SlotRound(
        tuple(engine.Slot(slot["id"], slot["capacity"]) for slot in data["slots"]),
        tuple(data["priority"]),
        {student: tuple(ranking) for student, ranking in data["rankings"].items()},
    )
    return engine.SlotAssignment(
        round_,
        dict(data["assignment"]),
        {slot: tuple(students) for slot, students in data["waitlists"].items()},
        tuple(data["unassigned"]),
        tuple(data["cancelled"]),
    )


def _locked(round_pk: int) -> SlotRound:
    return (
        SlotRound.objects.select_for_update(of=("self",))
        .select_related("program__institution")
        .get(pk=round_pk)
    )


def _send_emails_after_commit(round_pk: int) -> None:
    # Through the worker's queue, once the writes are visible to it; the reminder scan sends
    # anything this misses (the emails are recorded once each, whoever sends them).
    from medmatch.workspace.tasks import send_slot_emails

    transaction.on_commit(lambda: send_slot_emails.enqueue(round_pk))


# ---- the coordinator's writes ------------------------------------------------------------------


@transaction.atomic
def slots_add(*, round_: SlotRound, starts: list[datetime.datetime], capacity: int) -> int:
    """Add a slot at each of ``starts`` (aware datetimes); a start the round already has is
    skipped. Returns how many were added. Refused once the round is assigned."""
    round_ = _locked(round_.pk)
    if round_.assigned_at is not None:
        raise RoundAssigned
    existing = set(round_.slots.values_list("starts_at", flat=True))
    new = [
        InterviewSlot(round=round_, starts_at=start, capacity=capacity)
        for start in sorted(set(starts))
        if start not in existing
    ]
    InterviewSlot.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def slot_delete(*, slot: InterviewSlot) -> None:
    """Remove a slot before the assignment (the rankings that named it lose it)."""
    round_ = _locked(slot.round_id)
    if round_.assigned_at is not None:
        raise RoundAssigned
    slot.delete()


def invitable_submissions(round_: SlotRound):
    """The program's submissions marked "invite", not withdrawn, not yet invited to this round,
    in the default order: as they were marked invite (decided_at), then as submitted (pk)."""
    return (
        Submission.objects.filter(
            program=round_.program, decision=Submission.Decision.INVITE, withdrawn_at__isnull=True
        )
        .exclude(invitations__round=round_)
        .select_related("student", "current_version")
        .order_by("decided_at", "pk")
    )


@transaction.atomic
def invitations_send(
    *,
    round_: SlotRound,
    submissions: list[Submission],
    closes_at: datetime.datetime,
    now: datetime.datetime,
    by=None,
) -> list[Invitation]:
    """Invite ``submissions`` in that order, after any already invited (priority n+1, …); the
    window opens now (if it had not) and closes at ``closes_at``. Each student gets the
    invitation email through the worker; the submissions' ``invited_at`` and decision history
    are written by the review's one writer (``decisions_set``), as sent ``by`` the coordinator."""
    round_ = _locked(round_.pk)
    if round_.assigned_at is not None:
        raise RoundAssigned
    last = round_.invitations.order_by("-priority").values_list("priority", flat=True).first()
    invitations = [
        Invitation(round=round_, submission=submission, priority=(last or 0) + n, invited_at=now)
        for n, submission in enumerate(submissions, start=1)
    ]
    Invitation.objects.bulk_create(invitations)
    decisions_set(
        program=round_.program,
        submission_ids=[submission.pk for submission in submissions],
        decision=Submission.Decision.INVITE,
        by=by,
        at=now,
        invited=True,
    )
    round_.window_opens_at = round_.window_opens_at or now
    round_.window_closes_at = closes_at
    round_.save(update_fields=["window_opens_at", "window_closes_at"])
    _send_emails_after_commit(round_.pk)
    return invitations


@transaction.atomic
def window_move(*, round_: SlotRound, closes_at: datetime.datetime) -> None:
    """Move the end of an open window (earlier or later); refused once the round is assigned."""
    round_ = _locked(round_.pk)
    if round_.assigned_at is not None:
        raise RoundAssigned
    round_.window_closes_at = closes_at
    round_.save(update_fields=["window_closes_at"])


# ---- the student's writes ----------------------------------------------------------------------


def can_rank(invitation: Invitation, now: datetime.datetime) -> bool:
    round_ = invitation.round
    return (
        invitation.cancelled_at is None
        and round_.assigned_at is None
        and round_.window_opens_at is not None
        and now < round_.window_closes_at
    )


@transaction.atomic
def preferences_save(
    *,
    invitation: Invitation,
    ranking: list[InterviewSlot],
    now: datetime.datetime,
    time_zone: str = "",
) -> None:
    """Replace the student's ranking with ``ranking`` (most preferred first; the slots left out
    are the ones they cannot attend). ``time_zone``, when given, is the zone the student ranked
    in: it is remembered as theirs (``User.time_zone``) for their next invitation. Raises
    :class:`RankingClosed` after the window."""
    _locked(invitation.round_id)
    invitation = Invitation.objects.select_related("round", "submission__student").get(
        pk=invitation.pk
    )
    if not can_rank(invitation, now):
        raise RankingClosed
    if any(slot.round_id != invitation.round_id for slot in ranking):
        raise ValueError("ranking: a slot of another round")
    invitation.preferences.all().delete()
    SlotPreference.objects.bulk_create(
        SlotPreference(invitation=invitation, slot=slot, rank=rank)
        for rank, slot in enumerate(ranking, start=1)
    )
    invitation.ranked_at = now
    invitation.save(update_fields=["ranked_at"])
    if time_zone:
        validate_time_zone_name(time_zone)
        student = invitation.submission.student
        if student.time_zone != time_zone:
            student.time_zone = time_zone
            student.save(update_fields=["time_zone"])


# ---- assignment and cancellation ---------------------------------------------------------------


@transaction.atomic
def round_assign(*, round_pk: int, now: datetime.datetime) -> bool:
    """Assign the round's slots (the engine's stable assignment) and write each slot into the
    student's own interviews. False when the round was assigned already, so running it twice
    changes nothing."""
    round_ = _locked(round_pk)
    if round_.assigned_at is not None:
        return False
    # A student who withdrew the application since the invitation takes no slot.
    round_.invitations.filter(
        cancelled_at__isnull=True, submission__withdrawn_at__isnull=False
    ).update(cancelled_at=now)
    state = engine.assign(engine_round(round_))
    round_.state = dump_state(state)
    round_.assigned_at = now
    round_.save(update_fields=["state", "assigned_at"])
    # Nobody held a slot before: one interview per holder, written together, from plain values
    # (the slots' starts come with the engine's data, the applications with one narrow query).
    starts = {slot.id: slot.starts_at for slot in state.round.slots}
    holders = [
        (pk, application_id)
        for pk, application_id in round_.invitations.order_by("priority").values_list(
            "pk", "submission__application_id"
        )
        if str(pk) in state.assignment
    ]
    applications = (
        Application.objects.filter(submission__invitations__round=round_)
        .only("pk", "status")
        .in_bulk()
    )
    interviews = [
        _fill(
            round_,
            Interview(application_id=application_id),
            starts[state.assignment[str(invitation_pk)]],
        )
        for invitation_pk, application_id in holders
    ]
    Interview.objects.bulk_create(interviews)
    applications_move(
        applications=[applications[application_id] for _, application_id in holders],
        status=Application.Status.INTERVIEW_INVITED,
        only_from=BEFORE_INVITED,
    )
    _invitations_hold(
        [
            (invitation_pk, int(state.assignment[str(invitation_pk)]), interview.pk)
            for (invitation_pk, _), interview in zip(holders, interviews, strict=True)
        ]
    )
    _send_emails_after_commit(round_.pk)
    return True


def _invitations_hold(rows: list[tuple[int, int, int]]) -> None:
    """Set (invitation, slot, interview) for many invitations in one UPDATE per few hundred: a
    ``CASE`` on the primary key for each column. ``bulk_update`` says the same, but builds a
    ``When`` expression per row and value, which costs more in Python than the database spends
    on the statement."""
    table = Invitation._meta.db_table
    quote = connection.ops.quote_name
    for start in range(0, len(rows), 300):
        batch = rows[start : start + 300]
        cases = " ".join(["WHEN %s THEN %s"] * len(batch))
        sql = (
            f"UPDATE {quote(table)} SET "
            f"{quote('assigned_slot_id')} = CASE {quote('id')} {cases} END, "
            f"{quote('interview_id')} = CASE {quote('id')} {cases} END "
            f"WHERE {quote('id')} IN ({', '.join(['%s'] * len(batch))})"
        )
        params = [value for pk, slot, _ in batch for value in (pk, slot)]
        params += [value for pk, _, interview in batch for value in (pk, interview)]
        params += [pk for pk, _, _ in batch]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


@transaction.atomic
def invitation_cancel(*, invitation_pk: int, now: datetime.datetime) -> tuple[engine.Move, ...]:
    """The student leaves the round (they cancel, or staff remove them). Their slot goes down its
    waitlist and each student it reaches moves to a slot they preferred (their interview moves
    with them, and an email tells them); the cancelling student's interview is deleted. Returns
    the engine's moves (none before the assignment or when already cancelled)."""
    round_pk = Invitation.objects.values_list("round_id", flat=True).get(pk=invitation_pk)
    round_ = _locked(round_pk)
    invitation = _invitations(round_).get(pk=invitation_pk)
    if invitation.cancelled_at is not None:
        return ()
    invitation.cancelled_at = now
    invitation.save(update_fields=["cancelled_at"])
    if round_.assigned_at is None:
        return ()
    state, moves = engine.cancel(load_state(round_.state), str(invitation.pk))
    round_.state = dump_state(state)
    round_.save(update_fields=["state"])
    slots = {str(slot.pk): slot for slot in round_.slots.all()}
    moved = _invitations(round_).in_bulk([int(move.student) for move in moves])
    for move in moves:
        _hold(round_, moved[int(move.student)], slots[move.to_slot] if move.to_slot else None)
    _send_emails_after_commit(round_.pk)
    return moves


def _invitations(round_: SlotRound):
    return round_.invitations.select_related("submission__application__program", "interview")


def _hold(round_: SlotRound, invitation: Invitation, slot: InterviewSlot | None) -> None:
    """Make ``slot`` the one the invitation holds, and the student's interview say so."""
    invitation.assigned_slot = slot
    interview = invitation.interview
    if slot is None:
        invitation.interview = None
        invitation.save(update_fields=["assigned_slot", "interview"])
        if interview is not None:
            interview.delete()
        return
    application = invitation.submission.application
    interview = _fill(round_, interview or Interview(application=application), slot.starts_at)
    interview.save()
    invitation.interview = interview
    invitation.save(update_fields=["assigned_slot", "interview"])
    _advance(application)


def _fill(round_: SlotRound, interview: Interview, starts_at: datetime.datetime) -> Interview:
    """The interview as the slot (its start) and the round say (not saved)."""
    interview.starts_at = starts_at
    interview.time_zone = round_.time_zone
    interview.duration_minutes = round_.duration_minutes
    interview.format = round_.format
    interview.place = round_.place
    interview.city = round_.city
    interview.link = round_.link
    interview.latitude, interview.longitude = round_location(round_)
    return interview


def _advance(application) -> None:
    # As an interview the student adds moves the application on their board (never back).
    if application.status in BEFORE_INVITED:
        application_move(application=application, status=application.Status.INTERVIEW_INVITED)


def round_location(round_: SlotRound) -> tuple[float | None, float | None]:
    """The coordinates of the round's city for interviews in person (None: virtual, or not
    found); looked up once per round object, not once per student."""
    if not hasattr(round_, "_location"):
        probe = Interview(format=round_.format, city=round_.city)
        probe.locate()
        round_._location = (probe.latitude, probe.longitude)
    return round_._location


def due_rounds(now: datetime.datetime):
    """Rounds whose window has closed and that are not assigned yet (invitations sent)."""
    return SlotRound.objects.filter(
        assigned_at__isnull=True, window_opens_at__isnull=False, window_closes_at__lte=now
    ).order_by("window_closes_at", "pk")


def round_close_now(*, round_: SlotRound, now: datetime.datetime) -> bool:
    """The coordinator closes the window early: the assignment runs at once."""
    with transaction.atomic():
        locked = _locked(round_.pk)
        if locked.assigned_at is not None or locked.window_opens_at is None:
            return False
        if locked.window_closes_at > now:
            locked.window_closes_at = now
            locked.save(update_fields=["window_closes_at"])
        return round_assign(round_pk=round_.pk, now=now)
