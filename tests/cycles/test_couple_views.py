"""Couples on the web: a proposal by email that tells the proposer nothing about the address,
accepting it on the match home, the joint list both partners edit (suggestions from their
individual lists, "no match" on one side), certifying by both, and ending the link."""

import pytest
from django.test import Client
from django.urls import reverse

from medmatch.cycles import rank_lists as lists
from medmatch.cycles.models import CoupleLink, CoupleProposal
from tests.cycles.rank_fixtures import logged_in

pytestmark = pytest.mark.django_db

SAID = "If this address belongs to a student taking part in this cycle"


@pytest.fixture
def alices_list(alice, market):
    return lists.student_list_start(cycle=market["cycle"], student=alice)


def propose(client, rank_list, email):
    url = reverse("cycles:couple_propose", args=[rank_list.pk])
    return client.post(url, {"email": email}, follow=True).content.decode()


def test_a_proposal_reads_the_same_whether_the_address_exists(alice, erin, alices_list):
    as_alice = logged_in(Client, alice)
    page = propose(as_alice, alices_list, "nobody@example.org")
    assert SAID in page and "waiting for an answer" in page
    CoupleProposal.objects.all().delete()
    page = propose(as_alice, alices_list, erin.email)
    assert SAID in page and "waiting for an answer" in page
    assert "erin" not in page.replace(erin.email, "")


def test_the_partner_accepts_and_both_build_and_certify_the_joint_list(
    alice, erin, alices_list, market
):
    as_alice, as_erin = logged_in(Client, alice), logged_in(Client, erin)
    propose(as_alice, alices_list, erin.email)
    home = as_erin.get(reverse("cycles:home")).content.decode()
    assert "proposes to match as a couple" in home
    proposal = CoupleProposal.objects.get()
    response = as_erin.post(
        reverse("cycles:proposal_answer", args=[proposal.pk]), {"decision": "accept"}
    )
    link = CoupleLink.objects.get()
    assert response.url == reverse("cycles:couple", args=[link.pk])
    m, s = market["medicine"], market["surgery"]
    lists.student_list_write(rank_list=alices_list, order=[m.pk])
    erins_list = erin.cycle_rank_lists.get()
    lists.student_list_write(rank_list=erins_list, order=[s.pk])
    page = as_alice.get(response.url).content.decode()
    assert "Pairs your individual lists imply" in page and "General Surgery" in page
    add = reverse("cycles:couple_add", args=[link.pk])
    as_alice.post(add, {"proposer_program": m.pk, "partner_program": s.pk})
    as_erin.post(add, {"proposer_program": m.pk, "partner_program": "none"})
    joint = link.rank_list
    assert lists.pair_order(joint) == [(m.pk, s.pk), (m.pk, None)]
    certify = reverse("cycles:couple_certify", args=[link.pk])
    page = as_alice.post(certify, follow=True).content.decode()
    assert "once your partner certifies" in page
    page = as_erin.post(certify, follow=True).content.decode()
    assert "Both of you have certified" in page
    joint.refresh_from_db()
    assert joint.certified_at is not None
    # Erin moves a pair: the list stops counting for both.
    first = joint.pairs.get(rank=1)
    page = as_erin.post(
        reverse("cycles:couple_move", args=[link.pk]), {"move": f"down-{first.pk}"}, follow=True
    ).content.decode()
    joint.refresh_from_db()
    assert joint.certified_at is None and "un-certified it for both of you" in page
    assert lists.pair_order(joint) == [(m.pk, None), (m.pk, s.pk)]


def test_declining_and_ending(alice, erin, alices_list):
    as_alice, as_erin = logged_in(Client, alice), logged_in(Client, erin)
    propose(as_alice, alices_list, erin.email)
    proposal = CoupleProposal.objects.get()
    as_erin.post(reverse("cycles:proposal_answer", args=[proposal.pk]), {"decision": "decline"})
    proposal.refresh_from_db()
    assert proposal.status == "declined" and not CoupleLink.objects.exists()
    propose(as_alice, alices_list, erin.email)
    proposal = CoupleProposal.objects.get(status="pending")
    as_erin.post(reverse("cycles:proposal_answer", args=[proposal.pk]), {"decision": "accept"})
    link = CoupleLink.objects.get()
    as_erin.post(reverse("cycles:couple_end", args=[link.pk]))
    link.refresh_from_db()
    assert link.ended_at is not None
    assert (
        "This link has ended"
        in as_alice.get(reverse("cycles:couple", args=[link.pk])).content.decode()
    )


