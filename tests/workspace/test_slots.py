"""Interview slot rounds, the services and the scan: the assignment is the engine's, it lands in
the students' own interviews, the scan is idempotent and isolates a bad round, a cancellation
follows the waitlist chain with emails, ranking closes with the window, and each email goes once.
"""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from medmatch import tasks
from medmatch.applications.models import Application
from medmatch.interviews.models import Interview
from medmatch.matching import slots as engine
from medmatch.workspace import slot_rounds
from medmatch.workspace.models import Invitation, SlotEmail, SlotRound, Submission
from medmatch.workspace.slot_rounds import (
    RankingClosed,
    dump_state,
    invitation_cancel,
    load_state,
    preferences_save,
    round_assign,
)
from medmatch.workspace.slot_selectors import is_waitlisted, student_slots
from medmatch.workspace.tasks import assign_interview_slots
from tests.workspace.conftest import submit
from tests.workspace.slot_factories import (
    DAY,
    chicago,
    invite,
    make_round,
    rank,
    students,
)

pytestmark = pytest.mark.django_db


def now():
    return timezone.now()


def after(round_, minutes=1) -> str:
    round_.refresh_from_db()
    return (round_.window_closes_at + datetime.timedelta(minutes=minutes)).isoformat()


@pytest.fixture
def chain(world, alice, bob):
    """alice (priority 1) ranks 9:00; bob (2) 9:00 then 10:00; cara (3) 10:00 then 11:00. The
    assignment: alice 9, bob 10, cara 11; bob waits for 9:00 and cara for 10:00."""
    (cara,) = students("cara")
    round_ = make_round(world["medicine"])
    first, second, third = invite(round_, [alice, bob, cara])
    rank(first, 9)
    rank(second, 9, 10)
    rank(third, 10, 11)
    assign_interview_slots.call(after(round_))
    round_.refresh_from_db()
    return round_, first, second, third


def held_hour(slot) -> int:
    return slot.starts_at.astimezone(chicago(0).tzinfo).hour


def held(invitation):
    invitation.refresh_from_db()
    return held_hour(invitation.assigned_slot) if invitation.assigned_slot else None


def test_it_assigns_what_the_engine_assigns(world, alice, bob):
    others = students("cara", "dan", "eve", "fay")
    round_ = make_round(world["medicine"], hours=(9, 10, 11, 12))
    round_.slots.filter(starts_at=chicago(12)).update(capacity=2)
    invitations = invite(round_, [alice, bob, *others])
    rankings = [(9, 10), (9, 12), (10, 9, 11), (), (12, 11, 10), (9, 10, 11, 12)]
    for invitation, hours in zip(invitations, rankings, strict=True):
        if hours:
            rank(invitation, *hours)
    # The engine on the same data, built here by hand from the invitation order.
    slot_ids = {
        slot.starts_at.astimezone(chicago(0).tzinfo).hour: str(slot.pk)
        for slot in round_.slots.all()
    }
    expected = engine.assign(
        engine.SlotRound(
            tuple(engine.Slot(str(slot.pk), slot.capacity) for slot in round_.slots.all()),
            tuple(str(invitation.pk) for invitation in invitations),
            {
                str(invitation.pk): tuple(slot_ids[hour] for hour in hours)
                for invitation, hours in zip(invitations, rankings, strict=True)
                if hours
            },
        )
    )
    report = assign_interview_slots.call(after(round_))
    assert report["slot_assignments"] == {"sent": 1, "failed": 0}
    round_.refresh_from_db()
    state = load_state(round_.state)
    assert state.assignment == expected.assignment
    assert state.waitlists == expected.waitlists
    assert state.unassigned == expected.unassigned
    for invitation in invitations:
        invitation.refresh_from_db()
        got = str(invitation.assigned_slot_id) if invitation.assigned_slot_id else None
        assert got == expected.assignment.get(str(invitation.pk))
    assert dump_state(state) == round_.state


def test_it_writes_each_slot_into_the_student_s_own_interviews(chain):
    _, first, second, third = chain
    assert (held(first), held(second), held(third)) == (9, 10, 11)
    interview = Interview.objects.get(pk=first.interview_id)
    assert interview.application == first.submission.application
    assert interview.starts_at == chicago(9)
    assert interview.time_zone == "America/Chicago"
    assert interview.duration_minutes == 30
    assert interview.link == "https://meet.example.org/rush-im"
    assert interview.local_start.hour == 9
    application = Application.objects.get(pk=first.submission.application_id)
    assert application.status == Application.Status.INTERVIEW_INVITED
    assert list(application.status_changes.values_list("from_status", "to_status"))[-1] == (
        Application.Status.SUBMITTED,
        Application.Status.INTERVIEW_INVITED,
    )


