# ruff: noqa: F811  (pytest fixtures imported from another area's conftest, then requested by name)
"""Rank lists written through the API under the pages' rules: a student replaces and certifies
their list, a program's staff replace its list and only a director certifies it; any change
un-certifies; a locked cycle or one past its deadline is a 409 with the page's reason."""

import pytest
from django.test import Client
from django.utils import timezone

from medmatch.cycles.models import MatchCycle, ProgramRankList, StudentRankList
from medmatch.cycles.rank_lists import applicant_code, program_order, student_order
from tests.api.conftest import token_client
from tests.contributions.conftest import make_coordinatorship
from tests.cycles.factories import make_program_list, make_student_list
from tests.cycles.rank_fixtures import market  # noqa: F401 (fixture)
from tests.personas import make_user

pytestmark = pytest.mark.django_db

JSON = "application/json"
_api = token_client


@pytest.fixture
def own_list(alice, market):
    return make_student_list(market["cycle"], alice, [market["medicine"]], certified=True)


def test_a_student_replaces_the_list_and_it_is_uncertified(alice, market, own_list):
    api = _api(alice, ["match:write"])
    body = {
        "programs": [market["radiology"].pk, market["surgery"].pk],
        "supplemental": [{"advanced": market["radiology"].pk, "programs": [market["prelim"].pk]}],
    }
    response = api.put(f"/api/v1/rank-lists/{own_list.pk}", body, content_type=JSON)
    assert response.status_code == 200, response.json()
    written = response.json()
    assert written["uncertified"] is True and written["certified_at"] is None
    assert [row["program"] for row in written["rows"]] == [
        "Diagnostic Radiology",
        "General Surgery",
    ]
    assert [s["program"] for s in written["rows"][0]["supplemental"]] == ["Preliminary Medicine"]
    assert student_order(own_list) == [market["radiology"].pk, market["surgery"].pk]
    certified = api.post(f"/api/v1/rank-lists/{own_list.pk}/certify")
    assert certified.status_code == 200 and certified.json()["certified_at"] is not None


def test_a_bad_list_names_the_field_and_changes_nothing(alice, market, own_list):
    api = _api(alice, ["match:write"])
    url = f"/api/v1/rank-lists/{own_list.pk}"
    outside = api.put(url, {"programs": [market["medicine"].pk, 99999]}, content_type=JSON)
    assert outside.status_code == 422
    assert outside.json()["error"]["fields"][0]["field"] == "programs"
    twice = api.put(url, {"programs": [market["surgery"].pk] * 2}, content_type=JSON)
    assert twice.status_code == 422 and "twice" in twice.json()["error"]["message"]
    # A supplemental list of a program that is not advanced: refused, the main list unchanged.
    body = {
        "programs": [market["surgery"].pk],
        "supplemental": [{"advanced": market["surgery"].pk, "programs": [market["prelim"].pk]}],
    }
    wrong = api.put(url, body, content_type=JSON)
    assert wrong.status_code == 422
    assert wrong.json()["error"]["fields"][0]["field"] == "supplemental.0"
    own_list.refresh_from_db()
    assert student_order(own_list) == [market["medicine"].pk]
    assert own_list.certified_at is not None


def test_a_locked_cycle_refuses_with_the_pages_reason(alice, market, own_list):
    MatchCycle.objects.filter(pk=market["cycle"].pk).update(state=MatchCycle.State.LOCKED)
    api = _api(alice, ["match:write"])
    url = f"/api/v1/rank-lists/{own_list.pk}"
    response = api.put(url, {"programs": [market["surgery"].pk]}, content_type=JSON)
    assert response.status_code == 409
    assert response.json()["error"]["message"] == "The cycle is locked: lists are read-only."
    assert api.post(f"{url}/certify").status_code == 409
    MatchCycle.objects.filter(pk=market["cycle"].pk).update(
        state=MatchCycle.State.OPEN, certification_deadline=timezone.now()
    )
    late = api.post(f"{url}/certify")
    assert late.status_code == 409 and "deadline has passed" in late.json()["error"]["message"]
    assert student_order(own_list) == [market["medicine"].pk]


def test_an_empty_list_cannot_be_certified(alice, market):
    empty = StudentRankList.objects.create(cycle=market["cycle"], student=alice)
    response = _api(alice, ["match:write"]).post(f"/api/v1/rank-lists/{empty.pk}/certify")
    assert response.status_code == 409 and "at least one" in response.json()["error"]["message"]


def test_only_the_student_writes_their_list_and_a_read_scope_cannot(alice, market, own_list):
    url = f"/api/v1/rank-lists/{own_list.pk}"
    body = {"programs": [market["surgery"].pk]}
    reader = _api(alice, ["match:read"])
    assert reader.get(url).status_code == 200
    assert reader.put(url, body, content_type=JSON).status_code == 403
    assert reader.post(f"{url}/certify").status_code == 403
    for other in (make_user("bob"), make_user("carol", role="coordinator")):
        assert _api(other, ["match:write"]).put(url, body, content_type=JSON).status_code == 404
    assert Client().put(url, body, content_type=JSON).status_code == 401
    assert student_order(own_list) == [market["medicine"].pk]


