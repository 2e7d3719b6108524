"""Letters in a browser: a new student adds a recommender, asks for a letter for two
applications, downloads the packet, makes an upload link; the recommender opens it in another
browser session without logging in, has a renamed program refused and uploads a PDF; the
student sees "Submitted" and cannot open the waived letter. axe-core on each page, 375 px."""

import datetime
import re

import pytest
from django.test import Client
from playwright.sync_api import expect
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty
from tests.letters.conftest import pdf_bytes
from tests.personas import make_user

from medmatch.applications.services import application_create
from medmatch.letters.models import Letter, LetterRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(el => !(el.parentElement && el.parentElement.closest('.table-wrap')))
  .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + el.getBoundingClientRect().right)
"""


@pytest.fixture
def student(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    source = make_source(key="nrmp", name="NRMP program tracks", publisher="NRMP")
    medicine = make_specialty("Internal Medicine", code="140")
    cardiology = make_specialty("Cardiovascular Disease", code="020")
    today = datetime.date.today()
    columbia = make_institution("NewYork-Presbyterian Hospital", city="New York", source=source)
    mgh = make_institution("Massachusetts General Hospital", city="Boston", source=source)
    alice = make_user("alice", first_name="Alice", last_name="Nguyen")
    for program in [
        make_program(
            "Internal Medicine",
            institution=columbia,
            specialty=medicine,
            application_deadline=today + datetime.timedelta(days=30),
            emphasis="teaching",
            source=source,
        ),
        make_program(
            "Cardiology",
            institution=mgh,
            specialty=cardiology,
            application_deadline=today + datetime.timedelta(days=75),
            source=source,
        ),
    ]:
        application_create(student=alice, program=program)
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


def test_it_asks_for_a_letter_and_receives_it_confidentially(
    page, browser, live_server, student, screenshot_dir, assert_accessible, tmp_path
):
    page.set_viewport_size({"width": 1280, "height": 1000})
    _log_in(page, live_server, student)
    page.goto(f"{live_server.url}/letters/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Letters of recommendation")
    expect(page.get_by_text("still needs 3 more letters").first).to_be_visible()
    assert_accessible(page, "the letters page (empty)")

    # Add a recommender; the form goes on to the request with them chosen.
    page.get_by_role("link", name="Add a recommender").click()
    page.get_by_label("Name").fill("Dr. Ruth Okafor")
    page.get_by_label("Title").fill("Associate Professor of Medicine")
    page.get_by_label("Role").select_option("attending")
    page.get_by_label("Specialty").select_option(label="Internal Medicine")
    page.get_by_label("Email").fill("okafor@example.org")
    page.get_by_label("How well they know your work").select_option("5")
    assert_accessible(page, "the recommender form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for a letter")

    page.get_by_label(re.compile("Internal Medicine — NewYork-Presbyterian")).check()
    page.get_by_label(re.compile("Cardiology — Massachusetts General")).check()
    page.get_by_label("Points you would like the letter to speak to").fill(
        "My night-float admissions and the family meeting in March."
    )
    assert_accessible(page, "the request form")
    page.screenshot(path=screenshot_dir / "letters-request-form.png", full_page=True)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Letter from Dr. Ruth Okafor")
    letter_request = LetterRequest.objects.get()
    assert letter_request.applications.count() == 2
    assert letter_request.due_on == datetime.date.today() + datetime.timedelta(days=23)

    # The packet.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the packet (PDF)").click()
    packet = tmp_path / "packet.pdf"
    download_info.value.save_as(packet)
    assert packet.read_bytes().startswith(b"%PDF-")

    # An upload link, shown once.
    page.get_by_role("button", name="Make an upload link to copy").click()
    link = page.get_by_label(re.compile("New upload link")).input_value()
    assert "/letters/upload/" in link
    assert_accessible(page, "the request page")
    page.screenshot(path=screenshot_dir / "letters-request.png", full_page=True)

    # The recommender, in another browser session with no login.
    recommender_context = browser.new_context(viewport={"width": 375, "height": 800})
    portal = recommender_context.new_page()
    portal.goto(link)
    expect(portal.get_by_role("heading", level=1)).to_have_text(
        "Letter of recommendation for Alice Nguyen"
    )
    assert_accessible(portal, "the upload page at 375 px")
    _assert_fits_the_screen(portal)
    program = tmp_path / "letter.pdf"
    program.write_bytes(b"MZ\x90\x00" + b"\x00" * 300)
    portal.get_by_label("The letter, as a PDF").set_input_files(str(program))
    portal.get_by_role("button", name="Upload the letter").click()
    expect(portal.get_by_role("alert")).to_contain_text(
        "not a PDF (it looks like a Windows program)"
    )
    assert_accessible(portal, "the upload page with an error")
    portal.screenshot(path=screenshot_dir / "letters-portal-refused-375.png", full_page=True)
    letter_file = tmp_path / "Okafor letter.pdf"
    letter_file.write_bytes(pdf_bytes())
    portal.get_by_label("The letter, as a PDF").set_input_files(str(letter_file))
    portal.get_by_role("button", name="Upload the letter").click()
    expect(portal.get_by_role("status")).to_contain_text("your letter was received")
    portal.screenshot(path=screenshot_dir / "letters-portal-375.png", full_page=True)
    recommender_context.close()
    assert Letter.objects.count() == 1

    # The student sees "Submitted" and nothing of the waived letter.
    page.goto(f"{live_server.url}/letters/requests/{letter_request.pk}/")
    expect(page.locator(".letter-facts").get_by_text("Submitted", exact=True)).to_be_visible()
    expect(page.get_by_text("You waived your right to see this letter.")).to_be_visible()
    expect(page.get_by_text("Okafor letter.pdf")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("Download.*letter"))).to_have_count(0)
    download = page.request.get(
        f"{live_server.url}/letters/requests/{letter_request.pk}/letter.pdf"
    )
    assert download.status == 404
    expect(page.get_by_role("table")).to_contain_text("Uploaded a letter")

    page.set_viewport_size({"width": 375, "height": 800})
    _assert_fits_the_screen(page)
    assert_accessible(page, "the request page at 375 px")
    page.screenshot(path=screenshot_dir / "letters-request-375.png", full_page=True)
    page.goto(f"{live_server.url}/letters/")
    _assert_fits_the_screen(page)
    assert_accessible(page, "the letters page at 375 px")
    page.screenshot(path=screenshot_dir / "letters-index-375.png", full_page=True)