def test_the_scan_runs_from_the_schedule_and_twice_changes_nothing(chain):
    round_, *_ = chain
    state, interviews, emails = round_.state, Interview.objects.count(), len(mail.outbox)
    # Each student's slot (the invitations were never sent before the window closed: the test
    # sent none on commit, and after the window an invitation is of no use).
    assert emails == 3
    report = tasks.send_all_reminders.call(after(round_, 5))
    assert report["counts"]["slot_assignments"] == {"sent": 0, "failed": 0}
    assert report["counts"]["slot_emails"] == {"sent": 0, "failed": 0}
    assert round_assign(round_pk=round_.pk, now=timezone.now()) is False
    round_.refresh_from_db()
    assert round_.state == state
    assert Interview.objects.count() == interviews and len(mail.outbox) == emails


def test_a_round_that_fails_never_stops_the_others(world, alice, bob, monkeypatch):
    good, bad = make_round(world["medicine"]), make_round(world["surgery"])
    (good_invitation,) = invite(good, [alice])
    (bad_invitation,) = invite(bad, [bob])
    rank(good_invitation, 9)
    rank(bad_invitation, 9)
    real = slot_rounds.engine_round

    def broken(round_):
        if round_.pk == bad.pk:
            raise RuntimeError("a corrupt round")
        return real(round_)

    monkeypatch.setattr(slot_rounds, "engine_round", broken)
    report = assign_interview_slots.call(after(bad))
    assert report["slot_assignments"] == {"sent": 1, "failed": 1}
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.assigned_at is not None and bad.assigned_at is None and bad.state is None
    assert Interview.objects.filter(application__student=bob).count() == 0
    monkeypatch.setattr(slot_rounds, "engine_round", real)
    assert assign_interview_slots.call(after(bad))["slot_assignments"]["sent"] == 1


def test_a_cancellation_follows_the_waitlist_chain_with_emails(
    chain, django_capture_on_commit_callbacks
):
    round_, first, second, third = chain
    alices_interview = first.interview_id
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moves = invitation_cancel(invitation_pk=first.pk, now=timezone.now())
    assert [(m.student, m.from_slot is not None, m.to_slot is not None) for m in moves] == [
        (str(first.pk), True, False),
        (str(second.pk), True, True),
        (str(third.pk), True, True),
    ]
    assert (held(first), held(second), held(third)) == (None, 9, 10)
    assert not Interview.objects.filter(pk=alices_interview).exists()
    assert Interview.objects.get(pk=second.interview_id).starts_at == chicago(9)
    assert Interview.objects.get(pk=third.interview_id).starts_at == chicago(10)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert len(mail.outbox) == 3
    assert subjects["alice@example.org"].startswith("Interview cancelled")
    for student in ("bob@example.org", "cara@example.org"):
        assert subjects[student].startswith("A slot you preferred is yours")
    (bobs,) = [m for m in mail.outbox if m.to == ["bob@example.org"]]
    assert "Tuesday 12 January 2027, 09:00 (America/Chicago)" in bobs.body
    # The state is the engine's: a fresh assignment of the round without alice.
    round_.refresh_from_db()
    state = load_state(round_.state)
    assert state.cancelled == (str(first.pk),)
    assert state.waitlists == {slot: () for slot in state.waitlists}
    # Nobody moves twice: the next scan sends nothing more.
    assert assign_interview_slots.call()["slot_emails"] == {"sent": 0, "failed": 0}


def test_two_cancellations_leave_the_state_the_engine_gives(chain):
    round_, first, second, third = chain
    invitation_cancel(invitation_pk=first.pk, now=timezone.now())
    invitation_cancel(invitation_pk=second.pk, now=timezone.now())
    assert invitation_cancel(invitation_pk=second.pk, now=timezone.now()) == ()
    assert (held(first), held(second), held(third)) == (None, None, 10)
    round_.refresh_from_db()
    fresh = engine.assign(slot_rounds.engine_round(round_))
    assert load_state(round_.state).assignment == fresh.assignment


def test_a_cancellation_before_the_assignment_takes_the_student_out(world, alice, bob):
    round_ = make_round(world["medicine"])
    first, second = invite(round_, [alice, bob])
    rank(first, 9)
    rank(second, 9)
    invitation_cancel(invitation_pk=first.pk, now=timezone.now())
    assign_interview_slots.call(after(round_))
    assert (held(first), held(second)) == (None, 9)
    # alice was never emailed about the round, so no cancellation email either.
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]


def test_ranking_is_refused_once_the_window_has_closed(chain, world, alice):
    round_ = make_round(world["medicine"], title="Second round")
    (invitation,) = invite(round_, [alice])
    rank(invitation, 10)
    round_.refresh_from_db()
    with pytest.raises(RankingClosed):
        rank(invitation, 9, now=round_.window_closes_at)
    assert list(invitation.preferences.values_list("slot__starts_at", flat=True)) == [chicago(10)]
    # After the assignment too, and after a cancellation.
    _, first, *_ = chain
    first.refresh_from_db()
    with pytest.raises(RankingClosed):
        preferences_save(invitation=first, ranking=[], now=timezone.now())


