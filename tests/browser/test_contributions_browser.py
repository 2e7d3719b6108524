"""Facts from the people who know, in a browser: a student proposes a fact and it stays off the
page; a verified coordinator edits the program's facts, the page shows them as reported by the
program with a source and a history link, and the history names the role, not the person.
axe-core on each page; screenshots in test-results/browser/."""

import pytest
from django.test import Client
from playwright.sync_api import expect
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty
from tests.personas import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOURCE = "https://www.rush.edu/education/gme/internal-medicine-residency"


@pytest.fixture
def program(transactional_db):
    nrmp = make_source(key="nrmp", name="NRMP program tracks", publisher="NRMP")
    rush = make_institution(
        "Rush University Medical Center",
        kind="academic",
        city="Chicago",
        region="IL",
        country="US",
        website="https://www.rush.edu/",
        source=nrmp,
    )
    return make_program(
        "Internal Medicine",
        institution=rush,
        specialty=make_specialty("Internal Medicine", code="140"),
        track_type="categorical",
        nrmp_code="1843140C0",
        source=nrmp,
    )


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_it_shows_a_coordinators_facts_as_reported_by_the_program(
    page, live_server, program, screenshot_dir, assert_accessible
):
    from medmatch.contributions.models import Coordinatorship

    student = make_user("alice")
    _log_in(page, live_server, student)
    page.goto(f"{live_server.url}/catalog/programs/{program.pk}/")
    page.get_by_role("link", name="Propose a fact").click()
    page.get_by_label("Fact").select_option("length_months")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Length (months)").fill("36")
    page.get_by_label("Source (web address)").fill(SOURCE)
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_role("cell", name="Awaiting review")).to_be_visible()
    assert_accessible(page, "your proposals")
    page.goto(f"{live_server.url}/catalog/programs/{program.pk}/")
    expect(page.get_by_text("36 months")).to_have_count(0)

    coordinator = make_user("erin", role="coordinator", email="erin@rush.edu")
    Coordinatorship.objects.create(
        user=coordinator,
        institution=program.institution,
        status="verified",
        role_title="GME coordinator",
        email_at_request=coordinator.email,
        evidence_strength="website",
        evidence=["Matches the website of Rush University Medical Center (rush.edu)."],
    )
    page.context.clear_cookies()
    _log_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/catalog/programs/{program.pk}/")
    page.get_by_role("link", name="Edit this program's facts").click()
    assert_accessible(page, "edit facts")
    page.get_by_label("Stipend (yearly amount)").fill("68500")
    page.get_by_label("Currency").fill("USD")
    page.get_by_label("Positions").fill("14")
    page.get_by_label("Visa sponsorship").select_option("j1_h1b")
    page.get_by_label("Source (web address)").fill(SOURCE)
    page.get_by_label("Note").fill("From the 2026-27 resident contract.")
    page.get_by_role("button", name="Save").click()

    facts = page.locator(".fact-groups")
    expect(facts).to_contain_text("68,500 USD")
    expect(facts).to_contain_text("reported by the program")
    expect(facts.get_by_role("link", name="source", exact=True).first).to_have_attribute(
        "href", SOURCE
    )
    page.locator(".fact-groups").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "contributions-program-page.png"), full_page=True)
    assert_accessible(page, "program page with reported facts")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/catalog/programs/{program.pk}/")
    page.locator(".fact-groups").get_by_role("link", name="history", exact=True).first.click()
    table = page.locator("table.history-table")
    expect(table).to_contain_text("a verified coordinator of Rush University Medical Center")
    expect(table).to_contain_text("From the 2026-27 resident contract.")
    expect(table).not_to_contain_text("erin")
    expect(table.locator("tbody tr")).to_have_count(3)  # stipend, positions, visa
    page.screenshot(path=str(screenshot_dir / "contributions-history.png"), full_page=True)
    assert_accessible(page, "history")


def test_a_coordinator_adds_an_observership_abroad_and_students_find_it(
    page, live_server, screenshot_dir, assert_accessible
):
    """Issue 15, part 1: a listing outside North America enters the catalog from the people who
    run it, public at once and marked as reported by the program."""
    from medmatch.contributions.models import Coordinatorship

    who = make_source(key="who-hospitals", name="Hospitals (test)")
    charite = make_institution(
        "Charité Universitätsmedizin Berlin",
        kind="academic",
        city="Berlin",
        country="DE",
        website="https://www.charite.de/",
        source=who,
    )
    coordinator = make_user("jonas", role="coordinator", email="jonas@charite.de")
    Coordinatorship.objects.create(
        user=coordinator,
        institution=charite,
        status="verified",
        role_title="Coordinator of international electives",
        email_at_request=coordinator.email,
        evidence_strength="website",
        evidence=["Matches the website of Charité (charite.de)."],
    )
    _log_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/contributions/programs/mine/")
    expect(page.get_by_text("No listing yet.")).to_be_visible()
    assert_accessible(page, "my programs, empty")
    page.get_by_role("link", name="Add a listing").click()
    expect(page.get_by_label("City")).to_have_value("Berlin")
    page.get_by_role("button", name="Create the listing").click()
    expect(page.get_by_text("Title: name the listing")).to_be_visible()
    page.get_by_label("Title").fill("Observership in cardiology")
    page.get_by_label("Type").select_option("observership")
    page.get_by_label("Source (web address)").fill("https://www.charite.de/en/observerships/")
    page.screenshot(path=str(screenshot_dir / "contributions-add-listing.png"), full_page=True)
    assert_accessible(page, "add a listing")
    page.get_by_role("button", name="Create the listing").click()

    expect(page.get_by_role("heading", name="Observership in cardiology")).to_be_visible()
    expect(page.locator("main")).to_contain_text("reported by the program")
    program_url = page.url
    page.goto(f"{live_server.url}/contributions/programs/mine/")
    expect(page.get_by_role("link", name="Observership in cardiology", exact=True)).to_be_visible()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/catalog/programs/?program_type=observership")
    expect(page.get_by_role("link", name="Observership in cardiology", exact=True)).to_be_visible()
    page.goto(program_url)
    page.screenshot(path=str(screenshot_dir / "contributions-new-listing.png"), full_page=True)
    assert_accessible(page, "the new listing's page")
