"""Factories for the interview slot tests (tests/workspace/test_slots*.py): a round of Rush's
Internal Medicine in Chicago time with three one-student slots, and four invited students."""

import datetime
import zoneinfo

from django.utils import timezone

from medmatch.workspace.models import InterviewSlot, SlotRound, Submission
from medmatch.workspace.slot_rounds import invitations_send, preferences_save
from tests.personas import make_user
from tests.workspace.conftest import submit

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
DAY = datetime.date(2027, 1, 12)


def chicago(hour: int, minute: int = 0, day: datetime.date = DAY) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=CHICAGO)


def make_round(program, *, hours=(9, 10, 11), capacity=1, **fields) -> SlotRound:
    fields = {
        "title": "Interview days, January",
        "time_zone": "America/Chicago",
        "duration_minutes": 30,
        "format": SlotRound.Format.VIRTUAL,
        "link": "https://meet.example.org/rush-im",
        "window_closes_at": timezone.now() + datetime.timedelta(hours=48),
        **fields,
    }
    round_ = SlotRound.objects.create(program=program, **fields)
    for hour in hours:
        InterviewSlot.objects.create(round=round_, starts_at=chicago(hour), capacity=capacity)
    return round_


def mark_invite(submission, at: datetime.datetime) -> Submission:
    submission.decision = Submission.Decision.INVITE
    submission.decided_at = at
    submission.save(update_fields=["decision", "decided_at"])
    return submission


def invite(round_, students, *, now=None, closes_at=None):
    """Submit each student to the round's program, mark them invite in this order, and invite
    them (priority 1..n). Returns the invitations in that order."""
    now = now or timezone.now()
    submissions = [
        mark_invite(
            submission_of(student, round_.program), now - datetime.timedelta(minutes=60 - n)
        )
        for n, student in enumerate(students)
    ]
    return invitations_send(
        round_=round_,
        submissions=submissions,
        closes_at=closes_at or now + datetime.timedelta(hours=48),
        now=now,
    )


def submission_of(student, program) -> Submission:
    existing = Submission.objects.filter(student=student, program=program).first()
    return existing or submit(student, program)


def rank(invitation, *starts, now=None):
    """The student's ranking, as slot start hours (Chicago) in their order."""
    slots = {slot.starts_at: slot for slot in invitation.round.slots.all()}
    preferences_save(
        invitation=invitation,
        ranking=[slots[chicago(hour)] for hour in starts],
        now=now or timezone.now(),
    )


def students(*names):
    return [make_user(name) for name in names]
