"""The student's match pages: the match home, the rank list builder (what the student knows
beside each program, adding, Up/Down/Remove, rank numbers, the htmx reorder, certifying and the
un-certified notice, read-only after the deadline) and supplemental lists."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from medmatch.applications.services import application_create
from medmatch.cycles import rank_lists as lists
from medmatch.cycles.models import MatchCycle, StudentRankList
from medmatch.interviews.models import Impression, Interview
from medmatch.research.models import ShortlistItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_alice(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def alices_list(alice, market):
    return lists.student_list_start(cycle=market["cycle"], student=alice)


def list_url(rank_list, name="list") -> str:
    return reverse(f"cycles:{name}", args=[rank_list.pk])


def interview_at(student, cycle_program, *, overall=None, notes=""):
    application, _ = application_create(student=student, program=cycle_program.program)
    interview = Interview.objects.create(
        application=application,
        starts_at=datetime.datetime(2026, 11, 3, 9, tzinfo=zoneinfo.ZoneInfo("America/Chicago")),
        time_zone="America/Chicago",
    )
    if overall or notes:
        Impression.objects.create(interview=interview, overall=overall, notes=notes)
    return interview


def test_the_match_home_lists_open_cycles_and_starts_a_list(as_alice, alice, market):
    MatchCycle.objects.create(
        name="Secret draft",
        rank_lists_open_at=timezone.now(),
        certification_deadline=timezone.now() + datetime.timedelta(days=1),
        match_day=timezone.now() + datetime.timedelta(days=2),
    )
    page = as_alice.get(reverse("cycles:home")).content.decode()
    assert "Main match 2027" in page and "Start your rank list" in page
    assert "Secret draft" not in page
    assert reverse("cycles:practice") in page
    response = as_alice.post(reverse("cycles:list_start", args=[market["cycle"].pk]))
    rank_list = StudentRankList.objects.get(student=alice)
    assert response.url == list_url(rank_list)
    assert "Your rank list" in as_alice.get(reverse("cycles:home")).content.decode()


def test_the_builder_shows_what_the_student_knows_beside_each_program(
    as_alice, alice, alices_list, market
):
    interview_at(alice, market["surgery"], overall=4, notes="Friendly residents, long hours")
    ShortlistItem.objects.create(student=alice, program=market["medicine"].program, rating=5)
    page = as_alice.get(list_url(alices_list)).content.decode()
    code = lists.applicant_code(cycle=market["cycle"], student=alice).code
    assert code in page
    assert "General Surgery" in page and "Overall 4/5" in page and "Friendly residents" in page
    assert "Internal Medicine" in page and "5/5" in page
    # No goals: the fit is unknown, never 0.
    assert 'class="unknown">unknown</span>' in page
    # Programs the student has no tie to are found by search, not listed.
    assert "Diagnostic Radiology" not in page
    found = as_alice.get(list_url(alices_list), {"q": "radio"}).content.decode()
    assert "Diagnostic Radiology" in found


def test_it_adds_moves_and_removes_programs_without_javascript(as_alice, alices_list, market):
    medicine, surgery, radiology = market["medicine"], market["surgery"], market["radiology"]
    for entry in (medicine, surgery, radiology):
        as_alice.post(list_url(alices_list, "list_add"), {"cycle_program": entry.pk})
    assert lists.student_order(alices_list) == [medicine.pk, surgery.pk, radiology.pk]
    as_alice.post(list_url(alices_list, "list_move"), {"move": f"up-{radiology.pk}"})
    assert lists.student_order(alices_list) == [medicine.pk, radiology.pk, surgery.pk]
    as_alice.post(list_url(alices_list, "list_move"), {"move": f"remove-{medicine.pk}"})
    assert lists.student_order(alices_list) == [radiology.pk, surgery.pk]
    response = as_alice.post(list_url(alices_list, "list_move"), {"move": f"down-{medicine.pk}"})
    assert response.status_code == 400
    assert "no longer on the list" in response.content.decode()


def test_it_refuses_a_program_outside_the_cycle_or_twice(as_alice, alices_list, market):
    as_alice.post(list_url(alices_list, "list_add"), {"cycle_program": market["medicine"].pk})
    twice = as_alice.post(
        list_url(alices_list, "list_add"), {"cycle_program": market["medicine"].pk}
    )
    assert twice.status_code == 400 and "already on this list" in twice.content.decode()
    other = lists.student_list_start(
        cycle=MatchCycle.objects.create(
            name="Other",
            state="open",
            rank_lists_open_at=timezone.now() - datetime.timedelta(days=1),
            certification_deadline=timezone.now() + datetime.timedelta(days=1),
            match_day=timezone.now() + datetime.timedelta(days=2),
        ),
        student=alices_list.student,
    )
    foreign = as_alice.post(list_url(other, "list_add"), {"cycle_program": market["surgery"].pk})
    assert foreign.status_code == 400
    assert lists.student_order(other) == []


def test_rank_numbers_reorder_and_a_number_used_twice_names_both(as_alice, alices_list, market):
    m, s = market["medicine"].pk, market["surgery"].pk
    lists.student_list_write(rank_list=alices_list, order=[m, s])
    as_alice.post(list_url(alices_list, "list_order"), {f"rank_{m}": "7", f"rank_{s}": "2"})
    assert lists.student_order(alices_list) == [s, m]
    bad = as_alice.post(list_url(alices_list, "list_order"), {f"rank_{m}": "1", f"rank_{s}": "1"})
    assert bad.status_code == 400
    assert "Rank 1 is also given to" in bad.content.decode()
    assert lists.student_order(alices_list) == [s, m]


def test_the_htmx_reorder_returns_the_list_with_the_uncertified_notice(
    as_alice, alices_list, market
):
    m, s = market["medicine"].pk, market["surgery"].pk
    lists.student_list_write(rank_list=alices_list, order=[m, s])
    lists.student_list_certify(rank_list=alices_list)
    response = as_alice.post(
        list_url(alices_list, "list_order"),
        {f"rank_{m}": "2", f"rank_{s}": "1"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="rank-list"')
    assert "this change un-certified it" in page and "Not certified" in page
    assert lists.student_order(alices_list) == [s, m]


def test_certifying_then_editing_says_the_list_no_longer_counts(as_alice, alices_list, market):
    as_alice.post(list_url(alices_list, "list_add"), {"cycle_program": market["medicine"].pk})
    page = as_alice.post(list_url(alices_list, "list_certify"), follow=True).content.decode()
    alices_list.refresh_from_db()
    assert alices_list.certified_at is not None and "Certified" in page
    page = as_alice.post(
        list_url(alices_list, "list_add"), {"cycle_program": market["surgery"].pk}, follow=True
    ).content.decode()
    alices_list.refresh_from_db()
    assert alices_list.certified_at is None
    assert "this change un-certified it" in page


def test_after_the_deadline_the_list_is_read_only(as_alice, alices_list, market):
    lists.student_list_write(rank_list=alices_list, order=[market["medicine"].pk])
    MatchCycle.objects.filter(pk=market["cycle"].pk).update(state="locked")
    page = as_alice.get(list_url(alices_list)).content.decode()
    assert "read-only" in page
    assert 'name="move"' not in page and "rank-input" not in page and "Certify" not in page
    response = as_alice.post(
        list_url(alices_list, "list_add"), {"cycle_program": market["surgery"].pk}, follow=True
    )
    assert "The cycle is locked" in response.content.decode()
    assert lists.student_order(alices_list) == [market["medicine"].pk]


def test_a_supplemental_list_is_built_on_the_page(as_alice, alices_list, market):
    radiology, prelim = market["radiology"], market["prelim"]
    as_alice.post(list_url(alices_list, "list_add"), {"cycle_program": radiology.pk})
    page = as_alice.get(list_url(alices_list)).content.decode()
    assert f'id="supplement-{radiology.pk}"' in page
    as_alice.post(
        list_url(alices_list, "list_add"), {"cycle_program": prelim.pk, "primary": radiology.pk}
    )
    assert lists.student_order(alices_list, radiology.pk) == [prelim.pk]
    as_alice.post(
        list_url(alices_list, "list_move"),
        {"move": f"remove-{prelim.pk}", "primary": radiology.pk},
    )
    assert lists.student_order(alices_list, radiology.pk) == []
