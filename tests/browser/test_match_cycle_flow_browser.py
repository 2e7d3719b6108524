"""Issue 16's acceptance, as one flow through the pages: a match administrator creates a cycle
with two programs and opens it; five students build and certify their rank lists, two of them
as a couple (proposed by email, accepted by the partner, the joint list certified by both); each
program's director certifies its list; the administrator locks the cycle and runs the match,
which waits in the queue (the page shows its progress) until ``medmatch worker`` runs it; on
match day the administrator publishes, each student reads their result with the reasons in
words, and each program its filled list.

Only what earlier stages would have made is written to the database directly: the accounts, the
catalog's programs, the directors' verified coordinatorships and the interviews (the student's
own record and the program's assigned slot). Privacy is checked on the way: a student cannot
open another student's list, nor a director the other program's list (404). axe-core runs on the
main pages, and each is photographed at desktop and phone widths (a phone page must fit the
screen)."""

import argparse
import datetime

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect
from tests.catalog.factories import make_institution, make_program
from tests.contributions.conftest import make_coordinatorship
from tests.personas import make_user

from medmatch.applications.services import application_create
from medmatch.cli_worker import run_worker
from medmatch.cycles.models import MatchCycle, MatchRun
from medmatch.interviews.models import Interview
from medmatch.workspace.models import Invitation, SlotRound, Submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(el => !(el.parentElement && el.parentElement.closest('.table-wrap')))
  .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + el.getBoundingClientRect().right)
"""
MEDICINE = "Internal Medicine — Lakeside Hospital"
SURGERY = "General Surgery — Hilltop Clinic"
# Each student's list, and each program's, best first (names as the pages show them).
STUDENT_LISTS = {
    "alice": [MEDICINE, SURGERY],
    "bob": [MEDICINE, SURGERY],
    "cai": [SURGERY, MEDICINE],
    "dev": [SURGERY, MEDICINE],
    "erin": [MEDICINE, SURGERY],
}
PROGRAM_LISTS = {
    "medicine": ["Alice Adams", "Bob Brown", "Erin Evans", "Cai Chen", "Dev Das"],
    "surgery": ["Dev Das", "Cai Chen", "Erin Evans", "Alice Adams", "Bob Brown"],
}
# Alice and Bob's joint list: both at surgery first, then both at medicine.
JOINT_LIST = [(SURGERY, SURGERY), (MEDICINE, MEDICINE)]


def _log_in(page, live_server, user) -> None:
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _interviewed(student, program, day: int) -> None:
    """What the interview stage leaves: the student's application and interview record, and the
    program's slot round with the slot assigned to the student."""
    application, _ = application_create(student=student, program=program)
    starts = timezone.now() - datetime.timedelta(days=30 - day)
    Interview.objects.create(application=application, starts_at=starts, time_zone="UTC")
    submission = Submission.objects.create(
        application=application, student=student, program=program
    )
    slot_round, _ = SlotRound.objects.get_or_create(
        program=program,
        title="Interview days",
        defaults={
            "time_zone": "UTC",
            "window_opens_at": starts - datetime.timedelta(days=20),
            "window_closes_at": starts - datetime.timedelta(days=10),
        },
    )
    slot = slot_round.slots.create(starts_at=starts)
    Invitation.objects.create(
        round=slot_round, submission=submission, priority=day + 1, assigned_slot=slot
    )


@pytest.fixture
def world(db):
    lakeside = make_institution("Lakeside Hospital", city="Chicago", country="US")
    hilltop = make_institution("Hilltop Clinic", city="Denver", country="US")
    programs = {
        "medicine": make_program(
            "Internal Medicine", institution=lakeside, track_type="categorical"
        ),
        "surgery": make_program("General Surgery", institution=hilltop, track_type="categorical"),
    }
    names = {"alice": "Adams", "bob": "Brown", "cai": "Chen", "dev": "Das", "erin": "Evans"}
    students = {
        name: make_user(name, first_name=name.capitalize(), last_name=last)
        for name, last in names.items()
    }
    for day, student in enumerate(students.values()):
        for program in programs.values():
            _interviewed(student, program, day)
    directors = {
        "medicine": make_user("mira", role="coordinator", first_name="Mira", last_name="Moss"),
        "surgery": make_user("sam", role="coordinator", first_name="Sam", last_name="Stone"),
    }
    make_coordinatorship(directors["medicine"], lakeside, role="director")
    make_coordinatorship(directors["surgery"], hilltop, role="director")
    return {
        "administrator": make_user("dave-admin", role="match_admin"),
        "programs": programs,
        "students": students,
        "directors": directors,
    }


