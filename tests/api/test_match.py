"""A student's side of the match through the API, read only: rank order lists with the rows as
the rank list page builds them, couples with their joint list (both partners and nobody else),
and published results with the reasons in words; anyone else's a 404."""

import pytest
from django.test import Client

from medmatch.cycles.models import MatchCycle
from medmatch.research.models import ShortlistItem
from tests.api.conftest import bearer, make_token
from tests.cycles.factories import (
    make_cycle,
    make_cycle_program,
    make_small_market,
    make_student_list,
    run_through_the_page,
)
from tests.personas import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(alice):
    cycle = make_cycle(state="open", days_to_match=20)
    advanced = make_cycle_program(cycle, "Dermatology", track="advanced")
    medicine = make_cycle_program(cycle, "Internal Medicine")
    preliminary = make_cycle_program(cycle, "Preliminary Medicine", track="preliminary")
    rank_list = make_student_list(
        cycle,
        alice,
        [advanced, medicine],
        supplemental={advanced: [preliminary]},
        certified=False,
    )
    ShortlistItem.objects.create(student=alice, program=medicine.program, rating=5)
    return {"cycle": cycle, "list": rank_list, "advanced": advanced, "medicine": medicine}


def _client(user, scopes=("match:read",)):
    client = Client()
    client.defaults.update(bearer(make_token(user, list(scopes))))
    return client


def test_it_shows_the_list_as_the_page_builds_it(alice, market):
    api = _client(alice)
    listed = api.get("/api/v1/rank-lists").json()["items"]
    assert [(r["id"], r["length"], r["editable"]) for r in listed] == [(market["list"].pk, 2, True)]
    assert listed[0]["certified_at"] is None and listed[0]["closed_reason"] == ""
    body = api.get(f"/api/v1/rank-lists/{market['list'].pk}").json()
    rows = body["rows"]
    assert [(r["rank"], r["program"]) for r in rows] == [
        (1, "Dermatology"),
        (2, "Internal Medicine"),
    ]
    assert [s["program"] for s in rows[0]["supplemental"]] == ["Preliminary Medicine"]
    assert rows[1]["supplemental"] is None
    assert rows[1]["shortlist_rating"] == 5 and rows[0]["shortlist_rating"] is None
    assert rows[1]["fit"] is None  # no goals: unknown, never 0


def test_only_the_student_reads_their_list(alice, market):
    url = f"/api/v1/rank-lists/{market['list'].pk}"
    for user in (make_user("bob"), make_user("carol", role="coordinator")):
        assert _client(user).get(url).status_code == 404
        assert _client(user).get("/api/v1/rank-lists").json()["items"] == []
    assert _client(alice, ["applications:write"]).get(url).status_code == 403
    assert _client(alice).delete(url).status_code == 405
    assert Client().get(url).status_code == 401


@pytest.fixture
def published(alice, bob, client, django_capture_on_commit_callbacks):
    market = make_small_market(alice, bob)
    run_through_the_page(client, market["cycle"], django_capture_on_commit_callbacks)
    return market


def test_results_appear_only_once_published_with_the_reasons_in_words(published, alice):
    api = _client(alice)
    cycle = published["cycle"]
    assert api.get("/api/v1/match-results").json()["items"] == []
    assert api.get(f"/api/v1/match-results/{cycle.pk}").status_code == 404
    MatchCycle.objects.filter(pk=cycle.pk).update(state=MatchCycle.State.PUBLISHED)
    listed = api.get("/api/v1/match-results").json()["items"]
    assert [(r["cycle"]["id"], r["matched"]) for r in listed] == [(cycle.pk, None)]
    body = api.get(f"/api/v1/match-results/{cycle.pk}").json()
    assert body["matched"] is None and body["partner_matched"] is None
    assert body["reasons"][0]["choice"] == "General Surgery, General Surgery Hospital"
    assert "It filled its 1 position" in body["reasons"][0]["why"]
    assert "you were its 3rd" in body["reasons"][0]["why"]
    for other in ("bob", "frank", "gina", "erin", "henry"):
        assert other not in str(body)


def test_a_couple_sees_the_joint_list_and_the_pair_it_matched(published):
    frank, gina = published["students"]["frank"], published["students"]["gina"]
    MatchCycle.objects.filter(pk=published["cycle"].pk).update(state=MatchCycle.State.PUBLISHED)
    as_gina = _client(gina)
    couples = as_gina.get("/api/v1/couples").json()["items"]
    assert [(c["partner"], c["length"]) for c in couples] == [("frank", 3)]
    assert couples[0]["certified_at"] is not None
    joint = as_gina.get(f"/api/v1/couples/{couples[0]['id']}").json()
    # gina is the partner: "mine" is her side of each (frank's, gina's) pair.
    assert [(p["mine"]["program"], p["partner"]["program"]) for p in joint["pairs"]] == [
        ("Internal Medicine", "Internal Medicine"),
        ("Family Medicine", "General Surgery"),
        ("Family Medicine", "Family Medicine"),
    ]
    as_frank = _client(frank)
    first = as_frank.get(f"/api/v1/couples/{couples[0]['id']}").json()["pairs"][1]
    assert (first["mine"]["program"], first["partner"]["program"]) == (
        "General Surgery",
        "Family Medicine",
    )
    result = as_gina.get(f"/api/v1/match-results/{published['cycle'].pk}").json()
    assert result["matched"]["program"] == "Internal Medicine"
    assert result["partner_matched"]["program"] == "Internal Medicine"
    assert result["choice_number"] == 1
    for outsider in (published["students"]["alice"], make_user("zoe")):
        other = _client(outsider)
        assert other.get(f"/api/v1/couples/{couples[0]['id']}").status_code == 404
        assert other.get("/api/v1/couples").json()["items"] == []
