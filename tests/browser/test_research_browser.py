"""Contacts, open questions and the briefing in a browser: record a conversation with an insight,
see it on the program page and in the briefing, answer an open question and watch the fit
explanation change; axe-core on each page, and a phone-sized screen."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty
from tests.personas import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + el.getBoundingClientRect().right)
"""


@pytest.fixture
def student(transactional_db):
    """A new user with goals (a stipend wish) and one shortlisted, tracked program whose stipend
    nobody published."""
    from medmatch.applications.models import Application
    from medmatch.goals import fitting
    from medmatch.goals.models import GoalProfile
    from medmatch.research.models import ShortlistItem

    fitting.clear_cache()
    nrmp = make_source(key="nrmp", name="NRMP program tracks", publisher="NRMP")
    cardiology = make_specialty("Cardiovascular Disease", code="040")
    hospital = make_institution(
        "NewYork-Presbyterian Hospital",
        kind="academic",
        city="New York",
        region="NY",
        country="US",
        is_teaching=True,
        source=nrmp,
    )
    program = make_program(
        "Cardiovascular Disease",
        institution=hospital,
        specialty=cardiology,
        track_type="categorical",
        weekly_hours=58,
        source=nrmp,
    )
    alice = make_user("alice")
    GoalProfile.objects.create(
        student=alice,
        data={
            "format": "medmatch-goals/1",
            "specialties": {"interests": [{"specialty": "040", "weight": 5}], "weight": 5},
            "stipend": {"min_amount": 60000, "weight": 4},
        },
    )
    ShortlistItem.objects.create(student=alice, program=program, note="Ask about the cath lab.")
    Application.objects.create(student=alice, program=program)
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


def test_it_records_an_insight_and_answers_a_question_that_changes_the_fit(
    page, live_server, student, screenshot_dir, assert_accessible
):
    from medmatch.applications.models import Application
    from medmatch.catalog.models import Program

    program = Program.objects.get()
    application = Application.objects.get()
    _log_in(page, live_server, student)

    # A contact at the program, from its page.
    page.goto(f"{live_server.url}/catalog/programs/{program.pk}/")
    expect(page.locator("#my-insights-h")).to_have_text("Your insights")
    expect(page.locator(".reviews")).to_contain_text("No reviews yet.")
    page.get_by_role("link", name="Add a contact here").click()
    page.get_by_label("Name").fill("Dr Priya Shah")
    page.get_by_label("How you met").fill("Alumni panel, October")
    assert_accessible(page, "the contact form")
    page.get_by_role("button", name="Save").click()

    # The conversation, with a teaching insight and a doubtful workload one.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record a conversation")
    page.get_by_label("Summary").fill("Video call about the fellowship.")
    teaching = page.locator("#insight-teaching")
    teaching.get_by_label("Rating").select_option("5")
    teaching.get_by_label("How sure").select_option("high")
    teaching.get_by_label("What they said").fill("Attendings teach on every round.")
    mentorship = page.locator("#insight-mentorship")
    mentorship.get_by_label("Rating").select_option("4")
    mentorship.get_by_label("How sure").select_option("high")
    mentorship.get_by_label("What they said").fill("Weekly one-to-one meetings.")
    workload = page.locator("#insight-workload")
    workload.get_by_label("Rating").select_option("2")
    workload.get_by_label("How sure").select_option("low")
    assert_accessible(page, "the conversation form")
    page.screenshot(path=screenshot_dir / "research-conversation-form.png", full_page=True)
    page.get_by_role("button", name="Save the conversation").click()
    expect(page.locator(".conversation")).to_contain_text("Attendings teach on every round.")
    assert_accessible(page, "the contact page")

    # The insight on the program page.
    page.goto(f"{live_server.url}/catalog/programs/{program.pk}/")
    expect(page.locator(".my-research")).to_contain_text("Attendings teach on every round.")
    # The settled mentorship rating fills the fact nobody published, as her own information.
    mentorship_fact = page.locator("dd", has_text="rated mentorship 4 of 5")
    expect(mentorship_fact).to_contain_text("Dr Priya Shah rated mentorship 4 of 5")
    expect(mentorship_fact).to_contain_text("your own information")
    assert_accessible(page, "the program page with insights")
    page.screenshot(path=screenshot_dir / "research-program-page.png", full_page=True)

    # Open questions: the stipend is unknown; answering it changes the fit explanation.
    page.get_by_role("link", name="Your open questions").click()
    fit = page.locator(".fit-box")
    expect(fit).to_contain_text("Stipend unknown")
    stipend = page.locator(".open-question", has_text="What is the stipend")
    stipend.get_by_label(re.compile("Stipend")).fill("45000")
    stipend.get_by_label("Answer").fill("The coordinator, by email")
    assert_accessible(page, "the open questions page")
    stipend.get_by_role("button", name=re.compile("Save the answer")).click()
    expect(fit).to_contain_text("Stipend 45,000")
    expect(fit).to_contain_text("(your own information)")
    expect(fit).not_to_contain_text("Stipend unknown")
    mentorship_question = page.locator(".open-question", has_text="How is mentorship organised")
    expect(mentorship_question).to_have_class(re.compile("is-answered"))
    expect(mentorship_question).to_contain_text("Dr Priya Shah rated mentorship 4 of 5")
    page.screenshot(path=screenshot_dir / "research-questions.png", full_page=True)

    # The answer shows on the program page too, marked as hers.
    page.goto(f"{live_server.url}/catalog/programs/{program.pk}/")
    stipend_fact = page.locator("dd", has_text="45,000")
    expect(stipend_fact).to_contain_text("your own information")
    page.screenshot(path=screenshot_dir / "research-program-own-information.png", full_page=True)

    # The briefing brings it together.
    page.goto(f"{live_server.url}/research/briefing/{application.pk}/")
    briefing = page.locator(".briefing")
    expect(briefing).to_contain_text("Attendings teach on every round.")
    expect(briefing).to_contain_text("45,000 USD a year")
    expect(briefing).to_contain_text("Ask about the cath lab.")
    expect(briefing).to_contain_text("you were not sure")  # the doubtful workload insight
    assert_accessible(page, "the briefing")
    page.screenshot(path=screenshot_dir / "research-briefing.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")

    # On a phone.
    page.set_viewport_size({"width": 375, "height": 800})
    for path, name in (
        (f"/research/briefing/{application.pk}/", "briefing"),
        (f"/catalog/programs/{program.pk}/", "program"),
        ("/research/contacts/", "contacts"),
    ):
        page.goto(f"{live_server.url}{path}")
        _assert_fits_the_screen(page)
        assert_accessible(page, f"the {name} page at 375 px")
        page.screenshot(path=screenshot_dir / f"research-{name}-375.png", full_page=True)
