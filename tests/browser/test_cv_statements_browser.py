"""The CV builder and statement editor in a browser: a new user adds CV entries (one with bad
input first), opens the CV tailored for a real program, downloads its PDF, writes a statement
with a cliché and sees it highlighted after the pause in typing; axe-core on every page and no
page-level horizontal scroll at 375 px."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty
from tests.personas import make_user

from medmatch.applications.models import CVEntry, Statement
from medmatch.applications.services import application_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(el => !(el.parentElement && el.parentElement.closest('.table-wrap')))
  .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + el.getBoundingClientRect().right)
"""
CLICHE = (
    "Ever since I was a child, I have wanted to help people. I am a hard-working and dedicated "
    "student who wants to train at your prestigious program."
)


@pytest.fixture
def application(transactional_db):
    nrmp = make_source(key="nrmp", name="NRMP program tracks", publisher="NRMP")
    medicine = make_specialty("Internal Medicine", code="140", slug="internal-medicine")
    institution = make_institution(
        "University of Michigan Hospitals", city="Ann Arbor", region="MI", country="US", source=nrmp
    )
    program = make_program(
        "Internal Medicine", institution=institution, specialty=medicine, source=nrmp
    )
    alice = make_user("alice", first_name="Alice", last_name="Moreno")
    return application_create(student=alice, program=program)[0]


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _assert_fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, page.evaluate(WIDE_ELEMENTS)


def _add_entry(page, section, title, start="", end="", tags="", description="") -> None:
    page.get_by_role("link", name="Add an entry").click()
    page.get_by_label("Section").select_option(section)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Organisation").fill("University of Michigan")
    if start:
        page.locator("#id_start_date").fill(start)
    if end:
        page.locator("#id_end_date").fill(end)
    page.get_by_label("Tags").fill(tags)
    page.get_by_label("Description").fill(description)
    page.get_by_role("button", name="Add to my CV").click()


