"""The match administrator's cycle pages: a draft is created and edited, takes programs with
quotas (one by one or by specialty), is opened and locked; every change is audited and a change
the cycle's state does not allow is refused and changes nothing."""

import datetime

import pytest
from django.utils import timezone

from medmatch.cycles.models import CycleAuditEntry, CycleProgram, MatchCycle
from tests.catalog.factories import make_program, make_specialty


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def cycle_data(**overrides) -> dict:
    now = timezone.now()
    data = {
        "name": "Main Residency Match 2027",
        "rules": "nrmp",
        "rank_lists_open_at": _local(now - datetime.timedelta(days=1)),
        "certification_deadline": _local(now + datetime.timedelta(days=30)),
        "match_day": _local(now + datetime.timedelta(days=40)),
    }
    return {**data, **overrides}


@pytest.fixture
def as_dave(client, dave):
    client.force_login(dave)
    return client


@pytest.fixture
def cycle(as_dave):
    response = as_dave.post("/match/cycles/new/", cycle_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    return MatchCycle.objects.get()


@pytest.fixture
def program(db):
    return make_program("Internal Medicine", track_type="categorical")


def test_it_creates_a_draft_and_audits_it(cycle, dave):
    assert cycle.state == MatchCycle.State.DRAFT
    assert cycle.created_by == dave
    entry = CycleAuditEntry.objects.get(cycle=cycle)
    assert (entry.who, entry.to_state, entry.note) == (
        dave,
        "draft",
        "Created the cycle as a draft.",
    )


def test_it_refuses_dates_out_of_order(as_dave):
    now = timezone.now()
    data = cycle_data(match_day=_local(now + datetime.timedelta(days=2)))
    response = as_dave.post("/match/cycles/new/", data)
    assert response.status_code == 400
    assert "Match day cannot come before" in response.content.decode()
    assert not MatchCycle.objects.exists()


def test_it_edits_a_draft_and_names_what_changed(as_dave, cycle):
    response = as_dave.post(f"/match/cycles/{cycle.pk}/edit/", cycle_data(name="Match 2027"))
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.name == "Match 2027"
    assert cycle.audit.first().note == "Edited name."


def test_it_adds_a_program_with_its_quota_and_track(as_dave, cycle, program):
    data = {"program": program.pk, "quota": "4"}
    response = as_dave.post(f"/match/cycles/{cycle.pk}/programs/add/", data)
    assert response.status_code == 302
    entry = CycleProgram.objects.get(cycle=cycle)
    assert (entry.program, entry.quota, entry.track) == (program, 4, "categorical")
    assert "with 4 positions" in cycle.audit.first().note
    page = as_dave.get(f"/match/cycles/{cycle.pk}/").content.decode()
    assert "Internal Medicine" in page


@pytest.mark.parametrize("quota", ["0", "-1", "501", "many", ""])
def test_it_refuses_a_quota_out_of_bounds(as_dave, cycle, program, quota):
    data = {"program": program.pk, "quota": quota}
    response = as_dave.post(f"/match/cycles/{cycle.pk}/programs/add/", data)
    assert response.status_code == 400
    assert not CycleProgram.objects.exists()


def test_it_refuses_an_unknown_program_and_a_second_entry(as_dave, cycle, program):
    url = f"/match/cycles/{cycle.pk}/programs/add/"
    assert as_dave.post(url, {"program": program.pk + 1000, "quota": "2"}).status_code == 400
    assert as_dave.post(url, {"program": program.pk, "quota": "2"}).status_code == 302
    response = as_dave.post(url, {"program": program.pk, "quota": "3"})
    assert response.status_code == 400
    assert "already in the cycle" in response.content.decode()
    assert CycleProgram.objects.get().quota == 2


def test_it_adds_every_program_of_a_specialty(as_dave, cycle):
    surgery = make_specialty("General Surgery", code="440", slug="general-surgery")
    first = make_program("Surgery A", specialty=surgery, country="US")
    make_program("Surgery B", specialty=surgery, country="CA")
    make_program("Pediatrics", country="US")
    url = f"/match/cycles/{cycle.pk}/programs/add-by-specialty/"
    response = as_dave.post(url, {"specialty": surgery.pk, "country": "US", "quota": "6"})
    assert response.status_code == 302
    assert list(cycle.programs.values_list("program", "quota")) == [(first.pk, 6)]
    # Again: the programs already in the cycle are not added twice.
    as_dave.post(url, {"specialty": surgery.pk, "country": "", "quota": "6"})
    assert cycle.programs.count() == 2
    assert cycle.audit.first().note == "Added 1 General Surgery programs with 6 positions each."


def test_it_removes_a_program_from_a_draft(as_dave, cycle, program):
    as_dave.post(f"/match/cycles/{cycle.pk}/programs/add/", {"program": program.pk, "quota": "2"})
    entry = CycleProgram.objects.get()
    response = as_dave.post(f"/match/cycles/{cycle.pk}/programs/{entry.pk}/remove/")
    assert response.status_code == 302
    assert not CycleProgram.objects.exists()
    assert cycle.audit.first().note == "Removed Internal Medicine."


def test_it_refuses_to_open_a_cycle_without_programs(as_dave, cycle):
    response = as_dave.post(f"/match/cycles/{cycle.pk}/open/", follow=True)
    assert "Add at least one program" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.state == MatchCycle.State.DRAFT
    assert cycle.audit.count() == 1


@pytest.fixture
def open_cycle(as_dave, cycle, program):
    as_dave.post(f"/match/cycles/{cycle.pk}/programs/add/", {"program": program.pk, "quota": "2"})
    response = as_dave.post(f"/match/cycles/{cycle.pk}/open/")
    assert response.status_code == 302
    cycle.refresh_from_db()
    return cycle


def test_it_opens_a_draft_with_programs_and_audits_the_transition(open_cycle, dave):
    assert open_cycle.state == MatchCycle.State.OPEN
    entry = open_cycle.audit.first()
    assert (entry.who, entry.from_state, entry.to_state) == (dave, "draft", "open")


def test_it_refuses_every_draft_change_once_open(as_dave, open_cycle):
    other = make_program("Pediatrics")
    before = open_cycle.audit.count()
    pk = open_cycle.pk
    as_dave.post(f"/match/cycles/{pk}/edit/", cycle_data(name="Changed"))
    as_dave.post(f"/match/cycles/{pk}/programs/add/", {"program": other.pk, "quota": "2"})
    entry = open_cycle.programs.get()
    as_dave.post(f"/match/cycles/{pk}/programs/{entry.pk}/remove/")
    as_dave.post(f"/match/cycles/{pk}/open/")
    open_cycle.refresh_from_db()
    assert open_cycle.name == "Main Residency Match 2027"
    assert open_cycle.programs.count() == 1
    assert open_cycle.state == MatchCycle.State.OPEN
    assert open_cycle.audit.count() == before


def test_it_asks_to_confirm_locking_before_the_deadline(as_dave, open_cycle, dave):
    response = as_dave.post(f"/match/cycles/{open_cycle.pk}/lock/", follow=True)
    assert "confirm to lock the cycle early" in response.content.decode()
    open_cycle.refresh_from_db()
    assert open_cycle.state == MatchCycle.State.OPEN
    as_dave.post(f"/match/cycles/{open_cycle.pk}/lock/", {"confirm_early": "on"})
    open_cycle.refresh_from_db()
    assert open_cycle.state == MatchCycle.State.LOCKED
    entry = open_cycle.audit.first()
    assert (entry.who, entry.from_state, entry.to_state) == (dave, "open", "locked")
    assert entry.note == "Locked the cycle before the certification deadline."


def test_it_locks_after_the_deadline_without_a_confirmation(as_dave, open_cycle):
    MatchCycle.objects.filter(pk=open_cycle.pk).update(
        rank_lists_open_at=timezone.now() - datetime.timedelta(days=20),
        certification_deadline=timezone.now() - datetime.timedelta(days=1),
    )
    as_dave.post(f"/match/cycles/{open_cycle.pk}/lock/")
    open_cycle.refresh_from_db()
    assert open_cycle.state == MatchCycle.State.LOCKED
    assert open_cycle.audit.first().note == "Locked the cycle."


def test_it_refuses_to_lock_a_draft(as_dave, cycle):
    as_dave.post(f"/match/cycles/{cycle.pk}/lock/", {"confirm_early": "on"})
    cycle.refresh_from_db()
    assert cycle.state == MatchCycle.State.DRAFT


def test_it_lets_site_staff_in(client, bob, cycle):
    bob.is_staff = True
    bob.save()
    client.force_login(bob)
    assert client.get(f"/match/cycles/{cycle.pk}/").status_code == 200


def test_it_records_where_unfilled_positions_revert(as_dave, cycle, program):
    prelim = make_program("Internal Medicine (preliminary)", track_type="preliminary")
    url = f"/match/cycles/{cycle.pk}/programs/add/"
    as_dave.post(url, {"program": program.pk, "quota": "2"})
    target = CycleProgram.objects.get(program=program)
    as_dave.post(url, {"program": prelim.pk, "quota": "2", "revert_to": target.pk})
    assert CycleProgram.objects.get(program=prelim).revert_to == target
    # Only a program of this cycle can take the positions.
    other = MatchCycle.objects.create(
        name="Other",
        rank_lists_open_at=cycle.rank_lists_open_at,
        certification_deadline=cycle.certification_deadline,
        match_day=cycle.match_day,
    )
    foreign = CycleProgram.objects.create(cycle=other, program=make_program("Surgery"), quota=1)
    third = make_program("Neurology")
    response = as_dave.post(url, {"program": third.pk, "quota": "2", "revert_to": foreign.pk})
    assert response.status_code == 400


def test_it_shows_only_the_actions_the_state_allows(as_dave, cycle, open_cycle):
    page = as_dave.get(f"/match/cycles/{open_cycle.pk}/").content.decode()
    assert f"/match/cycles/{open_cycle.pk}/lock/" in page
    assert "Lock before the certification deadline" in page
    for gone in ("/open/", "/programs/add/", "/edit/"):
        assert f"/match/cycles/{open_cycle.pk}{gone}" not in page
    assert "/remove/" not in page
    assert "Opened the cycle for rank lists." in page
    response = as_dave.get(f"/match/cycles/{open_cycle.pk}/edit/", follow=True)
    assert "Only a draft cycle can be edited." in response.content.decode()
