"""A student's rank order list in a browser: they start a list on the match page, add the
programs they shortlisted, drag one to the top (saved at once with htmx), certify, then change
the list and read that it no longer counts; the same list without JavaScript (Up and rank
numbers); axe-core on each page; a phone-width screenshot that fits the screen."""

import pytest
from django.test import Client
from playwright.sync_api import expect
from tests.catalog.factories import make_institution, make_program
from tests.cycles.rank_fixtures import make_open_cycle
from tests.personas import make_user

from medmatch.cycles import rank_lists as lists
from medmatch.cycles.models import CycleProgram, StudentRankList
from medmatch.research.models import ShortlistItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = ["Internal Medicine", "General Surgery", "Pediatrics"]
WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(el => !(el.parentElement && el.parentElement.closest('.table-wrap')))
  .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + el.getBoundingClientRect().right)
"""


def _log_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _cycle_with_shortlist(student) -> list[CycleProgram]:
    hospital = make_institution("Lakeside Hospital", city="Chicago", country="US")
    cycle = make_open_cycle()
    entries = []
    for title in TITLES:
        program = make_program(title, institution=hospital, track_type="categorical")
        entries.append(CycleProgram.objects.create(cycle=cycle, program=program, quota=2))
        ShortlistItem.objects.create(student=student, program=program)
    return entries


def _order(student) -> list[str]:
    rank_list = StudentRankList.objects.get(student=student)
    by_pk = {cp.pk: cp.program.title for cp in CycleProgram.objects.select_related("program")}
    return [by_pk[pk] for pk in lists.student_order(rank_list)]


def test_a_student_drags_to_order_and_certifies(
    page, live_server, assert_accessible, screenshot_dir
):
    alice = make_user("alice")
    _cycle_with_shortlist(alice)
    _log_in(page.context, live_server, alice)
    page.goto(f"{live_server.url}/match/")
    assert_accessible(page, "match home")
    page.get_by_role("button", name="Start your rank list").click()
    expect(page.get_by_role("heading", name="Your rank list: Main match 2027")).to_be_visible()
    for count, title in enumerate(TITLES, start=1):
        page.get_by_role("button", name=f"Add {title}, Lakeside Hospital to your list").click()
        expect(page.locator("table.rank-table tbody tr")).to_have_count(count)
    assert _order(alice) == TITLES
    assert_accessible(page, "rank list")

    rows = page.locator("table.rank-table tbody tr")
    # Both rows on screen (the page scrolled to the last one added): a drag is done by hand.
    page.get_by_role("heading", name="Your rank order list").scroll_into_view_if_needed()
    with page.expect_response(lambda r: r.url.endswith("/order/") and r.status == 200):
        rows.nth(2).drag_to(rows.nth(0))
    expect(rows.nth(0)).to_contain_text("Pediatrics")
    assert _order(alice) == ["Pediatrics", "Internal Medicine", "General Surgery"]
    expect(page.get_by_label("Rank of Pediatrics")).to_have_value("1")

    page.get_by_role("button", name="Certify this list").click()
    expect(page.get_by_text("Your list is certified")).to_be_visible()
    expect(page.locator(".list-status")).to_contain_text("Certified")

    # A drag after certifying says the list no longer counts.
    rows = page.locator("table.rank-table tbody tr")
    page.get_by_role("heading", name="Your rank order list").scroll_into_view_if_needed()
    with page.expect_response(lambda r: r.url.endswith("/order/")):
        rows.nth(1).drag_to(rows.nth(0))
    expect(page.get_by_text("this change un-certified it")).to_be_visible()
    expect(page.locator(".list-status")).to_contain_text("Not certified")
    assert StudentRankList.objects.get(student=alice).certified_at is None
    assert_accessible(page, "rank list after a change")
    page.screenshot(path=screenshot_dir / "rank-list-desktop.png", full_page=True)

    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, page.evaluate(WIDE_ELEMENTS)
    assert_accessible(page, "rank list on a phone")
    page.screenshot(path=screenshot_dir / "rank-list-phone.png", full_page=True)


def test_the_list_works_without_javascript(browser, live_server, screenshot_dir):
    bob = make_user("bob")
    entries = _cycle_with_shortlist(bob)
    rank_list = lists.student_list_start(cycle=entries[0].cycle, student=bob)
    lists.student_list_write(rank_list=rank_list, order=[e.pk for e in entries])
    context = browser.new_context(java_script_enabled=False)
    _log_in(context, live_server, bob)
    page = context.new_page()
    page.goto(f"{live_server.url}/match/lists/{rank_list.pk}/")
    page.get_by_role("button", name="Move General Surgery, Lakeside Hospital up").click()
    expect(page.get_by_label("Rank of General Surgery")).to_have_value("1")
    assert _order(bob) == ["General Surgery", "Internal Medicine", "Pediatrics"]
    page.get_by_label("Rank of Pediatrics").fill("1")
    page.get_by_label("Rank of General Surgery").fill("3")
    page.get_by_label("Rank of Internal Medicine").fill("2")
    page.get_by_role("button", name="Save the rank numbers").click()
    assert _order(bob) == ["Pediatrics", "Internal Medicine", "General Surgery"]
    page.get_by_role("button", name="Certify this list").click()
    expect(page.get_by_text("Your list is certified")).to_be_visible()
    page.screenshot(path=screenshot_dir / "rank-list-no-js.png", full_page=True)
    context.close()


def test_the_couple_and_program_pages_pass_axe_on_a_phone(
    page, live_server, assert_accessible, screenshot_dir
):
    from tests.contributions.conftest import make_coordinatorship

    alice, erin = make_user("alice"), make_user("erin")
    entries = _cycle_with_shortlist(alice)
    cycle = entries[0].cycle
    for student, order in ((alice, entries[:2]), (erin, entries[1:])):
        rank_list = lists.student_list_start(cycle=cycle, student=student)
        lists.student_list_write(rank_list=rank_list, order=[e.pk for e in order])
    proposal = lists.couple_propose(cycle=cycle, proposer=alice, email=erin.email)
    link = lists.couple_proposal_answer(proposal=proposal, partner=erin, accept=True)
    lists.couple_pairs_write(
        joint=lists.joint_list(link), pairs=[(entries[0].pk, entries[1].pk), (entries[0].pk, None)]
    )
    page.set_viewport_size({"width": 375, "height": 812})
    _log_in(page.context, live_server, alice)
    page.goto(f"{live_server.url}/match/couples/{link.pk}/")
    expect(page.get_by_role("heading", name="Pairs your individual lists imply")).to_be_visible()
    assert_accessible(page, "joint list")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.evaluate(
        WIDE_ELEMENTS
    )
    page.screenshot(path=screenshot_dir / "rank-couple-phone.png", full_page=True)

    dana = make_user("dana", role="coordinator")
    make_coordinatorship(dana, entries[0].program.institution, role="director")
    lists.program_list_write(plist=lists.program_list(entries[0]), order=[alice.pk, erin.pk])
    page.context.clear_cookies()
    _log_in(page.context, live_server, dana)
    page.goto(f"{live_server.url}/match/programs/{entries[0].pk}/")
    expect(page.get_by_role("heading", name="Import a list (CSV)")).to_be_visible()
    assert_accessible(page, "program list")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.evaluate(
        WIDE_ELEMENTS
    )
    page.screenshot(path=screenshot_dir / "rank-program-phone.png", full_page=True)


def _couple_and_program(entries):
    """Alice and Erin linked, with a certified joint list of two pairs; Dana directs the first
    program, whose certified list ranks Alice then Erin."""
    from tests.contributions.conftest import make_coordinatorship

    alice, erin = make_user("alice"), make_user("erin")
    cycle = entries[0].cycle
    for student in (alice, erin):
        rank_list = lists.student_list_start(cycle=cycle, student=student)
        lists.student_list_write(rank_list=rank_list, order=[e.pk for e in entries])
    proposal = lists.couple_propose(cycle=cycle, proposer=alice, email=erin.email)
    link = lists.couple_proposal_answer(proposal=proposal, partner=erin, accept=True)
    joint = lists.joint_list(link)
    lists.couple_pairs_write(
        joint=joint, pairs=[(entries[0].pk, entries[1].pk), (entries[0].pk, None)]
    )
    for student in (alice, erin):
        lists.couple_list_certify(joint=joint, student=student)
    dana = make_user("dana", role="coordinator")
    make_coordinatorship(dana, entries[0].program.institution, role="director")
    plist = lists.program_list(entries[0])
    lists.program_list_write(plist=plist, order=[alice.pk, erin.pk])
    lists.program_list_certify(plist=plist, director=dana)
    return alice, dana, link, joint, plist


def _drag_first_below_second(page, heading: str) -> None:
    """Drag the second row onto the first; the page stays (htmx swaps the list in place)."""
    page.evaluate("window.stayed = true")
    page.get_by_role("heading", name=heading, exact=True).scroll_into_view_if_needed()
    rows = page.locator("table.rank-table tbody tr")
    with page.expect_response(lambda r: r.url.endswith("/order/") and r.status == 200) as sent:
        rows.nth(1).drag_to(rows.nth(0))
    assert sent.value.request.headers.get("hx-request") == "true"
    expect(page.locator(".list-status")).to_contain_text("Not certified")
    assert page.evaluate("window.stayed === true"), "the drag reloaded the whole page"


def test_the_joint_and_program_lists_reorder_by_drag_with_htmx(
    page, live_server, assert_accessible, screenshot_dir
):
    entries = _cycle_with_shortlist(make_user("cai"))
    alice, dana, link, joint, plist = _couple_and_program(entries)
    pairs = lists.pair_order(joint)

    _log_in(page.context, live_server, alice)
    page.goto(f"{live_server.url}/match/couples/{link.pk}/")
    expect(page.locator(".list-status")).to_contain_text("Certified by both")
    _drag_first_below_second(page, "Pairs")
    expect(page.get_by_text("un-certified it for both of you")).to_be_visible()
    expect(page.locator("table.rank-table tbody tr").nth(0)).to_contain_text("No match")
    assert lists.pair_order(joint) == [pairs[1], pairs[0]]
    assert_accessible(page, "joint list after a drag")
    page.screenshot(path=screenshot_dir / "rank-couple-dragged.png", full_page=True)

    page.context.clear_cookies()
    _log_in(page.context, live_server, dana)
    page.goto(f"{live_server.url}/match/programs/{entries[0].pk}/")
    expect(page.locator(".list-status")).to_contain_text("Certified")
    _drag_first_below_second(page, "Applicants, best first")
    expect(page.get_by_text("this change un-certified it")).to_be_visible()
    expect(page.locator("table.rank-table tbody tr").nth(0)).to_contain_text("erin")
    expect(page.get_by_role("button", name="Certify the list")).to_be_visible()
    plist.refresh_from_db()
    assert plist.certified_at is None
    assert lists.program_order(plist) == [plist.entries.get(rank=1).student_id, alice.pk]
    assert_accessible(page, "program list after a drag")
    page.screenshot(path=screenshot_dir / "rank-program-dragged.png", full_page=True)


def test_the_joint_and_program_lists_work_without_javascript(browser, live_server):
    entries = _cycle_with_shortlist(make_user("cai"))
    alice, dana, link, joint, plist = _couple_and_program(entries)
    first, second = lists.pair_order(joint)
    context = browser.new_context(java_script_enabled=False)
    _log_in(context, live_server, alice)
    page = context.new_page()
    page.goto(f"{live_server.url}/match/couples/{link.pk}/")
    labels = [
        page.get_by_label(f"Rank of {label}")
        for label in (
            "Internal Medicine — Lakeside Hospital / General Surgery — Lakeside Hospital",
            "Internal Medicine — Lakeside Hospital / No match",
        )
    ]
    labels[0].fill("2")
    labels[1].fill("1")
    page.get_by_role("button", name="Save the rank numbers").click()
    expect(page.get_by_text("un-certified it for both of you")).to_be_visible()
    assert lists.pair_order(joint) == [second, first]
    page.get_by_role(
        "button",
        name="Move Internal Medicine — Lakeside Hospital / General Surgery — Lakeside Hospital up",
    ).click()
    expect(page.locator("table.rank-table tbody tr").nth(0)).to_contain_text("General Surgery")
    assert lists.pair_order(joint) == [first, second]
    context.clear_cookies()

    _log_in(context, live_server, dana)
    page.goto(f"{live_server.url}/match/programs/{entries[0].pk}/")
    erin_label = page.locator("table.rank-table tbody tr").nth(1).locator("th").inner_text()
    page.get_by_role("button", name=f"Move {erin_label} up").click()
    expect(page.get_by_text("this change un-certified it")).to_be_visible()
    assert lists.program_order(plist)[1] == alice.pk
    page.get_by_label(f"Rank of {erin_label}").fill("2")
    page.get_by_label("Rank of alice").fill("1")
    page.get_by_role("button", name="Save the rank numbers").click()
    expect(page.locator("table.rank-table tbody tr").nth(0)).to_contain_text("alice")
    assert lists.program_order(plist)[0] == alice.pk
    context.close()
