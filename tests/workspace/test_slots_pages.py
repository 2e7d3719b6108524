"""Interview slot pages: the coordinator's round (create, slots, invite in order, close now,
remove a student, ICS) and the invited student's page (rank, outcome, cancel); the privacy of
every URL for every outsider; a student never sees priorities, other students or waitlists."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medmatch.interviews.models import Interview
from medmatch.workspace.models import Invitation, SlotRound, Submission
from medmatch.workspace.tasks import assign_interview_slots
from tests.workspace.conftest import submit
from tests.workspace.slot_factories import chicago, invite, make_round, mark_invite, rank, students

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def assigned(world, alice, bob):
    """A round of three slots, assigned: alice 9:00, bob 10:00 (waiting for 9:00), cara 11:00
    (waiting for 10:00)."""
    (cara,) = students("cara")
    round_ = make_round(world["medicine"])
    first, second, third = invite(round_, [alice, bob, cara])
    rank(first, 9)
    rank(second, 9, 10)
    rank(third, 10, 11)
    round_.refresh_from_db()
    assign_interview_slots.call(
        (round_.window_closes_at + datetime.timedelta(minutes=1)).isoformat()
    )
    round_.refresh_from_db()
    return round_, first, second, third


def round_url(name, round_, *more):
    return reverse(f"workspace:{name}", args=[round_.program_id, round_.pk, *more])


# ---- the coordinator -----------------------------------------------------------------------------


def test_a_coordinator_creates_a_round_adds_slots_and_invites_in_their_order(
    world, erin, alice, bob
):
    client = as_user(erin)
    medicine = world["medicine"]
    response = client.post(
        reverse("workspace:round_create", args=[medicine.pk]),
        {
            "title": "November interviews",
            "time_zone": "America/Chicago",
            "duration_minutes": "30",
            "format": "virtual",
            "link": "https://meet.example.org/im",
        },
    )
    round_ = SlotRound.objects.get(title="November interviews")
    assert response.status_code == 302 and round_.program == medicine
    assert round_.window_opens_at is None
    client.post(
        round_url("round_slots", round_),
        {
            "bulk-date": "2027-01-12",
            "bulk-first": "09:00",
            "bulk-until": "11:00",
            "bulk-every": "30",
            "bulk-capacity": "1",
        },
    )
    client.post(
        round_url("round_slots", round_), {"date": "2027-01-13", "time": "09:00", "capacity": "2"}
    )
    starts = [slot.starts_at for slot in round_.slots.all()]
    assert starts == [
        chicago(9),
        chicago(9, 30),
        chicago(10),
        chicago(10, 30),
        chicago(9, day=datetime.date(2027, 1, 13)),
    ]
    # Two applicants marked invite (alice first), one on hold: the form offers the two.
    now = timezone.now()
    first = mark_invite(submit(alice, medicine), now - datetime.timedelta(hours=2))
    second = mark_invite(submit(bob, medicine), now - datetime.timedelta(hours=1))
    (cara,) = students("cara")
    held = submit(cara, medicine)
    Submission.objects.filter(pk=held.pk).update(decision="hold")
    page = client.get(round_url("round_invite", round_)).content.decode()
    assert page.index("alice") < page.index("bob") and "cara" not in page
    closes = (now + datetime.timedelta(hours=48)).astimezone(chicago(0).tzinfo)
    assert f'value="{closes:%Y-%m-%d}"' in page
    # The coordinator puts bob first.
    response = client.post(
        round_url("round_invite", round_),
        {
            f"position_{first.pk}": "2",
            f"position_{second.pk}": "1",
            "closes_date": f"{closes:%Y-%m-%d}",
            "closes_time": "17:00",
        },
    )
    assert response.status_code == 302
    assert [(i.submission_id, i.priority) for i in round_.invitations.order_by("priority")] == [
        (second.pk, 1),
        (first.pk, 2),
    ]
    round_.refresh_from_db()
    assert round_.window_opens_at is not None
    assert round_.window_closes_at.astimezone(chicago(0).tzinfo).hour == 17
    first.refresh_from_db()
    assert first.invited_at is not None
    # Recorded by the review's one writer, in the decision's history, by who sent it.
    change = first.decision_changes.get(invited=True)
    assert (change.previous, change.decision, change.changed_by) == ("invite", "invite", erin)
    assert change.changed_at == first.invited_at
    panel = client.get(reverse("workspace:review", args=[first.pk])).content.decode()
    assert "invited to an interview round, by" in panel and "invite → invite" not in panel


def test_the_forms_refuse_hostile_input(world, erin):
    client = as_user(erin)
    round_ = make_round(world["medicine"], hours=())
    for data in (
        {"date": "2027-01-12", "time": "09:00", "capacity": "51"},
        {"date": "2027-01-12", "time": "09:00", "capacity": "\u0661"},
        {"date": "9999-12-31", "time": "09:00", "capacity": "1"},
        {
            "bulk-date": "2027-01-12",
            "bulk-first": "09:00",
            "bulk-until": "23:59",
            "bulk-every": "5",
            "bulk-capacity": "1",
        },
    ):
        assert client.post(round_url("round_slots", round_), data).status_code == 200, data
    assert not round_.slots.exists()
    response = client.post(
        reverse("workspace:round_create", args=[world["medicine"].pk]),
        {"title": "x", "time_zone": "America", "duration_minutes": "30", "format": "virtual"},
    )
    assert response.status_code == 200 and "not a known time zone" in response.content.decode()


def test_the_round_page_shows_holders_waitlists_in_order_and_who_has_ranked(
    world, erin, alice, bob
):
    round_ = make_round(world["medicine"], hours=(9,))
    (cara,) = students("cara")
    first, second, _third = invite(round_, [alice, bob, cara])
    rank(first, 9)
    rank(second, 9)
    page = as_user(erin).get(round_url("round", round_)).content.decode()
    assert "2 ranked, 1 not yet" in page
    assign_interview_slots.call(
        (round_.window_closes_at + datetime.timedelta(minutes=1)).isoformat()
    )
    page = as_user(erin).get(round_url("round", round_)).content.decode()
    slots_table = page[page.index("slots-heading") : page.index("invited-heading")]
    assert "alice" in slots_table and "<ol><li>bob</li></ol>" in slots_table
    assert "cara" not in slots_table


def test_closing_the_window_now_assigns_at_once(world, erin, alice):
    round_ = make_round(world["medicine"])
    (invitation,) = invite(round_, [alice])
    rank(invitation, 10)
    response = as_user(erin).post(round_url("round_close", round_))
    assert response.status_code == 302
    round_.refresh_from_db()
    invitation.refresh_from_db()
    assert round_.assigned_at is not None and round_.window_closes_at <= timezone.now()
    assert invitation.assigned_slot.starts_at == chicago(10)
    assert as_user(erin).post(round_url("round_close", round_)).status_code == 302  # no-op


def test_staff_removing_a_student_moves_the_waitlist(
    assigned, erin, django_capture_on_commit_callbacks
):
    round_, first, second, third = assigned
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        as_user(erin).post(round_url("invitation_remove", round_, first.pk))
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.assigned_slot.starts_at == chicago(
        9
    ) and third.assigned_slot.starts_at == chicago(10)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@example.org",
        "bob@example.org",
        "cara@example.org",
    ]
    (alices,) = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert "took you out of the round" in alices.body


def test_the_staff_calendar_has_every_assigned_slot(assigned, erin):
    round_, *_ = assigned
    response = as_user(erin).get(round_url("round_calendar", round_))
    body = response.content.decode().replace("\r\n ", "")  # unfold the long lines
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    assert body.count("BEGIN:VEVENT") == 3
    assert "SUMMARY:Interview: alice" in body
    assert "DTSTART:20270112T150000Z" in body  # 09:00 in Chicago (CST)
    assert "09:00 (America/Chicago)" in body


# ---- the invited student -------------------------------------------------------------------------


def test_the_student_ranks_the_slots_in_both_time_zones(world, alice):
    round_ = make_round(world["medicine"])
    (invitation,) = invite(round_, [alice])
    client = as_user(alice)
    url = reverse("workspace:invitation", args=[invitation.pk])
    page = client.get(url, {"zone": "Europe/Berlin"}).content.decode()
    assert "Tue 12 Jan 2027, 09:00" in page and "Tue 12 Jan 2027, 16:00" in page
    nine, ten, eleven = round_.slots.all()
    response = client.post(
        url, {f"slot_{nine.pk}": "2", f"slot_{ten.pk}": "", f"slot_{eleven.pk}": "1"}
    )
    assert response.status_code == 302
    assert list(invitation.preferences.values_list("slot_id", "rank")) == [
        (eleven.pk, 1),
        (nine.pk, 2),
    ]
    # Two slots with one rank, or a rank out of the list, are refused; nothing changes.
    for data in (
        {f"slot_{nine.pk}": "1", f"slot_{ten.pk}": "1"},
        {f"slot_{nine.pk}": "99"},
        {f"slot_{nine.pk}": "\u0661"},
    ):
        assert client.post(url, data).status_code == 200
    assert invitation.preferences.count() == 2


def test_the_student_cannot_rank_once_the_window_closed(world, alice):
    round_ = make_round(world["medicine"])
    (invitation,) = invite(round_, [alice])
    SlotRound.objects.filter(pk=round_.pk).update(
        window_closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client = as_user(alice)
    url = reverse("workspace:invitation", args=[invitation.pk])
    nine = round_.slots.first()
    response = client.post(url, {f"slot_{nine.pk}": "1"}, follow=True)
    assert "The window has closed" in response.content.decode()
    assert not invitation.preferences.exists()
    assert "Save my ranking" not in client.get(url).content.decode()


def test_the_student_sees_the_slot_or_the_waitlist_and_nothing_of_anyone_else(assigned, alice, bob):
    _, first, second, _ = assigned
    page = as_user(alice).get(reverse("workspace:invitation", args=[first.pk])).content.decode()
    assert "Tuesday 12 January 2027, 09:00 (America/Chicago)" in page
    first.refresh_from_db()
    assert f"/interviews/{first.interview_id}/" in page
    page = as_user(bob).get(reverse("workspace:invitation", args=[second.pk])).content.decode()
    assert "on the waitlist for the slots you preferred" in page
    for secret in ("alice", "cara", "priority", "Priority", "position", "Waitlist, in order"):
        assert secret not in page, secret
    listing = as_user(bob).get(reverse("workspace:invitations")).content.decode()
    assert "Internal Medicine" in listing and "alice" not in listing


def test_the_student_cancels_and_the_waitlist_moves_up(
    assigned, alice, django_capture_on_commit_callbacks
):
    _, first, second, _ = assigned
    url = reverse("workspace:invitation_cancel", args=[first.pk])
    client = as_user(alice)
    assert "Cancel my interview" in client.get(url).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.cancelled_at is not None and first.interview is None
    assert second.assigned_slot.starts_at == chicago(9)
    assert Interview.objects.get(pk=second.interview_id).starts_at == chicago(9)
    assert {m.to[0] for m in mail.outbox} == {
        "alice@example.org",
        "bob@example.org",
        "cara@example.org",
    }
    assert (
        "You cancelled"
        in client.get(reverse("workspace:invitation", args=[first.pk])).content.decode()
    )


# ---- privacy -------------------------------------------------------------------------------------


STAFF_URLS = [
    ("rounds", lambda r, i: [r.program_id]),
    ("round_create", lambda r, i: [r.program_id]),
    ("round", lambda r, i: [r.program_id, r.pk]),
    ("round_slots", lambda r, i: [r.program_id, r.pk]),
    ("slot_delete", lambda r, i: [r.program_id, r.pk, r.slots.first().pk]),
    ("round_invite", lambda r, i: [r.program_id, r.pk]),
    ("round_window", lambda r, i: [r.program_id, r.pk]),
    ("round_close", lambda r, i: [r.program_id, r.pk]),
    ("invitation_remove", lambda r, i: [r.program_id, r.pk, i.pk]),
    ("round_calendar", lambda r, i: [r.program_id, r.pk]),
]
STUDENT_URLS = ["invitation", "invitation_cancel"]


@pytest.fixture
def outsiders_of_rush(gina, frank, bob):
    return {
        "another program's coordinator": as_user(gina),
        "an unverified coordinator": as_user(frank),
        "a student": as_user(bob),
        "anonymous": Client(),
    }


@pytest.mark.parametrize(("name", "args"), STAFF_URLS, ids=[name for name, _ in STAFF_URLS])
def test_staff_pages_are_a_404_for_everyone_else(assigned, erin, outsiders_of_rush, name, args):
    round_, first, *_ = assigned
    url = reverse(f"workspace:{name}", args=args(round_, first))
    assert as_user(erin).get(url).status_code in (200, 405)
    for who, client in outsiders_of_rush.items():
        statuses = {client.get(url).status_code, client.post(url, {"title": "x"}).status_code}
        assert 404 in statuses and statuses <= {404, 405}, (who, url, statuses)
    first.refresh_from_db()
    assert first.cancelled_at is None and round_.slots.count() == 3


def test_a_round_under_another_program_s_url_is_a_404(assigned, erin, gina, world):
    round_, *_ = assigned
    url = reverse("workspace:round", args=[world["surgery"].pk, round_.pk])
    assert as_user(gina).get(url).status_code == 404
    assert as_user(erin).get(url).status_code == 404


@pytest.mark.parametrize("name", STUDENT_URLS)
def test_a_student_s_invitation_is_a_404_for_everyone_else(assigned, erin, gina, frank, bob, name):
    _, first, *_ = assigned
    url = reverse(f"workspace:{name}", args=[first.pk])
    for who, client in {
        "another student": as_user(bob),
        "the program's own coordinator": as_user(erin),
        "another program's coordinator": as_user(gina),
        "an unverified coordinator": as_user(frank),
        "anonymous": Client(),
    }.items():
        for response in (client.get(url), client.post(url, {})):
            assert response.status_code == 404, (who, url)
    assert Invitation.objects.get(pk=first.pk).cancelled_at is None


def test_the_invitation_list_shows_only_one_s_own(assigned, bob):
    as_dora = as_user(students("dora")[0])
    assert "Internal Medicine" not in as_dora.get(reverse("workspace:invitations")).content.decode()
    response = Client().get(reverse("workspace:invitations"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_coordinator_moves_the_window_s_end_until_the_assignment(world, erin, alice):
    round_ = make_round(world["medicine"])
    invite(round_, [alice])
    later = (timezone.now() + datetime.timedelta(days=5)).astimezone(chicago(0).tzinfo)
    data = {"closes_date": f"{later:%Y-%m-%d}", "closes_time": "08:30"}
    assert as_user(erin).post(round_url("round_window", round_), data).status_code == 302
    round_.refresh_from_db()
    local = round_.window_closes_at.astimezone(chicago(0).tzinfo)
    assert (local.date(), local.hour, local.minute) == (later.date(), 8, 30)
    past = {"closes_date": "2020-01-01", "closes_time": "08:30"}
    assert as_user(erin).post(round_url("round_window", round_), past).status_code == 200
    as_user(erin).post(round_url("round_close", round_))
    as_user(erin).post(round_url("round_window", round_), data)
    round_.refresh_from_db()
    assert round_.window_closes_at <= timezone.now()


def test_the_assigned_slot_is_in_the_student_s_own_calendar(assigned, alice):
    response = as_user(alice).get(reverse("interviews:calendar"))
    body = response.content.decode().replace("\r\n ", "")
    assert body.count("BEGIN:VEVENT") == 1
    assert "DTSTART:20270112T150000Z" in body and "(America/Chicago)" in body


def test_the_round_form_offers_the_program_s_own_zone(world, erin):
    page = as_user(erin).get(reverse("workspace:round_create", args=[world["medicine"].pk]))
    assert '<option value="America/Chicago" selected>' in page.content.decode()


def test_the_zone_the_student_ranks_in_is_remembered_for_the_next_invitation(world, alice):
    first_round = make_round(world["medicine"])
    (invitation,) = invite(first_round, [alice])
    client = as_user(alice)
    url = reverse("workspace:invitation", args=[invitation.pk])
    # Not said yet: only the program's zone, and the page says the zone ranked in is kept.
    page = client.get(url).content.decode()
    assert "Jan 2027, 16:00" not in page and "remembered as yours" in page
    nine = first_round.slots.first()
    assert client.post(f"{url}?zone=Europe/Berlin", {f"slot_{nine.pk}": "1"}).status_code == 302
    alice.refresh_from_db()
    assert alice.time_zone == "Europe/Berlin"
    # The next invitation shows Berlin times with no ?zone=, and says where to change it.
    second_round = make_round(world["surgery"], title="Surgery days")
    (second,) = invite(second_round, [alice])
    page = client.get(reverse("workspace:invitation", args=[second.pk])).content.decode()
    assert "Tue 12 Jan 2027, 16:00" in page and "your time zone" in page
    assert '<option value="Europe/Berlin" selected>' in page
    # Looking at the program's zone only is a choice for this page, not a change of theirs.
    page = client.get(reverse("workspace:invitation", args=[second.pk]), {"zone": ""})
    assert "Jan 2027, 16:00" not in page.content.decode()
    alice.refresh_from_db()
    assert alice.time_zone == "Europe/Berlin"


def test_an_unknown_zone_is_refused_and_nothing_is_remembered(world, alice):
    round_ = make_round(world["medicine"])
    (invitation,) = invite(round_, [alice])
    client = as_user(alice)
    url = reverse("workspace:invitation", args=[invitation.pk])
    page = client.get(url, {"zone": "Mars/Olympus"}).content.decode()
    assert "not a known time zone" in page
    nine = round_.slots.first()
    client.post(f"{url}?zone=Mars/Olympus", {f"slot_{nine.pk}": "1"})
    alice.refresh_from_db()
    assert alice.time_zone == ""