@pytest.fixture
def staff(market):
    coordinator = make_user("cora", role="coordinator")
    director = make_user("dina", role="coordinator")
    make_coordinatorship(coordinator, market["hospital"])
    make_coordinatorship(director, market["hospital"], role="director")
    elsewhere = make_user("hugo", role="coordinator")
    make_coordinatorship(elsewhere, market["other_hospital"])
    return {"coordinator": coordinator, "director": director, "elsewhere": elsewhere}


def test_a_programs_staff_replace_its_list_and_only_a_director_certifies(alice, bob, market, staff):
    entry = market["medicine"]
    make_program_list(entry, [], certified=False)
    codes = [applicant_code(cycle=market["cycle"], student=s).code for s in (alice, bob)]
    url = f"/api/v1/program-rank-lists/{entry.pk}"
    as_coordinator = _api(staff["coordinator"], ["program:write"])
    listed = as_coordinator.get("/api/v1/program-rank-lists").json()["items"]
    assert {item["program"] for item in listed} == {
        "Internal Medicine",
        "General Surgery",
        "Diagnostic Radiology",
        "Preliminary Medicine",
    }
    body = {"applicants": [{"code": codes[1]}, {"code": codes[0].lower()}]}
    written = as_coordinator.put(url, body, content_type=JSON).json()
    assert [(row["rank"], row["name"]) for row in written["rows"]] == [(1, "bob"), (2, "alice")]
    assert written["can_certify"] is False
    refused = as_coordinator.post(f"{url}/certify")
    assert refused.status_code == 403 and "program director" in refused.json()["error"]["message"]
    as_director = _api(staff["director"], ["program:write"])
    certified = as_director.post(f"{url}/certify").json()
    assert certified["certified_at"] is not None and certified["can_certify"] is True
    # Reordering by student id (both are on the list) un-certifies it.
    again = {"applicants": [{"student_id": alice.pk}, {"student_id": bob.pk}]}
    reordered = as_coordinator.put(url, again, content_type=JSON).json()
    assert reordered["uncertified"] is True
    assert program_order(ProgramRankList.objects.get(cycle_program=entry)) == [alice.pk, bob.pk]


def test_a_bad_program_list_names_each_applicant_at_fault(alice, market, staff):
    entry = market["medicine"]
    make_program_list(entry, [alice], certified=True)
    applicant_code(cycle=market["cycle"], student=alice)
    stranger = make_user("sam")
    body = {
        "applicants": [
            {"code": "ZZZZZZZZ"},
            {"student_id": stranger.pk},
            {"code": "ABCDEFGH", "student_id": alice.pk},
        ]
    }
    api = _api(staff["coordinator"], ["program:write"])
    response = api.put(f"/api/v1/program-rank-lists/{entry.pk}", body, content_type=JSON)
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == [
        "applicants.0.code",
        "applicants.1.student_id",
        "applicants.2",
    ]
    plist = ProgramRankList.objects.get(cycle_program=entry)
    assert program_order(plist) == [alice.pk] and plist.certified_at is not None


def test_a_program_list_is_its_staffs_only_and_closed_when_locked(alice, market, staff):
    entry = market["medicine"]
    make_program_list(entry, [alice], certified=False)
    url = f"/api/v1/program-rank-lists/{entry.pk}"
    body = {"applicants": []}
    for other in (alice, staff["elsewhere"], make_user("carol", role="coordinator")):
        api = _api(other, ["program:write", "match:write"])
        assert api.get(url).status_code == 404
        assert api.put(url, body, content_type=JSON).status_code == 404
        assert api.post(f"{url}/certify").status_code == 404
    assert Client().get(url).status_code == 401
    reader = _api(staff["director"], ["program:read"])
    assert reader.get(url).status_code == 200
    assert reader.put(url, body, content_type=JSON).status_code == 403
    assert reader.post(f"{url}/certify").status_code == 403
    MatchCycle.objects.filter(pk=market["cycle"].pk).update(state=MatchCycle.State.LOCKED)
    locked = _api(staff["director"], ["program:write"]).put(url, body, content_type=JSON)
    assert locked.status_code == 409 and "locked" in locked.json()["error"]["message"]
    assert program_order(ProgramRankList.objects.get(cycle_program=entry)) == [alice.pk]


def test_the_program_lists_cost_no_query_per_list(alice, market, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for key in ("medicine", "surgery", "radiology", "hilltop"):
        make_program_list(market[key], [alice], certified=False)
    counts = {}
    for who in ("coordinator", "elsewhere"):  # four lists; one list
        api = _api(staff[who], ["program:read"])
        api.get("/api/v1/program-rank-lists")  # the token's first use is recorded once
        with CaptureQueriesContext(connection) as queries:
            items = api.get("/api/v1/program-rank-lists").json()["items"]
        counts[who] = (len(queries), len(items))
    assert counts["coordinator"][1] == 4 and counts["elsewhere"][1] == 1
    assert counts["coordinator"][0] == counts["elsewhere"][0]
