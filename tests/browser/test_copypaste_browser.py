"""The statement editor asks about a sentence written for another program: a variant for one of
alice's applications that names the institution of another of her applications, and describes a
feature listed by it, shows "Written for another program?"; axe-core on the page."""

import pytest
from django.test import Client
from playwright.sync_api import expect
from tests.catalog.factories import make_institution, make_program, make_specialty
from tests.personas import make_user

from medmatch.applications.services import application_create, statement_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = (
    "In Chicago I would care for the patients my family grew up with. At Mayo Clinic I learned "
    "to listen. I want my Saturdays at the Quarry Street Free Clinic."
)


@pytest.fixture
def variant(transactional_db):
    medicine = make_specialty("Internal Medicine", slug="internal-medicine")
    lakeshore = make_institution("Lakeshore University Hospital", city="Chicago", region="IL")
    mayo = make_institution("Mayo Clinic", city="Rochester", region="MN")
    alice = make_user("alice", first_name="Alice", last_name="Moreno")
    application = application_create(
        student=alice,
        program=make_program("Internal Medicine", institution=lakeshore, specialty=medicine),
    )[0]
    other = make_program(
        "Internal Medicine",
        institution=mayo,
        specialty=medicine,
        description="Residents run the Quarry Street Free Clinic.",
    )
    application_create(student=alice, program=other)
    return statement_create(student=alice, title="Lakeshore", application=application, body=BODY)


def test_it_asks_about_sentences_written_for_another_program(
    page, live_server, variant, screenshot_dir, assert_accessible
):
    client = Client()
    client.force_login(variant.student)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}{variant.get_absolute_url()}")
    block = page.locator("#feedback .copy-paste")
    expect(page.locator("#feedback")).to_contain_text("Written for another program?")
    expect(block.locator("li")).to_have_count(2)
    expect(block).to_contain_text("This names Mayo Clinic, another program you apply to")
    expect(block).to_contain_text("“Quarry Street Free Clinic”, a feature of Mayo Clinic")
    assert_accessible(page, "the statement editor with a copy-paste check")
    block.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "statement-copy-paste.png")