class Camera:
    """axe-core and screenshots of a page at desktop and phone widths."""

    def __init__(self, page, assert_accessible, directory):
        self.page, self.assert_accessible, self.directory = page, assert_accessible, directory

    def check(self, name: str, *, axe: bool = True) -> None:
        page = self.page
        if axe:
            self.assert_accessible(page, name)
        page.screenshot(path=self.directory / f"flow-{name}-desktop.png", full_page=True)
        page.set_viewport_size(PHONE)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (name, page.evaluate(WIDE_ELEMENTS))
        if axe:
            self.assert_accessible(page, f"{name} on a phone")
        page.screenshot(path=self.directory / f"flow-{name}-phone.png", full_page=True)
        page.set_viewport_size(DESKTOP)


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _administrator_opens_a_cycle(page, live_server, world) -> MatchCycle:
    _log_in(page, live_server, world["administrator"])
    page.goto(f"{live_server.url}/match/")
    page.get_by_role("link", name="Run match cycles").click()
    page.goto(f"{live_server.url}/match/cycles/new/")
    now = timezone.now()
    page.get_by_label("Name").fill("Spring match 2027")
    page.get_by_label("Rules").select_option("nrmp")
    page.get_by_label("Rank lists open at").fill(_local(now - datetime.timedelta(hours=1)))
    page.get_by_label("Certification deadline").fill(_local(now + datetime.timedelta(days=7)))
    page.get_by_label("Match day").fill(_local(now + datetime.timedelta(days=14)))
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("heading", name="Spring match 2027")).to_be_visible()
    for key, quota in (("medicine", "2"), ("surgery", "2")):
        page.get_by_label("Catalog program number").fill(str(world["programs"][key].pk))
        page.get_by_label("Positions (quota)").fill(quota)
        page.get_by_role("button", name="Add the program", exact=True).click()
        expect(
            page.get_by_role("link", name=world["programs"][key].title, exact=True)
        ).to_be_visible()
    expect(page.get_by_role("heading", name="Programs (2)")).to_be_visible()
    page.get_by_role("button", name="Open for rank lists").click()
    expect(page.get_by_text("The cycle is open for rank lists.")).to_be_visible()
    return MatchCycle.objects.get(name="Spring match 2027")


def _student_builds_a_list(page, live_server, student, programs, camera=None) -> int:
    """Start the list on the match page, add ``programs`` in order, certify; the list's pk."""
    _log_in(page, live_server, student)
    page.goto(f"{live_server.url}/match/")
    page.get_by_role("button", name="Start your rank list").click()
    expect(page.get_by_role("heading", name="Your rank list: Spring match 2027")).to_be_visible()
    rows = page.locator("table.rank-table tbody tr")
    for count, name in enumerate(programs, start=1):
        title, institution = name.split(" — ")
        page.get_by_role("button", name=f"Add {title}, {institution} to your list").click()
        expect(rows).to_have_count(count)
    for rank, name in enumerate(programs):
        expect(rows.nth(rank)).to_contain_text(name.split(" — ")[0])
    page.get_by_role("button", name="Certify this list").click()
    expect(page.get_by_text("Your list is certified")).to_be_visible()
    if camera:
        camera.check("student-list")
    return int(page.url.rstrip("/").rsplit("/", 1)[-1])


def _couple_links_and_certifies(page, live_server, world, camera) -> None:
    alice, bob = world["students"]["alice"], world["students"]["bob"]
    _log_in(page, live_server, alice)
    page.goto(f"{live_server.url}/match/")
    page.get_by_role("link", name="Your rank list").click()
    page.get_by_label("Your partner's email address").fill(bob.email)
    page.get_by_role("button", name="Propose a link").click()
    expect(page.get_by_text("Proposal made.")).to_be_visible()
    expect(page.get_by_text(f"You proposed a link to {bob.email}")).to_be_visible()

    _log_in(page, live_server, bob)
    page.goto(f"{live_server.url}/match/")
    expect(page.get_by_text("Alice Adams (alice@example.org) proposes to match")).to_be_visible()
    assert_home = page.get_by_role("heading", name="Couple proposals to you")
    expect(assert_home).to_be_visible()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("You are linked as a couple.")).to_be_visible()
    expect(page.get_by_role("heading", name="Your joint list with Alice Adams")).to_be_visible()
    # The suggestions come from both individual lists; the couple takes two of them.
    for first, second in JOINT_LIST:
        page.get_by_role("button", name=f"Add the pair {first} / {second}").click()
    rows = page.locator("table.rank-table tbody tr")
    expect(rows).to_have_count(2)
    for rank, (first, second) in enumerate(JOINT_LIST):
        expect(rows.nth(rank)).to_contain_text(f"{first} / {second}")
    page.get_by_role("button", name="Certify the joint list").click()
    expect(page.get_by_text("It counts once your partner certifies too.")).to_be_visible()
    camera.check("joint-list")

    _log_in(page, live_server, alice)
    page.goto(f"{live_server.url}/match/")
    page.get_by_role("link", name="Your rank list").click()
    page.get_by_role("link", name="Your joint list of program pairs").click()
    expect(page.locator(".list-status")).to_contain_text("Bob Brown: certified")
    page.get_by_role("button", name="Certify the joint list").click()
    expect(page.get_by_text("Both of you have certified: the joint list counts.")).to_be_visible()
    expect(page.locator(".list-status")).to_contain_text("Certified by both")