def test_it_builds_a_cv_tailors_it_and_gives_statement_feedback(
    page, live_server, application, screenshot_dir, assert_accessible
):
    student = application.student
    page.set_viewport_size({"width": 1280, "height": 1000})
    _log_in(page, live_server, student)
    page.goto(f"{live_server.url}/applications/cv/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your CV")
    assert_accessible(page, "the empty CV page")

    # Bad input first: an empty title and dates in the wrong order; the message names both and
    # what was typed stays.
    _add_entry(page, "clinical", "", start="2024-05", end="2023-01", description="Kept text")
    expect(page.locator(".field-errors")).to_contain_text(["title: required", "end_date: must be"])
    expect(page.get_by_label("Description")).to_have_value("Kept text")
    assert_accessible(page, "the entry form with errors")
    page.screenshot(path=screenshot_dir / "cv-entry-errors.png", full_page=True)
    page.get_by_role("link", name="Your CV").click()

    _add_entry(
        page,
        "clinical",
        "Student clinician, free clinic",
        start="2022-10",
        tags="Internal Medicine, primary care",
        description="Took histories of uninsured adults with diabetes and presented them.",
    )
    expect(page.locator(".messages")).to_contain_text("Added “Student clinician, free clinic”")
    _add_entry(page, "education", "Doctor of Medicine (MD), expected", start="2022-08")
    _add_entry(page, "volunteering", "Food bank shift lead", start="2019-01", end="2021-05")
    expect(page.locator(".cv-entry")).to_have_count(3)
    assert CVEntry.objects.filter(student=student).count() == 3
    assert_accessible(page, "the CV page")
    page.screenshot(path=screenshot_dir / "cv-page.png", full_page=True)

    # The tailored CV, from the application page.
    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    page.get_by_role("link", name="CV tailored for this program").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CV for Internal Medicine")
    expect(page.locator(".cv-reasons").first).to_contain_text("every CV lists it")
    expect(page.locator("#tailored-cv")).to_contain_text(
        "tagged Internal Medicine = program's specialty"
    )
    expect(page.locator(".cv-left-out")).to_contain_text("Food bank shift lead")
    assert_accessible(page, "the tailored CV")
    page.screenshot(path=screenshot_dir / "cv-tailored.png", full_page=True)
    page.evaluate("window.__same_page = true")
    page.locator(".cv-left-out").get_by_role("button", name=re.compile("^Include")).click()
    expect(page.locator(".cv-left-out")).to_have_count(0)
    expect(page.get_by_role("button", name="Start again from the suggested order")).to_be_visible()
    assert page.evaluate("window.__same_page") is True

    pdf = page.request.get(f"{live_server.url}/applications/{application.pk}/cv.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # A statement for this program: the cliché is highlighted after a pause in typing.
    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    page.get_by_role("button", name="Write a statement for this program").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Internal Medicine")
    # htmx notes the textarea's value when it wires "keyup changed"; text typed before that is not
    # a change to it. The click's navigation is only committed here, so wait for the page to load.
    page.wait_for_load_state("load")
    body = page.get_by_label("Statement")
    body.fill(CLICHE)
    body.press("End")
    mark = page.locator("#feedback mark.flag-cliche")
    expect(mark).to_have_text("Ever since I was a child")
    expect(page.locator("#feedback .flag-notes")).to_contain_text("Cliché")
    expect(page.locator("#feedback .flag-notes")).to_contain_text("Any applicant could write this")
    expect(page.locator("#feedback")).to_contain_text(
        "Specific to Internal Medicine, University of Michigan Hospitals"
    )
    assert_accessible(page, "the statement editor with feedback")
    page.screenshot(path=screenshot_dir / "statement-editor.png", full_page=True)
    # The notes read 1, 2, 3… through the text, say no internal rule code, and "You mention"
    # lists only what the text names (nothing of this program here).
    refs = page.locator("#feedback .note-ref a").all_inner_texts()
    assert refs == [str(number) for number in range(1, len(refs) + 1)] and len(refs) >= 2
    notes = page.locator("#feedback .flag-notes").inner_text()
    assert re.search(r"\b[CG]\d{2,3}\b", notes) is None, notes
    expect(page.locator("#feedback .specificity")).to_contain_text("Nothing specific yet.")
    page.locator("#feedback").screenshot(path=screenshot_dir / "statement-feedback-notes.png")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Saved a new version.")
    statement = Statement.objects.get(application=application)
    assert statement.current_body() == CLICHE

    # Too much text: stopped in the browser before sending, and the text stays.
    body = page.get_by_label("Statement")
    body.fill("x" * 10_001)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#statement-status")).to_contain_text("at most 10,000 characters")
    expect(body).to_have_value("x" * 10_001)
    assert statement.versions.count() == 1

    # A second version, then the word diff between the two.
    body.fill(CLICHE.replace("help people", "care for adults with diabetes in Ann Arbor"))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Saved a new version.")
    page.get_by_role("link", name="Versions and changes").click()
    assert_accessible(page, "the versions page")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".statement-diff del")).to_contain_text("help")
    expect(page.locator(".statement-diff ins")).to_contain_text("Ann Arbor")
    assert_accessible(page, "the diff page")
    page.screenshot(path=screenshot_dir / "statement-diff.png", full_page=True)

    # On a phone: no page-level horizontal scroll on any of these pages.
    page.set_viewport_size({"width": 375, "height": 800})
    for name, path in [
        ("cv", "/applications/cv/"),
        ("tailored", f"/applications/{application.pk}/cv/"),
        ("statement", statement.get_absolute_url()),
        ("statements", "/applications/statements/"),
        ("versions", f"{statement.get_absolute_url()}versions/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        _assert_fits_the_screen(page)
        page.screenshot(path=screenshot_dir / f"cv-statements-375-{name}.png", full_page=True)
    assert_accessible(page, "the statements list on a phone")
