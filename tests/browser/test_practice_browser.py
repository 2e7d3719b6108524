"""The practice match in a browser: a student with no programs on the site ranks the hand-made
market's programs (reordering them in "Your list so far"), runs it and reads the result and its
lessons, then a couple's list; axe-core on each page; everything fits a phone-sized screen."""

import pytest
from django.test import Client
from playwright.sync_api import expect
from tests.personas import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BANNER = "A simulation with made-up competitors, not a prediction of your match."
WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(el => !(el.parentElement && el.parentElement.closest('.table-wrap')))
  .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + el.getBoundingClientRect().right)
"""


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _assert_fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, page.evaluate(WIDE_ELEMENTS)


def test_it_runs_a_practice_match_on_a_phone(page, live_server, assert_accessible, screenshot_dir):
    alice = make_user("alice")
    page.set_viewport_size({"width": 375, "height": 812})
    _log_in(page, live_server, alice)
    page.goto(f"{live_server.url}/match/practice/")
    expect(page.get_by_role("heading", name="Practice match", exact=True)).to_be_visible()
    expect(page.get_by_text(BANNER)).to_be_visible()
    assert_accessible(page, "practice match start")
    _assert_fits_the_screen(page)
    page.get_by_role("button", name="Choose programs").click()
    expect(page.get_by_role("heading", name="Your practice list")).to_be_visible()

    def rank(program):
        return page.get_by_role("spinbutton", name=program, exact=True)

    rank("Program A").fill("1")
    rank("Program B").fill("2")
    rank("Program C").fill("2")
    page.get_by_role("button", name="Run the practice match").click()
    expect(page.get_by_text("Rank 2 is also given to Program C.")).to_be_visible()
    assert_accessible(page, "practice list with errors")
    _assert_fits_the_screen(page)
    rank("Program C").fill("3")
    rank("Program F").fill("4")
    # The list so far (JavaScript): move Program F up, then take it off the list again.
    panel = page.locator("#list-so-far")
    expect(panel.locator("li")).to_have_count(4)
    panel.get_by_role("button", name="Move Program F up").click()
    expect(panel.locator("li").nth(2)).to_contain_text("3. Program F")
    expect(rank("Program F")).to_have_value("3")
    expect(rank("Program C")).to_have_value("4")
    panel.get_by_role("button", name="Remove Program F from your list").click()
    expect(rank("Program F")).to_have_value("")
    expect(rank("Program C")).to_have_value("3")
    assert_accessible(page, "practice list")
    page.get_by_role("button", name="Run the practice match").click()
    expect(page.get_by_text("You matched at Program C, your choice 3 of 3.")).to_be_visible()
    expect(page.get_by_text(BANNER)).to_be_visible()
    expect(page.get_by_text("In none of these reruns did you end up worse off")).to_be_visible()
    expect(page.get_by_text("You would go unmatched")).to_be_visible()
    assert_accessible(page, "practice run")
    _assert_fits_the_screen(page)
    page.screenshot(path=screenshot_dir / "practice-run-phone.png", full_page=True)

    page.goto(f"{live_server.url}/match/practice/new/?market=hand_made&couple=on")
    page.get_by_label("Row 1: your program").select_option(label="Program A")
    page.get_by_label("Row 1: Sam's program").select_option(label="Program D")
    page.get_by_label("Row 2: your program").select_option(label="Program C")
    page.get_by_label("Row 2: Sam's program").select_option(label="No match")
    assert_accessible(page, "couple list")
    page.get_by_role("button", name="Run the practice match").click()
    expect(page.get_by_text("Your “no match” rows changed the outcome")).to_be_visible()
    assert_accessible(page, "couple run")
    _assert_fits_the_screen(page)
    page.get_by_role("button", name="Delete this practice run").click()
    expect(page.get_by_text("Deleted the practice run.")).to_be_visible()
