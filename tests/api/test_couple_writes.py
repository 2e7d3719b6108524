# ruff: noqa: F811  (pytest fixtures imported from another area's conftest, then requested by name)
"""A couple's joint list written through the API under the couple page's rules: either partner
replaces the whole list of (their program, their partner's) pairs in one change, which
un-certifies it for both; each certifies their side and it counts once both have certified the
current version; a locked cycle, one past its deadline or an ended link is a 409 with the page's
reason; only the two partners reach it."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from medmatch.cycles.models import CoupleLink, CoupleRankList, MatchCycle
from medmatch.cycles.rank_lists import pair_order
from tests.api.conftest import token_client
from tests.cycles.factories import make_couple
from tests.cycles.rank_fixtures import market  # noqa: F401 (fixture)
from tests.personas import make_user

pytestmark = pytest.mark.django_db

JSON = "application/json"
_api = token_client


@pytest.fixture
def couple(alice, market):
    """alice proposed, dora accepted; their joint list holds (medicine, surgery), certified by
    both."""
    dora = make_user("dora")
    link = make_couple(market["cycle"], alice, dora, [(market["medicine"], market["surgery"])])
    CoupleRankList.objects.filter(link=link).update(
        proposer_certified_at=timezone.now(), partner_certified_at=timezone.now()
    )
    return {"link": link, "dora": dora, "url": f"/api/v1/couples/{link.pk}"}


def _joint(link) -> CoupleRankList:
    return CoupleRankList.objects.get(link=link)


def test_a_partner_replaces_the_list_from_their_side_and_it_is_uncertified(market, couple):
    # dora is the partner: her "mine" is the partner's side of the stored pair.
    api = _api(couple["dora"], ["match:write"])
    body = {
        "pairs": [
            {"mine": market["radiology"].pk, "partner": market["medicine"].pk},
            {"mine": None, "partner": market["surgery"].pk},
        ]
    }
    response = api.put(f"{couple['url']}/list", body, content_type=JSON)
    assert response.status_code == 200, response.json()
    written = response.json()
    assert written["uncertified"] is True
    assert written["certified_at"] is None and written["you_certified_at"] is None
    assert written["partner_certified_at"] is None
    assert [
        (p["rank"], p["mine"] and p["mine"]["program"], p["partner"]["program"])
        for p in written["pairs"]
    ] == [
        (1, "Diagnostic Radiology", "Internal Medicine"),
        (2, None, "General Surgery"),
    ]
    # Stored as (proposer's, partner's): alice's program first.
    assert pair_order(_joint(couple["link"])) == [
        (market["medicine"].pk, market["radiology"].pk),
        (market["surgery"].pk, None),
    ]
    # alice reads the same list from her side.
    mine = _api(couple["link"].proposer, ["match:read"]).get(couple["url"]).json()
    assert mine["pairs"][1]["mine"]["program"] == "General Surgery"
    assert mine["pairs"][1]["partner"] is None


def test_it_counts_once_both_partners_certify_and_any_change_uncertifies(alice, market, couple):
    as_alice = _api(alice, ["match:write"])
    as_dora = _api(couple["dora"], ["match:write"])
    url = couple["url"]
    body = {"pairs": [{"mine": market["surgery"].pk, "partner": None}]}
    assert as_alice.put(f"{url}/list", body, content_type=JSON).json()["uncertified"] is True
    first = as_alice.post(f"{url}/certify")
    assert first.status_code == 200, first.json()
    assert first.json()["you_certified_at"] is not None
    assert first.json()["partner_certified_at"] is None and first.json()["certified_at"] is None
    second = as_dora.post(f"{url}/certify").json()
    assert second["certified_at"] is not None
    assert second["you_certified_at"] is not None and second["partner_certified_at"] is not None
    # The same list written again is still a change: both must certify again.
    again = as_dora.put(
        f"{url}/list",
        {"pairs": [{"mine": None, "partner": market["surgery"].pk}]},
        content_type=JSON,
    )
    assert again.status_code == 200 and again.json()["uncertified"] is True
    joint = _joint(couple["link"])
    assert joint.certified_at is None and joint.proposer_certified_at is None
    # An empty list cannot be certified.
    assert as_alice.put(f"{url}/list", {"pairs": []}, content_type=JSON).status_code == 200
    empty = as_alice.post(f"{url}/certify")
    assert empty.status_code == 409 and "at least one pair" in empty.json()["error"]["message"]


def test_a_bad_list_names_each_pair_at_fault_and_changes_nothing(alice, market, couple):
    api = _api(alice, ["match:write"])
    url = f"{couple['url']}/list"
    body = {
        "pairs": [
            {"mine": market["medicine"].pk, "partner": None},
            {"mine": None, "partner": None},
            {"mine": market["surgery"].pk, "partner": 99999},
        ]
    }
    response = api.put(url, body, content_type=JSON)
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == [
        "pairs.1",
        "pairs.2.partner",
    ]
    assert "not a pair" in response.json()["error"]["fields"][0]["reason"]
    pair = {"mine": market["medicine"].pk, "partner": None}
    twice = api.put(url, {"pairs": [pair, pair]}, content_type=JSON)
    assert twice.status_code == 422
    assert twice.json()["error"]["fields"] == [
        {"field": "pairs", "reason": "A pair is on the list twice."}
    ]
    # A side left out is not taken as "no match": the schema names it.
    missing = api.put(url, {"pairs": [{"mine": market["medicine"].pk}]}, content_type=JSON)
    assert missing.status_code == 422
    assert missing.json()["error"]["fields"][0]["field"] == "pairs.0.partner"
    too_long = {"pairs": [pair] * 301}
    assert api.put(url, too_long, content_type=JSON).status_code == 422
    joint = _joint(couple["link"])
    assert pair_order(joint) == [(market["medicine"].pk, market["surgery"].pk)]
    assert joint.certified_at is not None and joint.partner_certified_at is not None


def test_a_locked_cycle_or_an_ended_link_refuses_with_the_pages_reason(alice, market, couple):
    api = _api(alice, ["match:write"])
    url = couple["url"]
    body = {"pairs": [{"mine": market["surgery"].pk, "partner": None}]}
    MatchCycle.objects.filter(pk=market["cycle"].pk).update(state=MatchCycle.State.LOCKED)
    locked = api.put(f"{url}/list", body, content_type=JSON)
    assert locked.status_code == 409
    assert locked.json()["error"]["message"] == "The cycle is locked: lists are read-only."
    assert api.post(f"{url}/certify").status_code == 409
    MatchCycle.objects.filter(pk=market["cycle"].pk).update(
        state=MatchCycle.State.OPEN, certification_deadline=timezone.now()
    )
    late = api.post(f"{url}/certify")
    assert late.status_code == 409 and "deadline has passed" in late.json()["error"]["message"]
    MatchCycle.objects.filter(pk=market["cycle"].pk).update(
        certification_deadline=timezone.now() + datetime.timedelta(days=5)
    )
    CoupleLink.objects.filter(pk=couple["link"].pk).update(ended_at=timezone.now())
    for response in (api.put(f"{url}/list", body, content_type=JSON), api.post(f"{url}/certify")):
        assert response.status_code == 409
        assert response.json()["error"]["message"] == "This link has ended."
    assert pair_order(_joint(couple["link"])) == [(market["medicine"].pk, market["surgery"].pk)]


def test_only_the_partners_write_and_a_read_scope_cannot(alice, market, couple):
    url = couple["url"]
    body = {"pairs": [{"mine": market["surgery"].pk, "partner": None}]}
    reader = _api(alice, ["match:read"])
    assert reader.get(url).status_code == 200
    assert reader.put(f"{url}/list", body, content_type=JSON).status_code == 403
    assert reader.post(f"{url}/certify").status_code == 403
    for other in (make_user("bob"), make_user("carol", role="coordinator")):
        api = _api(other, ["match:write"])
        assert api.put(f"{url}/list", body, content_type=JSON).status_code == 404
        assert api.post(f"{url}/certify").status_code == 404
    assert Client().put(f"{url}/list", body, content_type=JSON).status_code == 401
    assert Client().post(f"{url}/certify").status_code == 401
    joint = _joint(couple["link"])
    assert pair_order(joint) == [(market["medicine"].pk, market["surgery"].pk)]
    assert joint.certified_at is not None
