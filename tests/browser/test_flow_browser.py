"""The site frame and first steps in a browser: on a 390x844 phone the logged-in header is one
row with a Menu button (and the whole navigation without JavaScript); the statement feedback is
one tap away on a phone; log-in lands on the next step. axe-core on each state."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty
from tests.personas import PASSWORD, make_user

from medmatch.applications.services import application_create, statement_for_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TEXT = (
    "Ever since I was a child, I have wanted to help people. I am a hard-working and dedicated "
    "student who wants to train at your prestigious program.\n\n" * 6
)


def _log_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _header_height(page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


def test_it_folds_the_phone_header_into_one_row_behind_a_menu_button(
    page, live_server, screenshot_dir, assert_accessible
):
    alice = make_user("alice", is_staff=True)  # the longest header: every item and Admin
    page.set_viewport_size(PHONE)
    _log_in(page.context, live_server, alice)
    page.goto(f"{live_server.url}/catalog/programs/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Shortlist")).to_be_hidden()
    # One row: the brand and the button side by side, under 8% of the screen (24% before).
    brand = page.locator(".site-nav .brand").bounding_box()
    button = menu.bounding_box()
    assert abs(brand["y"] + brand["height"] / 2 - (button["y"] + button["height"] / 2)) < 8
    assert _header_height(page) < 0.08 * PHONE["height"]
    page.screenshot(path=screenshot_dir / "flow-390-header-closed.png")
    assert_accessible(page, "the phone header, closed")

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Shortlist")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.screenshot(path=screenshot_dir / "flow-390-header-open.png")
    assert_accessible(page, "the phone header, open")
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(page.get_by_role("link", name="Shortlist")).to_be_hidden()

    # A wide window with the longest header folds too rather than take two rows.
    page.set_viewport_size({"width": 1366, "height": 900})
    assert _header_height(page) < 70


def test_it_shows_a_students_whole_navigation_in_one_row_on_a_laptop(
    page, live_server, screenshot_dir
):
    page.set_viewport_size({"width": 1280, "height": 720})  # Playwright's default
    _log_in(page.context, live_server, make_user("alexandra.kowalczyk"))
    page.goto(f"{live_server.url}/catalog/programs/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("link", name="Interviews")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert _header_height(page) < 70
    page.screenshot(path=screenshot_dir / "flow-1280-header.png")


def test_it_shows_the_whole_navigation_without_javascript(browser, live_server, screenshot_dir):
    alice = make_user("alice")
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    _log_in(context, live_server, alice)
    page = context.new_page()
    page.goto(f"{live_server.url}/catalog/programs/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("link", name="Shortlist")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.screenshot(path=screenshot_dir / "flow-390-header-no-js.png")
    context.close()


def test_it_puts_the_statement_feedback_one_tap_away_on_a_phone(
    page, live_server, screenshot_dir, assert_accessible
):
    nrmp = make_source(key="nrmp", name="NRMP program tracks", publisher="NRMP")
    medicine = make_specialty("Internal Medicine", code="140", slug="internal-medicine")
    institution = make_institution(
        "University of Michigan Hospitals", city="Ann Arbor", source=nrmp
    )
    program = make_program("Internal Medicine", institution=institution, specialty=medicine)
    alice = make_user("alice")
    statement, _ = statement_for_application(
        application=application_create(student=alice, program=program)[0]
    )
    page.set_viewport_size(PHONE)
    _log_in(page.context, live_server, alice)
    page.goto(f"{live_server.url}/applications/statements/{statement.pk}/")
    page.get_by_label("Statement").fill(TEXT)
    page.get_by_role("button", name="Analyze").click()
    jump = page.get_by_role("link", name="Jump to feedback")
    page.get_by_label("Statement").scroll_into_view_if_needed()
    # The link stays at the bottom of the screen while the text box is on it.
    expect(jump).to_be_in_viewport()
    page.screenshot(path=screenshot_dir / "flow-390-statement-jump.png")
    assert_accessible(page, "the statement editor on a phone")
    jump.click()
    expect(page.get_by_role("heading", name="Feedback")).to_be_in_viewport()
    expect(page.get_by_text("Flagged sentences")).to_be_visible()
    page.screenshot(path=screenshot_dir / "flow-390-statement-feedback.png")

    page.set_viewport_size({"width": 1280, "height": 900})
    expect(jump).to_be_hidden()  # feedback sits beside the text on a wide screen


def test_it_lands_a_new_student_on_the_goals_questionnaire_after_log_in(
    page, live_server, screenshot_dir
):
    make_user("alice")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/goals/questionnaire/\w+/$"))
    page.screenshot(path=screenshot_dir / "flow-390-after-log-in.png")


def test_it_loads_pages_with_an_icon_and_no_missing_file(page, live_server, screenshot_dir):
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    page.goto(f"{live_server.url}/")
    icon = page.locator('link[rel="icon"][type="image/svg+xml"]').get_attribute("href")
    assert page.request.get(f"{live_server.url}{icon}").ok
    response = page.request.get(f"{live_server.url}/favicon.ico")
    assert response.ok and response.headers["content-type"] in {
        "image/x-icon",
        "image/vnd.microsoft.icon",
    }
    # Each stage of the journey is a link; the seventh goes to the application board.
    expect(page.get_by_role("link", name="Decide and match")).to_have_attribute(
        "href", "/applications/board/"
    )
    page.screenshot(path=screenshot_dir / "flow-home-stages.png", full_page=True)
    assert missing == []