def test_each_email_goes_once_and_the_reminder_only_to_who_has_not_ranked(world, alice, bob):
    now = timezone.now()
    round_ = make_round(world["medicine"])
    first, _ = invite(round_, [alice, bob], now=now, closes_at=now + datetime.timedelta(hours=48))
    assign_interview_slots.call(now.isoformat())
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]
    invitation = mail.outbox[0]
    assert invitation.subject.startswith("Interview invitation: Internal Medicine")
    closes = first.round.window_closes_at
    assert f"{closes.astimezone(chicago(0).tzinfo):%H:%M} (America/Chicago)" in invitation.body
    rank(first, 9)
    mail.outbox.clear()
    for hours in (37, 40, 47):  # 11, 8 and 1 hours before the window closes
        assign_interview_slots.call((now + datetime.timedelta(hours=hours)).isoformat())
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert mail.outbox[0].subject.startswith("Rank your interview slots")
    assert SlotEmail.objects.filter(kind="reminder").count() == 1


def test_the_outcome_says_waitlist_without_a_position(world, alice, bob):
    round_ = make_round(world["medicine"], hours=(9,))
    first, second = invite(round_, [alice, bob])
    rank(first, 9)
    rank(second, 9)
    mail.outbox.clear()
    assign_interview_slots.call(after(round_))
    (bobs,) = [m for m in mail.outbox if m.to == ["bob@example.org"]]
    assert "on the waitlist for the slots you preferred" in bobs.body
    assert "alice" not in bobs.body.lower() and "priority" not in bobs.body.lower()
    second.refresh_from_db()
    assert is_waitlisted(second) and not is_waitlisted(Invitation.objects.get(pk=first.pk))


def test_a_withdrawn_application_takes_no_slot(world, alice, bob):
    round_ = make_round(world["medicine"])
    first, second = invite(round_, [alice, bob])
    rank(first, 9)
    rank(second, 9)
    Submission.objects.filter(pk=first.submission_id).update(withdrawn_at=timezone.now())
    assign_interview_slots.call(after(round_))
    assert (held(first), held(second)) == (None, 9)


def test_it_marks_the_slots_that_clash_with_the_student_s_other_interviews(world, alice, bob):
    round_ = make_round(world["medicine"], hours=(9, 10))
    later = round_.slots.create(starts_at=chicago(9, day=DAY + datetime.timedelta(days=7)))
    (invitation,) = invite(round_, [alice])
    elsewhere = submit(alice, world["surgery"]).application
    Interview.objects.create(
        application=elsewhere,
        starts_at=chicago(9, 15),
        duration_minutes=30,
        time_zone="America/Chicago",
    )
    rows = {
        row.slot.pk: row for row in student_slots(invitation, own_zone=None, now=timezone.now())
    }
    nine, ten = round_.slots.order_by("starts_at")[:2]
    assert [kind for kind, _ in rows[nine.pk].clashes] == ["overlap"]
    assert [kind for kind, _ in rows[ten.pk].clashes] == ["same_day"]
    assert "Surgery, Northwestern McGaw" in rows[ten.pk].clashes[0][1]
    assert rows[later.pk].clashes == []
    # A slot held in another round, not in the schedule (no interview row), counts as well.
    other = make_round(world["surgery"], hours=())
    slot = other.slots.create(starts_at=chicago(9, day=later.starts_at.date()))
    held_elsewhere = Invitation.objects.create(
        round=other, submission=elsewhere.submission, priority=1, assigned_slot=slot
    )
    rows = {
        row.slot.pk: row for row in student_slots(invitation, own_zone=None, now=timezone.now())
    }
    assert [kind for kind, _ in rows[later.pk].clashes] == ["overlap"]
    assert held_elsewhere.interview is None


def test_a_slot_at_nine_in_chicago_shows_at_nine_and_in_the_student_s_own_zone(world, alice):
    round_ = make_round(world["medicine"], hours=(9,))
    (invitation,) = invite(round_, [alice])
    (row,) = student_slots(invitation, own_zone="Europe/Berlin", now=timezone.now())
    assert (row.program_time.hour, row.program_time.tzname()) == (9, "CST")
    assert (row.own_time.hour, row.own_time.tzname()) == (16, "CET")
    assert row.slot.starts_at == datetime.datetime(2027, 1, 12, 15, tzinfo=datetime.UTC)


def test_the_state_survives_json(chain):
    round_, *_ = chain
    state = load_state(round_.state)
    assert dump_state(state) == round_.state
    with pytest.raises(ValueError):
        load_state({**round_.state, "version": 99})


