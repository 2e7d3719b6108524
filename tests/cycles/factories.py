"""Factories for match cycles and their certified lists, written straight to the models (the
pages that build lists are another part of issue 16)."""

import datetime

from django.utils import timezone

from medmatch.accounts.models import User
from medmatch.cycles.models import (
    CoupleLink,
    CouplePair,
    CoupleRankList,
    CycleProgram,
    MatchCycle,
    MatchRun,
    ProgramRankEntry,
    ProgramRankList,
    StudentRankEntry,
    StudentRankList,
)
from tests.catalog.factories import make_institution, make_program
from tests.personas import make_user


def make_cycle(*, state=MatchCycle.State.LOCKED, rules=MatchCycle.Rules.NRMP, days_to_match=-1):
    """A cycle whose match day is ``days_to_match`` days from now (past by default)."""
    now = timezone.now()
    match_day = now + datetime.timedelta(days=days_to_match)
    return MatchCycle.objects.create(
        name="Main Match 2027",
        rules=rules,
        state=state,
        rank_lists_open_at=match_day - datetime.timedelta(days=30),
        certification_deadline=match_day - datetime.timedelta(days=5),
        match_day=match_day,
    )


def make_cycle_program(cycle, title, *, quota=1, track="categorical", institution=None, **fields):
    program = make_program(
        title, institution=institution or make_institution(f"{title} Hospital"), track_type=track
    )
    return CycleProgram.objects.create(
        cycle=cycle, program=program, quota=quota, track=track, **fields
    )


def make_student_list(cycle, student, programs, *, supplemental=None, certified=True):
    """``programs`` best first; ``supplemental`` maps an advanced cycle program to its list."""
    rank_list = StudentRankList.objects.create(
        cycle=cycle, student=student, certified_at=timezone.now() if certified else None
    )
    for rank, program in enumerate(programs, 1):
        StudentRankEntry.objects.create(rank_list=rank_list, cycle_program=program, rank=rank)
    for primary, preliminary in (supplemental or {}).items():
        for rank, program in enumerate(preliminary, 1):
            StudentRankEntry.objects.create(
                rank_list=rank_list, cycle_program=program, rank=rank, primary=primary
            )
    return rank_list


def make_couple(cycle, proposer, partner, pairs, *, certified=True):
    """An accepted couple with its joint list of (proposer's, partner's) programs, best first."""
    link = CoupleLink.objects.create(
        cycle=cycle, proposer=proposer, partner=partner, partner_accepted_at=timezone.now()
    )
    joint = CoupleRankList.objects.create(
        link=link, certified_at=timezone.now() if certified else None
    )
    for rank, (mine, theirs) in enumerate(pairs, 1):
        CouplePair.objects.create(
            rank_list=joint, rank=rank, proposer_program=mine, partner_program=theirs
        )
    return link


def make_program_list(cycle_program, students, *, certified=True):
    rank_list = ProgramRankList.objects.create(
        cycle_program=cycle_program, certified_at=timezone.now() if certified else None
    )
    ProgramRankEntry.objects.bulk_create(
        ProgramRankEntry(rank_list=rank_list, student=student, rank=rank)
        for rank, student in enumerate(students, 1)
    )
    return rank_list


def administrator():
    return User.objects.filter(username="dave-admin").first() or make_user(
        "dave-admin", role="match_admin"
    )


def run_through_the_page(client, cycle, django_capture_on_commit_callbacks) -> MatchRun:
    client.force_login(administrator())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/match/cycles/{cycle.pk}/run/")
    assert response.status_code == 302
    return cycle.runs.first()


def make_small_market(alice, bob) -> dict:
    """Five students (one couple, one with a supplemental list) and five programs; one student
    with an uncertified list, whom a program ranks, takes no part."""
    cycle = make_cycle()
    im = make_cycle_program(cycle, "Internal Medicine", quota=2)
    surgery = make_cycle_program(cycle, "General Surgery", quota=1)
    radiology = make_cycle_program(cycle, "Diagnostic Radiology", quota=1, track="advanced")
    prelim = make_cycle_program(cycle, "Preliminary Medicine", quota=1, track="preliminary")
    family = make_cycle_program(cycle, "Family Medicine", quota=2)
    erin, frank, gina, henry = (make_user(name) for name in ("erin", "frank", "gina", "henry"))
    make_student_list(cycle, alice, [surgery, im])
    make_student_list(cycle, bob, [surgery, im])
    make_student_list(cycle, erin, [radiology, im], supplemental={radiology: [prelim]})
    make_student_list(cycle, henry, [surgery], certified=False)
    make_couple(cycle, frank, gina, [(im, im), (surgery, family), (family, family)])
    make_program_list(surgery, [henry, bob, alice, frank])
    make_program_list(im, [gina, frank, alice, erin, bob])
    make_program_list(radiology, [erin])
    make_program_list(prelim, [erin])
    make_program_list(family, [frank, gina])
    return {
        "cycle": cycle,
        "programs": {"im": im, "surgery": surgery, "radiology": radiology, "prelim": prelim},
        "family": family,
        "students": {"alice": alice, "bob": bob, "erin": erin, "frank": frank, "gina": gina},
    }
