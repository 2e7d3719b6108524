"""The rank list services: a student's list and its supplemental lists, applicant codes, couples
and their joint list, a program's list and its CSV import; certification and the lock."""

import datetime

import pytest
from django.utils import timezone

from medmatch.cycles import rank_lists as lists
from medmatch.cycles.models import (
    CoupleLink,
    CoupleProposal,
    CycleApplicant,
    CycleProgram,
    MatchCycle,
    ProgramRankEntry,
)
from tests.cycles.rank_fixtures import make_open_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_list(alice, market):
    return lists.student_list_start(cycle=market["cycle"], student=alice)


def test_it_gives_each_student_one_unambiguous_code_per_cycle(alice, bob, market):
    first = lists.applicant_code(cycle=market["cycle"], student=alice)
    again = lists.applicant_code(cycle=market["cycle"], student=alice)
    other = lists.applicant_code(cycle=market["cycle"], student=bob)
    assert first.pk == again.pk
    assert len(first.code) == 8 and set(first.code) <= set(lists.CODE_ALPHABET)
    assert not set(first.code) & set("01OIL")
    assert other.code != first.code


def test_it_writes_a_list_in_order_and_refuses_programs_outside_the_cycle(alices_list, market):
    order = [market["surgery"].pk, market["medicine"].pk]
    lists.student_list_write(rank_list=alices_list, order=order)
    assert lists.student_order(alices_list) == order
    elsewhere = make_open_cycle()
    foreign = CycleProgram.objects.create(cycle=elsewhere, program=market["outside"], quota=1)
    with pytest.raises(ValueError, match="Only programs of this cycle"):
        lists.student_list_write(rank_list=alices_list, order=[foreign.pk])
    with pytest.raises(ValueError, match="twice"):
        lists.student_list_write(rank_list=alices_list, order=order + order[:1])
    assert lists.student_order(alices_list) == order


def test_a_change_uncertifies_a_certified_list(alices_list, market):
    assert not lists.student_list_write(rank_list=alices_list, order=[market["medicine"].pk])
    lists.student_list_certify(rank_list=alices_list)
    alices_list.refresh_from_db()
    assert alices_list.certified_at is not None
    changed = lists.student_list_write(
        rank_list=alices_list, order=[market["surgery"].pk, market["medicine"].pk]
    )
    alices_list.refresh_from_db()
    assert changed is True and alices_list.certified_at is None


def test_it_refuses_to_certify_an_empty_list(alices_list):
    with pytest.raises(ValueError, match="at least one"):
        lists.student_list_certify(rank_list=alices_list)


def test_a_supplemental_list_ranks_preliminary_programs_for_an_advanced_one(alices_list, market):
    radiology, prelim = market["radiology"], market["prelim"]
    with pytest.raises(ValueError, match="advanced program on your list"):
        lists.student_list_write(rank_list=alices_list, order=[prelim.pk], primary=radiology)
    lists.student_list_write(rank_list=alices_list, order=[radiology.pk, market["medicine"].pk])
    with pytest.raises(ValueError, match="preliminary programs only"):
        lists.student_list_write(
            rank_list=alices_list, order=[market["surgery"].pk], primary=radiology
        )
    lists.student_list_write(rank_list=alices_list, order=[prelim.pk], primary=radiology)
    assert lists.student_order(alices_list, radiology.pk) == [prelim.pk]
    assert lists.student_order(alices_list) == [radiology.pk, market["medicine"].pk]
    # Taking the advanced program off drops its supplemental list.
    lists.student_list_write(rank_list=alices_list, order=[market["medicine"].pk])
    assert lists.student_order(alices_list, radiology.pk) == []