def test_an_in_person_round_writes_its_place_into_the_interview(world, alice):
    round_ = make_round(
        world["medicine"], format="in_person", place="1620 W Harrison St", city="Chicago", link=""
    )
    (invitation,) = invite(round_, [alice])
    rank(invitation, 11)
    assign_interview_slots.call(after(round_))
    invitation.refresh_from_db()
    interview = invitation.interview
    assert interview.is_in_person and interview.where == "1620 W Harrison St, Chicago"
    assert interview.local_start.hour == 11


def _written(round_) -> dict:
    """Everything the assignment wrote, in terms that do not depend on row ids: per student, the
    slot held, their interview's fields, and their application's status and last move."""
    written = {}
    for invitation in round_.invitations.select_related(
        "assigned_slot", "interview", "submission__application", "submission__student"
    ):
        interview = invitation.interview
        application = invitation.submission.application
        written[invitation.submission.student.username] = (
            invitation.assigned_slot.starts_at if invitation.assigned_slot else None,
            None
            if interview is None
            else (
                interview.application_id == application.pk,
                interview.starts_at,
                interview.time_zone,
                interview.duration_minutes,
                interview.format,
                interview.place,
                interview.city,
                interview.link,
            ),
            application.status,
            list(application.status_changes.values_list("from_status", "to_status")),
        )
    return written


def test_the_bulk_assignment_writes_what_one_by_one_writes(world, alice, bob):
    """A round of twenty students and eight slots (one takes two), some ranking nothing, one
    withdrawn, one whose application had moved past the invitation on their board: the
    assignment writes exactly what a slot written into each student's interviews one at a time
    writes (``_hold``, the cancellation's writer), and the state is the engine's."""
    import random

    others = students(*(f"student{n}" for n in range(18)))
    everyone = [alice, bob, *others]
    hours = (8, 9, 10, 11, 12, 13, 14, 15)
    round_ = make_round(world["medicine"], hours=hours)
    round_.slots.filter(starts_at=chicago(12)).update(capacity=2)
    invitations = invite(round_, everyone)
    rng = random.Random(15)
    for invitation in invitations[2:]:
        rank(invitation, *rng.sample(hours, rng.randint(0, 4)))
    rank(invitations[0], 9, 10)
    rank(invitations[1], 9, 12)
    ranked = Application.objects.get(student=bob, program=world["medicine"])
    ranked.status = Application.Status.RANKED
    ranked.save(update_fields=["status"])
    withdrawn = invitations[5].submission
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save(update_fields=["withdrawn_at"])

    # The reference: the same round assigned by the engine, each slot written one at a time.
    with transaction.atomic():
        round_assign_reference(round_.pk)
        expected = _written(round_)
        expected_state = SlotRound.objects.get(pk=round_.pk).state
        transaction.set_rollback(True)
    assert round_assign(round_pk=round_.pk, now=timezone.now()) is True
    round_.refresh_from_db()
    assert _written(round_) == expected
    assert round_.state == expected_state
    assert sum(1 for row in expected.values() if row[1] is not None) == len(
        load_state(round_.state).assignment
    )
    assert expected["bob"][2] == Application.Status.RANKED  # never moved back


def round_assign_reference(round_pk: int) -> None:
    """The assignment written the plain way: the engine's result, then ``_hold`` per holder."""
    round_ = SlotRound.objects.get(pk=round_pk)
    now = timezone.now()
    round_.invitations.filter(
        cancelled_at__isnull=True, submission__withdrawn_at__isnull=False
    ).update(cancelled_at=now)
    state = engine.assign(slot_rounds.engine_round(round_))
    round_.state = dump_state(state)
    round_.assigned_at = now
    round_.save(update_fields=["state", "assigned_at"])
    slots = {str(slot.pk): slot for slot in round_.slots.all()}
    for invitation in round_.invitations.select_related("submission__application", "interview"):
        slot = state.assignment.get(str(invitation.pk))
        if slot is not None:
            slot_rounds._hold(round_, invitation, slots[slot])


def test_an_invitation_is_recorded_once_by_the_review_s_writer(world, alice, erin):
    from medmatch.workspace.review_services import decisions_set

    first = make_round(world["medicine"])
    (invitation,) = invite(first, [alice])
    submission = invitation.submission
    invited_at = Submission.objects.get(pk=submission.pk).invited_at
    # A second round keeps the first invitation's time and records nothing more.
    invite(make_round(world["medicine"], title="February"), [alice])
    submission.refresh_from_db()
    assert submission.invited_at == invited_at
    assert submission.decision_changes.filter(invited=True).count() == 1
    with pytest.raises(ValueError):
        decisions_set(
            program=world["medicine"],
            submission_ids=[submission.pk],
            decision="hold",
            by=erin,
            invited=True,
        )
