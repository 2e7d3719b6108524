# ruff: noqa: F811  (pytest fixtures imported from another area's conftest, then requested by name)
"""A program's interview slot rounds read through the API by its verified staff, as the rounds
pages show them: the rounds with their states, one round's slots with holders and waitlists in
the program's order, its invitations with their states; another program's staff, students, an
unverified coordinator get 404; a read scope reads; nothing writes."""

import datetime

import pytest
from django.test import Client

from medmatch.workspace.models import Invitation
from medmatch.workspace.tasks import assign_interview_slots
from tests.api.conftest import token_client
from tests.workspace.conftest import erin, frank, gina, world  # noqa: F401 (fixtures)
from tests.workspace.slot_factories import invite, make_round, rank, students

pytestmark = pytest.mark.django_db


def _api(user, scopes=("program:read",)) -> Client:
    return token_client(user, scopes)


@pytest.fixture
def rounds(world, alice, bob):
    """Rush's rounds: one being prepared (no invitations), one assigned (alice 9:00, bob 10:00
    waiting for 9:00, cara 11:00 waiting for 10:00, dan cancelled before the assignment)."""
    preparing = make_round(world["medicine"], title="Spring days", hours=(14,))
    assigned = make_round(world["medicine"])
    cara, dan = students("cara", "dan")
    first, second, third, fourth = invite(assigned, [alice, bob, cara, dan])
    rank(first, 9)
    rank(second, 9, 10)
    rank(third, 10, 11)
    Invitation.objects.filter(pk=fourth.pk).update(cancelled_at=first.invited_at)
    assigned.refresh_from_db()
    assign_interview_slots.call(
        (assigned.window_closes_at + datetime.timedelta(minutes=1)).isoformat()
    )
    assigned.refresh_from_db()
    return {"preparing": preparing, "assigned": assigned}


def test_staff_list_a_programs_rounds_with_their_states(world, erin, rounds):
    url = f"/api/v1/programs/{world['medicine'].pk}/rounds"
    listed = _api(erin).get(url)
    assert listed.status_code == 200, listed.json()
    items = listed.json()["items"]
    assert [(r["id"], r["state"], r["slot_count"], r["invited_count"]) for r in items] == [
        (rounds["preparing"].pk, "preparing", 1, 0),
        (rounds["assigned"].pk, "assigned", 3, 4),
    ]
    assert items[0]["window_opens_at"] is None and items[1]["assigned_at"] is not None
    first = _api(erin).get(url, {"limit": 1}).json()
    assert [r["id"] for r in first["items"]] == [rounds["preparing"].pk]
    rest = _api(erin).get(url, {"limit": 1, "cursor": first["next_cursor"]}).json()
    assert [r["id"] for r in rest["items"]] == [rounds["assigned"].pk]
    assert rest["next_cursor"] is None
    bad = _api(erin).get(url, {"limit": 0})
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "limit"


def test_a_round_shows_holders_waitlists_in_order_and_invitation_states(erin, rounds):
    round_ = rounds["assigned"]
    response = _api(erin).get(f"/api/v1/rounds/{round_.pk}")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "assigned" and body["capacity"] == 3
    assert [slot["local_start"] for slot in body["slots"]] == [
        "2027-01-12T09:00",
        "2027-01-12T10:00",
        "2027-01-12T11:00",
    ]
    assert [
        ([h["name"] for h in s["holders"]], [w["name"] for w in s["waitlist"]], s["free"])
        for s in body["slots"]
    ] == [(["alice"], ["bob"], 0), (["bob"], ["cara"], 0), (["cara"], [], 0)]
    assert [
        (i["priority"], i["name"], i["state"], i["slots_ranked"]) for i in body["invitations"]
    ] == [
        (1, "alice", "assigned", 1),
        (2, "bob", "assigned", 2),
        (3, "cara", "assigned", 2),
        (4, "dan", "cancelled", 0),
    ]
    assert body["counts"] == {"ranked": 3, "not_ranked": 0, "cancelled": 1, "without_slot": 0}
    holder = body["slots"][0]["holders"][0]["invitation_id"]
    assert holder == body["invitations"][0]["id"]
    assert body["invitations"][0]["assigned_slot_id"] == body["slots"][0]["id"]


def test_a_round_before_the_assignment_shows_who_has_ranked(world, erin, alice, bob):
    round_ = make_round(world["medicine"], hours=(9,))
    first, _second = invite(round_, [alice, bob])
    rank(first, 9)
    body = _api(erin).get(f"/api/v1/rounds/{round_.pk}").json()
    assert body["state"] == "ranking" and body["window_opens_at"] is not None
    assert [i["state"] for i in body["invitations"]] == ["ranked", "not_ranked"]
    assert body["slots"][0]["holders"] == [] and body["slots"][0]["waitlist"] == []
    assert body["counts"]["ranked"] == 1 and body["counts"]["not_ranked"] == 1


def test_only_the_programs_staff_read_its_rounds(world, erin, gina, frank, alice, rounds):
    urls = [
        f"/api/v1/programs/{world['medicine'].pk}/rounds",
        f"/api/v1/rounds/{rounds['assigned'].pk}",
    ]
    # gina: verified staff of another program; frank: unverified; alice: invited to the round.
    for other in (gina, frank, alice):
        api = _api(other, ["program:write", "match:write", "interviews:write"])
        for url in urls:
            response = api.get(url)
            assert response.status_code == 404, (other.username, url)
            assert response.json()["error"]["code"] == "not_found"
    for url in urls:
        assert Client().get(url).status_code == 401
        # Another area's scope does not read them; nothing writes them.
        assert _api(erin, ["match:write"]).get(url).status_code == 403
        assert _api(erin, ["program:write"]).post(url).status_code == 405
    # gina's own program has no rounds: an empty list, not Rush's.
    own = _api(gina).get(f"/api/v1/programs/{world['surgery'].pk}/rounds")
    assert own.status_code == 200 and own.json()["items"] == []


def test_a_round_costs_no_query_per_slot_or_invitation(world, erin, alice, bob):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = make_round(world["medicine"], hours=(9,))
    invite(small, [alice])
    large = make_round(world["medicine"], title="Large", hours=(9, 10, 11))
    for invitation in invite(large, [alice, bob, *students("cara", "dan")]):
        rank(invitation, 9, 10)
    api = _api(erin)
    api.get(f"/api/v1/rounds/{small.pk}")  # the token's first use is recorded once
    counts = []
    for round_ in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"/api/v1/rounds/{round_.pk}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
