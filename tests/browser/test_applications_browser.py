"""The application board in a browser: track two shortlisted programs, drag a card to another
column, move one with the status menu, tick a requirement, on a laptop and on a phone, with
axe-core checking each page."""

import datetime
import re

import pytest
from django.test import Client
from playwright.sync_api import expect
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty
from tests.personas import make_user

from medmatch.applications.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Anything reaching past the right edge, except inside the regions that scroll on purpose.
WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(el => !(el.parentElement && el.parentElement.closest('.board-scroll, .table-wrap')))
  .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + el.getBoundingClientRect().right)
"""


@pytest.fixture
def student(transactional_db):
    from medmatch.research.models import ShortlistItem

    nrmp = make_source(key="nrmp", name="NRMP program tracks", publisher="NRMP")
    medicine = make_specialty("Internal Medicine", code="140")
    columbia = make_institution(
        "NewYork-Presbyterian Hospital", city="New York", region="NY", country="US", source=nrmp
    )
    mgh = make_institution(
        "Massachusetts General Hospital", city="Boston", region="MA", country="US", source=nrmp
    )
    soon = datetime.date.today() + datetime.timedelta(days=6)
    alice = make_user("alice")
    for program in [
        make_program(
            "Internal Medicine",
            institution=columbia,
            specialty=medicine,
            application_deadline=soon,
            source=nrmp,
        ),
        make_program("Internal Medicine", institution=mgh, specialty=medicine, source=nrmp),
    ]:
        ShortlistItem.objects.create(student=alice, program=program)
    return alice


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _assert_fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, page.evaluate(WIDE_ELEMENTS)


def test_it_tracks_moves_and_ticks_applications(
    page, live_server, student, screenshot_dir, assert_accessible
):
    # Tall enough that the board needs no vertical scrolling while a card is dragged.
    page.set_viewport_size({"width": 1280, "height": 1100})
    _log_in(page, live_server, student)
    page.goto(f"{live_server.url}/applications/board/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your applications")

    # Track both shortlisted programs; each opens its application page with a default checklist.
    for _ in range(2):
        page.locator(".track-suggestions").get_by_role(
            "button", name=re.compile("Track this application")
        ).first.click()
        expect(page.locator(".requirement")).to_have_count(10)
        page.get_by_role("link", name="Your applications").click()
    cards = page.locator(".card")
    expect(cards).to_have_count(2)
    researching = page.locator('.board-cards[data-status="researching"]')
    expect(researching.locator(".card")).to_have_count(2)
    expect(page.locator(".card .marker.soon")).to_have_count(1)
    assert_accessible(page, "the board")
    page.screenshot(path=screenshot_dir / "applications-board.png", full_page=True)

    # Drag the first card to "Preparing": it moves without a reload and the move is saved.
    page.evaluate("window.__same_page = true")
    first = cards.first
    first_id = first.get_attribute("id")
    preparing = page.locator('.board-column[data-status="preparing"]')
    first.drag_to(preparing)
    moved = page.locator(f'.board-cards[data-status="preparing"] #{first_id}')
    expect(moved).to_have_attribute("data-status", "preparing")
    expect(page.locator("#board-status")).to_contain_text("to Preparing")
    expect(preparing.locator(".count")).to_have_text("1")
    assert page.evaluate("window.__same_page") is True
    pk = int(first_id.rsplit("-", 1)[1])
    assert Application.objects.get(pk=pk).status == "preparing"

    # Dragging the other to "Submitted" with 0 of 10 done: the card stays, a warning with the
    # count, a link to the checklist and a "move anyway" button appears above the board.
    other = researching.locator(".card").first
    other_id = other.get_attribute("id")
    other.drag_to(page.locator('.board-column[data-status="submitted"]'))
    warning = page.locator("#board-status .move-confirm")
    expect(warning).to_contain_text("Only 0 of 10 requirements done")
    expect(warning.get_by_role("link", name="open the checklist")).to_be_visible()
    expect(researching.locator(f"#{other_id}")).to_be_visible()
    other_pk = int(other_id.rsplit("-", 1)[1])
    assert Application.objects.get(pk=other_pk).status == "researching"
    assert_accessible(page, "the board's submission warning")
    page.screenshot(path=screenshot_dir / "applications-board-submit-warning.png", full_page=True)

    # Move it with its status menu and Move button (the keyboard and no-JS way): the same
    # warning as a page, then the explicit confirmation moves it.
    other.get_by_role("combobox").select_option("submitted")
    other.get_by_role("button", name=re.compile("^Move")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move to Submitted?")
    expect(page.locator(".move-confirm")).to_contain_text("Only 0 of 10 requirements done")
    page.screenshot(path=screenshot_dir / "applications-submit-confirm.png", full_page=True)
    page.get_by_role("button", name="Move to Submitted anyway").click()
    expect(page.locator(f'.board-cards[data-status="submitted"] #{other_id}')).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("to Submitted")
    page.screenshot(path=screenshot_dir / "applications-board-moved.png", full_page=True)

    # Tick a requirement on the application page, in place.
    page.locator(f"#{first_id}").get_by_role("link").first.click()
    expect(page.locator(".checklist h2 .count")).to_have_text("0 of 10 done")
    page.evaluate("window.__same_page = true")
    page.locator(".requirement").first.get_by_role("button", name=re.compile("^Done:")).click()
    expect(page.locator(".checklist h2 .count")).to_have_text("1 of 10 done")
    expect(page.locator(".requirement").first).to_have_class(re.compile("is-done"))
    assert page.evaluate("window.__same_page") is True
    expect(page.locator(".history li")).to_have_count(2)
    assert_accessible(page, "an application page")
    page.screenshot(path=screenshot_dir / "applications-detail.png", full_page=True)

    # Add a requirement with an empty title: a clear message, then a good one.
    page.get_by_text("Add a requirement").click()
    page.get_by_label("Notes").last.fill("Ask Dr Chen in person.")
    page.get_by_role("button", name="Add to the checklist").click()
    expect(page.locator(".add-requirement .field-errors")).to_contain_text("title: required")
    expect(page.get_by_label("Notes").last).to_have_value("Ask Dr Chen in person.")
    page.get_by_label("What is needed").fill("Letter from Dr Chen")
    page.get_by_role("button", name="Add to the checklist").click()
    expect(page.locator(".requirement")).to_have_count(11)

    # Notes longer than allowed are stopped before sending, the text kept.
    page.get_by_role("link", name="Edit dates and notes").click()
    page.get_by_label("Notes").fill("n" * 20_001)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#board-status")).to_contain_text("notes: at most 20,000 characters")
    expect(page.get_by_label("Notes")).to_have_value("n" * 20_001)
    assert "/edit/" in page.url
    page.get_by_label("Notes").fill("Ask about night float.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".application-notes")).to_have_text("Ask about night float.")

    # The dashboard and the table.
    page.goto(f"{live_server.url}/applications/next/")
    # The submitted one's open requirements are due soon (with it); then a next step for each.
    expect(page.locator(".step")).to_have_count(3)
    expect(page.locator(".step.soon")).to_contain_text("10 requirements still open")
    assert_accessible(page, "the next-steps dashboard")
    page.screenshot(path=screenshot_dir / "applications-next.png", full_page=True)
    page.goto(f"{live_server.url}/applications/table/")
    expect(page.locator("tbody tr")).to_have_count(2)
    assert_accessible(page, "the table")

    # On a phone: the board scrolls sideways inside its region; the page does not.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/applications/board/")
    _assert_fits_the_screen(page)
    scroll = page.locator(".board-scroll")
    assert scroll.evaluate("el => el.scrollWidth > el.clientWidth")
    assert_accessible(page, "the board at 375 px")
    page.screenshot(path=screenshot_dir / "applications-board-375.png", full_page=True)
    for path in ["next/", "table/", f"{pk}/"]:
        page.goto(f"{live_server.url}/applications/{path}")
        _assert_fits_the_screen(page)
    page.screenshot(path=screenshot_dir / "applications-detail-375.png", full_page=True)
