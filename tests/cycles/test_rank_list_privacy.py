"""Who reaches which rank list page: a student's list and proposals are theirs alone; a couple's
pages are the two partners'; a program's list is its own staff's. Everyone else — another
student, a coordinator (of another program), a partner outside their joint list, anonymous —
gets a 404 for GET and POST, and nothing changes."""

import pytest
from django.test import Client
from django.urls import resolve, reverse

from medmatch.cycles import rank_lists as lists
from medmatch.cycles.models import CoupleProposal, ProgramRankEntry, StudentRankEntry
from medmatch.cycles.urls import urlpatterns
from tests.contributions.conftest import make_coordinatorship
from tests.cycles.rank_fixtures import logged_in
from tests.personas import make_user

pytestmark = pytest.mark.django_db

STUDENT_LIST_URLS = ["list", "list_add", "list_move", "list_order", "list_certify"]
COUPLE_URLS = [
    "couple",
    "couple_add",
    "couple_move",
    "couple_order",
    "couple_certify",
    "couple_end",
]
PROGRAM_URLS = [
    "program_list",
    "program_list_add",
    "program_list_move",
    "program_list_order",
    "program_list_import",
    "program_list_certify",
]
PROPOSAL_URLS = ["proposal_withdraw", "proposal_answer"]


def test_it_lists_every_rank_list_url_here():
    names = {p.name for p in urlpatterns}
    mine = set(STUDENT_LIST_URLS + COUPLE_URLS + PROGRAM_URLS + PROPOSAL_URLS)
    mine |= {"couple_propose", "list_start", "home", "program_lists"}
    assert mine <= names
    assert {
        n for n in names if n.startswith(("list", "couple", "program_list", "proposal"))
    } <= mine


@pytest.fixture
def scene(alice, erin, carol, market):
    """alice's certified list with a program; alice and erin linked with a joint list; gina's
    pending proposal to someone else; the medicine program's list (alice on it); carol is a
    director of the other hospital only."""
    cycle, medicine = market["cycle"], market["medicine"]
    rank_list = lists.student_list_start(cycle=cycle, student=alice)
    lists.student_list_write(rank_list=rank_list, order=[medicine.pk])
    lists.student_list_certify(rank_list=rank_list)
    proposal = lists.couple_propose(cycle=cycle, proposer=alice, email=erin.email)
    link = lists.couple_proposal_answer(proposal=proposal, partner=erin, accept=True)
    joint = lists.joint_list(link)
    lists.couple_pairs_write(joint=joint, pairs=[(medicine.pk, None)])
    pending = lists.couple_propose(
        cycle=cycle, proposer=make_user("gina"), email="someone@example.org"
    )
    plist = lists.program_list(medicine)
    lists.program_list_write(plist=plist, order=[alice.pk])
    make_coordinatorship(carol, market["other_hospital"], role="director")
    return {
        "list": rank_list,
        "link": link,
        "pending": pending,
        "program": medicine,
        "proposal_to_alice": CoupleProposal.objects.create(
            cycle=cycle, proposer=make_user("frank"), email=alice.email
        ),
    }


def snapshot():
    return (
        list(StudentRankEntry.objects.values_list("pk", "rank", "cycle_program_id")),
        list(ProgramRankEntry.objects.values_list("pk", "rank", "student_id")),
        list(CoupleProposal.objects.values_list("pk", "status")),
    )


DATA = {"move": "remove-1", "decision": "accept", "cycle_program": "1", "text": "code\n"}


PAGES = {"list", "couple", "program_list"}


def assert_hidden(clients: dict, urls: list[str]):
    """A 404 with the page's own method; the other method may get the 405 that any id gets
    (it is decided before the object is looked up, so it tells nothing)."""
    before = snapshot()
    for url in urls:
        own = "get" if resolve(url).url_name in PAGES else "post"
        for who, client in clients.items():
            for method in ("get", "post"):
                status = getattr(client, method)(url, DATA).status_code
                allowed = {404} if method == own else {404, 405}
                assert status in allowed, f"{who} {method} {url}: {status}"
    assert snapshot() == before


def test_a_students_list_is_hidden_from_everyone_else(bob, carol, erin, scene):
    clients = {
        "another student": logged_in(Client, bob),
        "their partner": logged_in(Client, erin),
        "a coordinator": logged_in(Client, carol),
        "anonymous": Client(),
    }
    urls = [reverse(f"cycles:{name}", args=[scene["list"].pk]) for name in STUDENT_LIST_URLS]
    urls.append(reverse("cycles:couple_propose", args=[scene["list"].pk]))
    assert_hidden(clients, urls)


def test_a_joint_list_is_hidden_from_all_but_the_partners(alice, erin, bob, carol, scene):
    clients = {
        "another student": logged_in(Client, bob),
        "a coordinator": logged_in(Client, carol),
        "anonymous": Client(),
    }
    urls = [reverse(f"cycles:{name}", args=[scene["link"].pk]) for name in COUPLE_URLS]
    assert_hidden(clients, urls)
    couple = reverse("cycles:couple", args=[scene["link"].pk])
    assert logged_in(Client, alice).get(couple).status_code == 200
    assert logged_in(Client, erin).get(couple).status_code == 200


def test_proposals_are_reached_only_by_their_proposer_or_addressee(alice, bob, carol, scene):
    clients = {
        "another student": logged_in(Client, bob),
        "a coordinator": logged_in(Client, carol),
        "anonymous": Client(),
        # alice is neither the proposer nor the addressee of gina's pending proposal.
        "a stranger to it": logged_in(Client, alice),
    }
    withdraw = reverse("cycles:proposal_withdraw", args=[scene["pending"].pk])
    answer = reverse("cycles:proposal_answer", args=[scene["pending"].pk])
    assert_hidden(clients, [withdraw, answer])
    # The proposer cannot answer their own proposal; the addressee cannot withdraw it.
    to_alice = scene["proposal_to_alice"]
    frank = logged_in(Client, to_alice.proposer)
    assert (
        frank.post(reverse("cycles:proposal_answer", args=[to_alice.pk]), DATA).status_code == 404
    )
    as_alice = logged_in(Client, alice)
    assert as_alice.post(reverse("cycles:proposal_withdraw", args=[to_alice.pk])).status_code == 404


def test_a_programs_list_is_hidden_from_students_and_other_programs(
    alice, bob, carol, scene, market
):
    clients = {
        "a ranked student": logged_in(Client, alice),
        "another student": logged_in(Client, bob),
        "another program's director": logged_in(Client, carol),
        "anonymous": Client(),
    }
    urls = [reverse(f"cycles:{name}", args=[scene["program"].pk]) for name in PROGRAM_URLS]
    assert_hidden(clients, urls)
    # carol sees her own program's list, not the medicine program in her overview.
    page = logged_in(Client, carol).get(reverse("cycles:program_lists")).content.decode()
    assert "Family Medicine" in page and "Internal Medicine" not in page
    for who in ("another student", "anonymous"):
        assert clients[who].get(reverse("cycles:program_lists")).status_code == 404


def test_a_coordinator_cannot_start_a_student_list(carol, market):
    response = logged_in(Client, carol).post(
        reverse("cycles:list_start", args=[market["cycle"].pk])
    )
    assert response.status_code == 404