def test_an_ended_link_takes_no_pair_and_no_certification(alice, erin, alices_list, market):
    # The forms are hidden once the link has ended; a post made anyway (an old tab) is refused
    # by the service the page and the API share, and nothing changes.
    as_alice, as_erin = logged_in(Client, alice), logged_in(Client, erin)
    propose(as_alice, alices_list, erin.email)
    proposal = CoupleProposal.objects.get()
    as_erin.post(reverse("cycles:proposal_answer", args=[proposal.pk]), {"decision": "accept"})
    link = CoupleLink.objects.get()
    m = market["medicine"]
    as_alice.post(
        reverse("cycles:couple_add", args=[link.pk]),
        {"proposer_program": m.pk, "partner_program": "none"},
    )
    as_erin.post(reverse("cycles:couple_end", args=[link.pk]))
    joint = lists.joint_list(link)
    add = reverse("cycles:couple_add", args=[link.pk])
    page = as_alice.post(
        add, {"proposer_program": m.pk, "partner_program": m.pk}, follow=True
    ).content.decode()
    assert "This link has ended." in page
    assert lists.pair_order(joint) == [(m.pk, None)]
    page = as_alice.post(
        reverse("cycles:couple_certify", args=[link.pk]), follow=True
    ).content.decode()
    assert "This link has ended." in page
    joint.refresh_from_db()
    assert joint.proposer_certified_at is None


def test_a_pair_with_no_match_on_both_sides_is_refused(alice, erin, alices_list):
    as_alice = logged_in(Client, alice)
    propose(as_alice, alices_list, erin.email)
    link = lists.couple_proposal_answer(
        proposal=CoupleProposal.objects.get(), partner=erin, accept=True
    )
    response = as_alice.post(
        reverse("cycles:couple_add", args=[link.pk]),
        {"proposer_program": "none", "partner_program": "none"},
    )
    assert response.status_code == 400 and "is not a pair" in response.content.decode()


def _linked(alice, erin, market):
    proposal = lists.couple_propose(cycle=market["cycle"], proposer=alice, email=erin.email)
    link = lists.couple_proposal_answer(proposal=proposal, partner=erin, accept=True)
    m, s = market["medicine"].pk, market["surgery"].pk
    joint = lists.joint_list(link)
    lists.couple_pairs_write(joint=joint, pairs=[(m, s), (m, None)])
    lists.couple_list_certify(joint=joint, student=alice)
    lists.couple_list_certify(joint=joint, student=erin)
    return link, joint


def test_the_htmx_reorder_returns_the_joint_list_with_the_uncertified_notice(
    alice, erin, alices_list, market
):
    link, joint = _linked(alice, erin, market)
    first, second = lists.pair_order(joint)
    keys = list(joint.pairs.order_by("rank").values_list("pk", flat=True))
    response = logged_in(Client, erin).post(
        reverse("cycles:couple_order", args=[link.pk]),
        {f"rank_{keys[0]}": "2", f"rank_{keys[1]}": "1"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    # Only the list, in its new order, with its status: not the whole page.
    assert page.lstrip().startswith('<section id="pairs"') and "<html" not in page
    assert "un-certified it for both of you" in page and "Not certified" in page
    assert page.index("No match") < page.index("General Surgery")
    assert lists.pair_order(joint) == [second, first]
    joint.refresh_from_db()
    assert joint.certified_at is None


def test_without_htmx_the_rank_numbers_post_redirects_to_the_page(alice, erin, alices_list, market):
    link, joint = _linked(alice, erin, market)
    first, second = lists.pair_order(joint)
    keys = list(joint.pairs.order_by("rank").values_list("pk", flat=True))
    url = reverse("cycles:couple_order", args=[link.pk])
    response = logged_in(Client, alice).post(url, {f"rank_{keys[0]}": "2", f"rank_{keys[1]}": "1"})
    assert response.status_code == 302 and response.url == reverse("cycles:couple", args=[link.pk])
    assert lists.pair_order(joint) == [second, first]
    # A number given twice is refused naming the rows, and nothing changes (a write makes new
    # pair rows, so their keys are read again).
    keys = list(joint.pairs.order_by("rank").values_list("pk", flat=True))
    response = logged_in(Client, alice).post(url, {f"rank_{keys[0]}": "1", f"rank_{keys[1]}": "1"})
    page = response.content.decode()
    assert response.status_code == 400 and "Rank 1 is also given to" in page
    # The field points at its message (Django's aria-describedby names "<id>_error").
    field = f"id_rank_{keys[1]}"
    assert f'aria-describedby="{field}_error"' in page and f'id="{field}_error"' in page
    assert lists.pair_order(joint) == [second, first]
