"""A program's rank list on the web: its staff see the programs they rank for, add interviewed
applicants and applicants by code, reorder, import a CSV with a preview; only a director
certifies."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medmatch.applications.services import application_create
from medmatch.cycles import rank_lists as lists
from medmatch.workspace.models import Invitation, SlotRound, Submission
from tests.contributions.conftest import make_coordinatorship
from tests.cycles.rank_fixtures import logged_in
from tests.personas import make_user

pytestmark = pytest.mark.django_db


def interviewed(student, cycle_program):
    """The program interviewed ``student`` through a slot round (an assigned slot)."""
    application, _ = application_create(student=student, program=cycle_program.program)
    submission = Submission.objects.create(
        application=application, student=student, program=cycle_program.program
    )
    slot_round = SlotRound.objects.create(
        program=cycle_program.program,
        title="Interview days",
        time_zone="America/Chicago",
        window_opens_at=timezone.now(),
        window_closes_at=timezone.now() + datetime.timedelta(hours=48),
    )
    slot = slot_round.slots.create(starts_at=timezone.now() + datetime.timedelta(days=3))
    Invitation.objects.create(
        round=slot_round, submission=submission, priority=1, assigned_slot=slot
    )


@pytest.fixture
def as_carol(carol, market):
    make_coordinatorship(carol, market["hospital"])
    return logged_in(Client, carol)


def url(name, entry):
    return reverse(f"cycles:{name}", args=[entry.pk])


def test_staff_see_their_programs_and_rank_interviewed_applicants(as_carol, alice, bob, market):
    medicine = market["medicine"]
    interviewed(alice, medicine)
    page = as_carol.get(reverse("cycles:program_lists")).content.decode()
    assert "Internal Medicine" in page and "Family Medicine" not in page
    page = as_carol.get(url("program_list", medicine)).content.decode()
    assert "alice" in page and "made when added" in page
    as_carol.post(url("program_list_add", medicine), {"student": alice.pk})
    code_b = lists.applicant_code(cycle=market["cycle"], student=bob).code
    as_carol.post(url("program_list_add", medicine), {"code": code_b.lower()})
    plist = lists.program_list(medicine)
    assert lists.program_order(plist) == [alice.pk, bob.pk]
    # alice got her code when added: she sees it on her list page.
    assert lists.applicant_code(cycle=market["cycle"], student=alice).code
    as_carol.post(url("program_list_move", medicine), {"move": f"up-{bob.pk}"})
    assert lists.program_order(plist) == [bob.pk, alice.pk]


def test_it_refuses_an_applicant_it_did_not_interview_or_an_unknown_code(as_carol, bob, market):
    medicine = market["medicine"]
    lists.applicant_code(cycle=market["cycle"], student=bob)
    response = as_carol.post(url("program_list_add", medicine), {"student": bob.pk})
    assert response.status_code == 400
    response = as_carol.post(url("program_list_add", medicine), {"code": "ABCDEFGH"})
    assert response.status_code == 400
    assert "No applicant of this cycle has code ABCDEFGH" in response.content.decode()
    assert lists.program_order(lists.program_list(medicine)) == []


def test_only_a_director_certifies(as_carol, alice, market):
    medicine = market["medicine"]
    lists.applicant_code(cycle=market["cycle"], student=alice)
    plist = lists.program_list(medicine)
    lists.program_list_write(plist=plist, order=[alice.pk])
    page = as_carol.get(url("program_list", medicine)).content.decode()
    assert "Only a program director" in page
    as_carol.post(url("program_list_certify", medicine))
    plist.refresh_from_db()
    assert plist.certified_at is None
    director = make_user("dana", role="coordinator")
    make_coordinatorship(director, market["hospital"], role="director")
    logged_in(Client, director).post(url("program_list_certify", medicine))
    plist.refresh_from_db()
    assert plist.certified_at is not None and plist.certified_by == director


def test_the_csv_import_previews_reports_rows_and_imports(as_carol, alice, bob, market):
    medicine = market["medicine"]
    code_a = lists.applicant_code(cycle=market["cycle"], student=alice).code
    code_b = lists.applicant_code(cycle=market["cycle"], student=bob).code
    bad = as_carol.post(
        url("program_list_import", medicine),
        {"text": f"code\n{code_a}\nNOPE\n", "dry_run": "on"},
    )
    assert bad.status_code == 400
    assert "Line 3: “NOPE” is not an applicant code." in bad.content.decode()
    text = f"code,rank\n{code_b},1\n{code_a},2\n"
    preview = as_carol.post(url("program_list_import", medicine), {"text": text, "dry_run": "on"})
    assert preview.status_code == 200 and "Nothing has changed yet" in preview.content.decode()
    plist = lists.program_list(medicine)
    assert lists.program_order(plist) == []
    upload = SimpleUploadedFile("list.csv", ("\ufeff" + text).encode(), content_type="text/csv")
    as_carol.post(url("program_list_import", medicine), {"file": upload})
    assert lists.program_order(plist) == [bob.pk, alice.pk]


def test_the_htmx_reorder_returns_the_list_with_the_uncertified_notice(alice, bob, market):
    medicine = market["medicine"]
    director = make_user("dana", role="coordinator")
    make_coordinatorship(director, market["hospital"], role="director")
    for student in (alice, bob):
        lists.applicant_code(cycle=market["cycle"], student=student)
    plist = lists.program_list(medicine)
    lists.program_list_write(plist=plist, order=[alice.pk, bob.pk])
    lists.program_list_certify(plist=plist, director=director)
    as_dana = logged_in(Client, director)
    response = as_dana.post(
        url("program_list_order", medicine),
        {f"rank_{alice.pk}": "2", f"rank_{bob.pk}": "1"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="program-rank-list"') and "<html" not in page
    assert "this change un-certified it" in page and "Not certified" in page
    assert page.index("bob") < page.index("alice")
    assert lists.program_order(plist) == [bob.pk, alice.pk]
    # Without htmx the same post redirects to the whole page (the no-JavaScript way).
    response = as_dana.post(
        url("program_list_order", medicine), {f"rank_{alice.pk}": "1", f"rank_{bob.pk}": "2"}
    )
    assert response.status_code == 302 and response.url == url("program_list", medicine)
    assert lists.program_order(plist) == [alice.pk, bob.pk]
