"""The cycle's models: a cycle moves only forward, its dates stay in order, and the student-owned
rows (a rank list, a couple's link and joint list) are their owners' alone."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError
from django.http import Http404
from django.utils import timezone

from medmatch.cycles.models import (
    CoupleLink,
    CouplePair,
    CoupleRankList,
    CycleProgram,
    MatchCycle,
    StudentRankEntry,
    StudentRankList,
)
from medmatch.lib.access import get_owned_or_404
from tests.catalog.factories import make_program
from tests.personas import make_user


def make_cycle(**fields) -> MatchCycle:
    now = timezone.now()
    defaults = {
        "name": "Match",
        "rank_lists_open_at": now,
        "certification_deadline": now + datetime.timedelta(days=1),
        "match_day": now + datetime.timedelta(days=2),
    }
    return MatchCycle.objects.create(**(defaults | fields))


@pytest.mark.parametrize(
    ("state", "allowed"),
    [
        ("draft", {"open"}),
        ("open", {"locked"}),
        ("locked", {"run"}),
        ("run", {"published"}),
        ("published", set()),
    ],
)
def test_it_moves_a_cycle_only_forward(state, allowed):
    cycle = MatchCycle(state=state)
    assert {s for s in MatchCycle.State if cycle.can_move_to(s)} == allowed


@pytest.mark.django_db
def test_it_keeps_the_dates_in_order():
    now = timezone.now()
    with pytest.raises(IntegrityError):
        make_cycle(certification_deadline=now + datetime.timedelta(days=3))


@pytest.mark.django_db
def test_it_gives_a_rank_list_to_its_student_alone(alice, bob):
    cycle = make_cycle()
    entry = CycleProgram.objects.create(cycle=cycle, program=make_program(), quota=2)
    rank_list = StudentRankList.objects.create(cycle=cycle, student=alice)
    ranked = StudentRankEntry.objects.create(rank_list=rank_list, cycle_program=entry, rank=1)
    assert get_owned_or_404(StudentRankEntry, alice, pk=ranked.pk) == ranked
    for outsider in (bob, AnonymousUser()):
        with pytest.raises(Http404):
            get_owned_or_404(StudentRankList, outsider, pk=rank_list.pk)


@pytest.mark.django_db
def test_it_gives_a_couple_link_and_its_pairs_to_both_partners_alone(alice, bob):
    cycle = make_cycle()
    entry = CycleProgram.objects.create(cycle=cycle, program=make_program(), quota=2)
    link = CoupleLink.objects.create(cycle=cycle, proposer=alice, partner=bob)
    joint = CoupleRankList.objects.create(link=link)
    pair = CouplePair.objects.create(rank_list=joint, rank=1, proposer_program=entry)
    for partner in (alice, bob):
        assert get_owned_or_404(CoupleLink, partner, pk=link.pk) == link
        assert get_owned_or_404(CoupleRankList, partner, pk=joint.pk) == joint
        assert get_owned_or_404(CouplePair, partner, pk=pair.pk) == pair
    charlie = make_user("charlie")
    for model, row in ((CoupleLink, link), (CoupleRankList, joint), (CouplePair, pair)):
        with pytest.raises(Http404):
            get_owned_or_404(model, charlie, pk=row.pk)


@pytest.mark.django_db
def test_it_allows_one_active_link_per_student_per_cycle(alice, bob):
    cycle = make_cycle()
    CoupleLink.objects.create(cycle=cycle, proposer=alice, partner=bob)
    with pytest.raises(IntegrityError):
        CoupleLink.objects.create(cycle=cycle, proposer=alice, partner=make_user("charlie"))


@pytest.mark.django_db
def test_it_refuses_a_pair_with_no_match_on_both_sides(alice, bob):
    link = CoupleLink.objects.create(cycle=make_cycle(), proposer=alice, partner=bob)
    joint = CoupleRankList.objects.create(link=link)
    with pytest.raises(IntegrityError):
        CouplePair.objects.create(rank_list=joint, rank=1)
