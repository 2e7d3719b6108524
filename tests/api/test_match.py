"""A student's rank order lists through the API: read only, the rows as the rank list page
builds them, anyone else's list a 404."""

import pytest
from django.test import Client

from medmatch.research.models import ShortlistItem
from tests.api.conftest import bearer, make_token
from tests.cycles.factories import make_cycle, make_cycle_program, make_student_list
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