def _director_certifies(page, live_server, world, key, camera=None) -> int:
    _log_in(page, live_server, world["directors"][key])
    page.goto(f"{live_server.url}/match/")
    page.get_by_role("link", name="Your programs' rank lists").click()
    links = page.locator("table tbody th a")
    expect(links).to_have_count(1)
    links.first.click()
    expect(page.get_by_role("heading", name="Interviewed applicants")).to_be_visible()
    rows = page.locator("table.rank-table tbody tr")
    for count, name in enumerate(PROGRAM_LISTS[key], start=1):
        page.get_by_role("button", name=f"Add {name} to the list").click()
        expect(rows).to_have_count(count)
    expect(page.get_by_text("No interviewed applicant left to add")).to_be_visible()
    for rank, name in enumerate(PROGRAM_LISTS[key]):
        expect(rows.nth(rank)).to_contain_text(name)
    page.get_by_role("button", name="Certify the list").click()
    expect(page.get_by_text("The list is certified")).to_be_visible()
    if camera:
        camera.check("program-list")
    return int(page.url.rstrip("/").rsplit("/", 1)[-1])


def _status_of(page, url: str) -> int:
    return page.goto(url).status


def test_a_whole_cycle_from_opening_to_match_day(
    page, live_server, world, settings, assert_accessible, screenshot_dir
):
    # The real queue: a run waits until a worker takes it (the test settings would run it at once).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page.set_viewport_size(DESKTOP)
    camera = Camera(page, assert_accessible, screenshot_dir)
    students, directors = world["students"], world["directors"]

    cycle = _administrator_opens_a_cycle(page, live_server, world)
    camera.check("cycle-open")

    list_pks = {}
    for name, programs in STUDENT_LISTS.items():
        shoot = camera if name == "erin" else None
        list_pks[name] = _student_builds_a_list(page, live_server, students[name], programs, shoot)
    _couple_links_and_certifies(page, live_server, world, camera)
    # Erin's browser cannot open Cai's list, nor Alice's.
    _log_in(page, live_server, students["erin"])
    for other in ("cai", "alice"):
        assert _status_of(page, f"{live_server.url}/match/lists/{list_pks[other]}/") == 404
    assert _status_of(page, f"{live_server.url}/match/lists/{list_pks['erin']}/") == 200

    entries = {
        key: _director_certifies(
            page, live_server, world, key, camera if key == "surgery" else None
        )
        for key in ("medicine", "surgery")
    }
    # Each director reaches only their own program's list; a student reaches neither.
    for key, other in (("medicine", "surgery"), ("surgery", "medicine")):
        _log_in(page, live_server, directors[key])
        assert _status_of(page, f"{live_server.url}/match/programs/{entries[other]}/") == 404
        assert _status_of(page, f"{live_server.url}/match/programs/{entries[key]}/") == 200
    _log_in(page, live_server, students["cai"])
    assert _status_of(page, f"{live_server.url}/match/programs/{entries['medicine']}/") == 404

    # The administrator locks (before the deadline, so confirming it) and runs the match.
    _log_in(page, live_server, world["administrator"])
    page.goto(f"{live_server.url}/match/cycles/{cycle.pk}/")
    page.get_by_role("button", name="Lock the cycle").click()
    expect(page.get_by_text("confirm to lock the cycle early")).to_be_visible()
    page.get_by_label("Lock before the certification deadline").check()
    page.get_by_role("button", name="Lock the cycle").click()
    expect(page.get_by_text("The cycle is locked.")).to_be_visible()
    expect(page.get_by_text("The match has not been run.")).to_be_visible()
    page.get_by_role("button", name="Run the match").click()
    expect(page.get_by_text("The match is queued; this page shows its progress.")).to_be_visible()
    run = MatchRun.objects.get(cycle=cycle)
    expect(page.get_by_text(f"Run {run.pk}: queued, 0% done.")).to_be_visible()
    expect(page.get_by_role("progressbar", name=f"Progress of run {run.pk}")).to_be_visible()
    camera.check("cycle-queued")
    # `medmatch worker --once`: the worker takes the queued run; the page, polling, shows the
    # finished run without a reload.
    assert run_worker(argparse.Namespace(interval=0.0, no_reminders=True, once=True)) == 0
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE, run.error
    expect(
        page.get_by_text("4 of 5 applicants matched (1 couple), 4 of 4 positions filled")
    ).to_be_visible()
    expect(
        page.get_by_text("The independent checker found the result valid and stable.")
    ).to_be_visible()
    page.get_by_role("link", name="Reload the page").click()
    # Before match day nothing is published.
    page.get_by_role("button", name="Publish the result").click()
    expect(page.get_by_text("Results are published on match day")).to_be_visible()
    _log_in(page, live_server, students["erin"])
    assert _status_of(page, f"{live_server.url}/match/results/{cycle.pk}/") == 404

    # Match day comes (the clock moves, not a page).
    now = timezone.now()
    MatchCycle.objects.filter(pk=cycle.pk).update(
        certification_deadline=now - datetime.timedelta(minutes=2),
        match_day=now - datetime.timedelta(minutes=1),
    )
    _log_in(page, live_server, world["administrator"])
    page.goto(f"{live_server.url}/match/cycles/{cycle.pk}/")
    page.get_by_role("button", name="Publish the result").click()
    expect(page.get_by_text("The result is published")).to_be_visible()
    camera.check("cycle-published")

    # Each student reads their result, with the reasons in words.
    expected = {
        "alice": (
            "You matched to Internal Medicine, Lakeside Hospital — the 2nd row of your joint list.",
            "your partner Bob Brown matched to Internal Medicine",
        ),
        "bob": (
            "You matched to Internal Medicine, Lakeside Hospital — the 2nd row of your joint list.",
            "your partner Alice Adams matched to Internal Medicine",
        ),
        "cai": ("You matched to General Surgery, Hilltop Clinic — your 1st choice.", None),
        "dev": ("You matched to General Surgery, Hilltop Clinic — your 1st choice.", None),
        "erin": ("You did not match in this cycle.", None),
    }
    for name, (lead, couple) in expected.items():
        _log_in(page, live_server, students[name])
        page.goto(f"{live_server.url}/match/")
        page.get_by_role("link", name="Your result").click()
        expect(page.locator("p.lead")).to_contain_text(lead)
        if couple:
            expect(page.get_by_text(couple)).to_be_visible()
    # Erin (the last) ranked both programs above "no match": each says why, in words.
    reasons = page.get_by_role("heading", name="Choices you ranked higher").locator("..")
    expect(reasons.get_by_role("listitem").filter(has_text="Internal Medicine")).to_contain_text(
        "It filled its 2 positions with applicants it ranked higher than you; the last one it "
        "took was its 2nd choice; you were its 3rd."
    )
    expect(reasons.get_by_role("listitem").filter(has_text="General Surgery")).to_contain_text(
        "It filled its 2 positions with applicants it ranked higher than you; the last one it "
        "took was its 2nd choice; you were its 3rd."
    )
    camera.check("student-result")
    # Alice's result is hers alone: Erin's browser gets her own result at the cycle's address,
    # and another cycle program's filled list is not hers to see.
    assert (
        _status_of(
            page, f"{live_server.url}/match/results/{cycle.pk}/programs/{entries['medicine']}/"
        )
        == 404
    )
    _log_in(page, live_server, students["alice"])
    page.goto(f"{live_server.url}/match/results/{cycle.pk}/")
    reasons = page.get_by_role("heading", name="Choices you ranked higher").locator("..")
    expect(reasons.get_by_role("listitem")).to_have_count(1)
    expect(reasons.get_by_role("listitem")).to_contain_text(
        "You: General Surgery, Hilltop Clinic; your partner: General Surgery, Hilltop Clinic"
    )
    expect(reasons.get_by_role("listitem")).to_contain_text(
        "with applicants it ranked higher than you both"
    )
    camera.check("couple-result")

    # Each program sees its filled list, in the order of its own rank list.
    filled = {"medicine": ["Alice Adams", "Bob Brown"], "surgery": ["Dev Das", "Cai Chen"]}
    for key, names in filled.items():
        _log_in(page, live_server, directors[key])
        page.goto(f"{live_server.url}/match/results/")
        page.get_by_role("link", name=world["programs"][key].title).click()
        expect(page.get_by_text("2 of 2 positions filled")).to_be_visible()
        rows = page.locator("table tbody tr")
        expect(rows).to_have_count(2)
        for rank, name in enumerate(names):
            expect(rows.nth(rank).locator("td").nth(0)).to_have_text(str(rank + 1))
            expect(rows.nth(rank).locator("td").nth(1)).to_have_text(name)
        other = entries["surgery" if key == "medicine" else "medicine"]
        assert (
            _status_of(page, f"{live_server.url}/match/results/{cycle.pk}/programs/{other}/") == 404
        )
    page.goto(f"{live_server.url}/match/results/{cycle.pk}/programs/{entries['surgery']}/")
    camera.check("program-result")