@pytest.mark.parametrize("when", ["after the deadline", "locked", "before opening"])
def test_lists_are_read_only_outside_the_window(alices_list, market, when):
    cycle = market["cycle"]
    now = timezone.now()
    if when == "after the deadline":
        MatchCycle.objects.filter(pk=cycle.pk).update(
            rank_lists_open_at=now - datetime.timedelta(days=3),
            certification_deadline=now - datetime.timedelta(seconds=1),
        )
    elif when == "locked":
        MatchCycle.objects.filter(pk=cycle.pk).update(state="locked")
    else:
        MatchCycle.objects.filter(pk=cycle.pk).update(
            rank_lists_open_at=now + datetime.timedelta(days=1)
        )
    alices_list.cycle.refresh_from_db()
    with pytest.raises(lists.ListClosed):
        lists.student_list_write(rank_list=alices_list, order=[market["medicine"].pk])
    with pytest.raises(lists.ListClosed):
        lists.student_list_certify(rank_list=alices_list)
    assert lists.student_order(alices_list) == []


def test_moved_clamps_at_the_ends():
    assert lists.moved([1, 2, 3], 0, -1) == [1, 2, 3]
    assert lists.moved([1, 2, 3], 0, 1) == [2, 1, 3]
    assert lists.moved([1, 2, 3], 2, 1) == [1, 2, 3]


# -- couples --------------------------------------------------------------------------------


def _link(alice, erin, market) -> CoupleLink:
    proposal = lists.couple_propose(cycle=market["cycle"], proposer=alice, email=erin.email)
    return lists.couple_proposal_answer(proposal=proposal, partner=erin, accept=True)


def test_a_proposal_to_an_unknown_address_looks_like_any_other(alice, market):
    proposal = lists.couple_propose(
        cycle=market["cycle"], proposer=alice, email="nobody@example.org"
    )
    assert proposal.status == CoupleProposal.Status.PENDING
    with pytest.raises(ValueError, match="already have a proposal"):
        lists.couple_propose(cycle=market["cycle"], proposer=alice, email="x@example.org")
    lists.couple_proposal_withdraw(proposal=proposal)
    with pytest.raises(ValueError, match="own email"):
        lists.couple_propose(cycle=market["cycle"], proposer=alice, email=alice.email.upper())


def test_accepting_links_both_and_gives_each_a_list_and_code(alice, erin, market):
    link = _link(alice, erin, market)
    assert link.partner_accepted_at is not None and link.ended_at is None
    assert CycleApplicant.objects.filter(cycle=market["cycle"]).count() == 2
    assert lists.active_link(market["cycle"], erin) == link
    with pytest.raises(ValueError, match="already linked"):
        lists.couple_propose(cycle=market["cycle"], proposer=erin, email="z@example.org")


def test_the_joint_list_counts_once_both_certify_the_same_version(alice, erin, market):
    link = _link(alice, erin, market)
    joint = lists.joint_list(link)
    pairs = [(market["medicine"].pk, market["surgery"].pk), (market["medicine"].pk, None)]
    lists.couple_pairs_write(joint=joint, pairs=pairs)
    assert lists.couple_list_certify(joint=joint, student=alice) is False
    assert lists.couple_list_certify(joint=joint, student=erin) is True
    joint.refresh_from_db()
    assert joint.certified_at is not None
    assert lists.couple_pairs_write(joint=joint, pairs=pairs[::-1]) is True
    joint.refresh_from_db()
    assert (joint.certified_at, joint.proposer_certified_at, joint.partner_certified_at) == (
        None,
        None,
        None,
    )
    with pytest.raises(ValueError, match="not a pair"):
        lists.couple_pairs_write(joint=joint, pairs=[(None, None)])


def test_ending_a_link_stops_the_joint_list_counting(alice, erin, market):
    link = _link(alice, erin, market)
    joint = lists.joint_list(link)
    lists.couple_pairs_write(joint=joint, pairs=[(market["medicine"].pk, None)])
    lists.couple_list_certify(joint=joint, student=alice)
    lists.couple_list_certify(joint=joint, student=erin)
    lists.couple_link_end(link=link)
    joint.refresh_from_db()
    assert link.ended_at is not None and joint.certified_at is None
    assert lists.active_link(market["cycle"], alice) is None


def test_implied_pairs_follow_both_lists(alice, erin, market):
    link = _link(alice, erin, market)
    m, s, r = market["medicine"].pk, market["surgery"].pk, market["radiology"].pk
    lists.student_list_write(rank_list=link.proposer.cycle_rank_lists.get(), order=[m, s])
    lists.student_list_write(rank_list=link.partner.cycle_rank_lists.get(), order=[r])
    assert lists.implied_pairs(link) == [(m, r), (s, r), (m, None), (None, r), (s, None)]


# -- programs ------------------------------------------------------------------------------


def test_a_program_list_holds_only_applicants_of_the_cycle(alice, bob, market):
    plist = lists.program_list(market["medicine"])
    with pytest.raises(ValueError, match="applicants of this cycle"):
        lists.program_list_write(plist=plist, order=[alice.pk])
    lists.applicant_code(cycle=market["cycle"], student=alice)
    lists.applicant_code(cycle=market["cycle"], student=bob)
    lists.program_list_write(plist=plist, order=[bob.pk, alice.pk])
    assert lists.program_order(plist) == [bob.pk, alice.pk]


def test_the_csv_import_names_every_bad_row_and_changes_nothing(alice, bob, market):
    code_a = lists.applicant_code(cycle=market["cycle"], student=alice).code
    code_b = lists.applicant_code(cycle=market["cycle"], student=bob).code
    plist = lists.program_list(market["medicine"])
    lists.program_list_write(plist=plist, order=[alice.pk])
    text = f"rank,code\n1,{code_b}\n2,{code_b}\nx,{code_a}\n3,ZZZZZZZZ\n4,short\n1,{code_a}\n\n"
    result = lists.program_list_import(plist=plist, text=text, dry_run=False)
    assert result.errors == [
        f"Line 3: {code_b} is already on line 2.",
        "Line 4: the rank must be a whole number from 1 to 5000.",
        "Line 5: no applicant of this cycle has code ZZZZZZZZ.",
        "Line 6: “SHORT” is not an applicant code.",
        "Line 7: rank 1 is already on line 2.",
    ]
    assert lists.program_order(plist) == [alice.pk]


def test_the_csv_import_previews_then_replaces_the_list(alice, bob, market):
    code_a = lists.applicant_code(cycle=market["cycle"], student=alice).code
    code_b = lists.applicant_code(cycle=market["cycle"], student=bob).code
    plist = lists.program_list(market["medicine"])
    text = f"Code,Name\n{code_b.lower()},Bob\n{code_a},Alice\n"
    preview = lists.program_list_import(plist=plist, text=text, dry_run=True)
    assert not preview.errors and [row.student_id for row in preview.rows] == [bob.pk, alice.pk]
    assert ProgramRankEntry.objects.count() == 0
    lists.program_list_import(plist=plist, text=text, dry_run=False)
    assert lists.program_order(plist) == [bob.pk, alice.pk]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "The file is empty: it needs a header row with a “code” column."),
        ("name\nBob\n", "Line 1: the header row needs a “code” column."),
        ("code\n\n", "The file names no applicant."),
        ('code\n"unclosed\n', None),
    ],
)
def test_the_csv_import_explains_a_file_it_cannot_use(market, text, error):
    result = lists.parse_program_csv(market["cycle"], text)
    assert result.errors
    if error:
        assert result.errors == [error]


def test_a_director_certifies_and_a_change_uncertifies(alice, carol, market):
    lists.applicant_code(cycle=market["cycle"], student=alice)
    plist = lists.program_list(market["medicine"])
    lists.program_list_write(plist=plist, order=[alice.pk])
    lists.program_list_certify(plist=plist, director=carol)
    plist.refresh_from_db()
    assert plist.certified_by == carol
    assert lists.program_list_write(plist=plist, order=[alice.pk]) is True
    plist.refresh_from_db()
    assert plist.certified_at is None and plist.certified_by is None
