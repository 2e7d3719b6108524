"""The shortlist in a browser: add programs with the button, edit a note inline, compare them
with the fit chart, on a laptop and on a phone, with axe-core checking each page."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty
from tests.personas import make_user

from medmatch.catalog.models import Program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def student(transactional_db):
    """alice, with goals that make one criterion unknown for most programs (weekly hours)."""
    nrmp = make_source(key="nrmp", name="NRMP program tracks", publisher="NRMP")
    cardiology = make_specialty("Cardiovascular Disease", code="040")
    pediatrics = make_specialty("Pediatrics", code="320")
    columbia = make_institution(
        "NewYork-Presbyterian Hospital",
        kind="academic",
        city="New York",
        region="NY",
        country="US",
        latitude=40.8404,
        longitude=-73.9419,
        is_teaching=True,
        source=nrmp,
    )
    mgh = make_institution(
        "Massachusetts General Hospital",
        kind="academic",
        city="Boston",
        region="MA",
        country="US",
        latitude=42.3631,
        longitude=-71.0686,
        is_teaching=True,
        source=nrmp,
    )
    rural = make_institution("Rural Health Sponsor", kind="sponsor", region="NY", country="US")
    make_program(
        "Cardiovascular Disease",
        institution=columbia,
        specialty=cardiology,
        track_type="categorical",
        weekly_hours=58,
        length_months=36,
        source=nrmp,
    )
    make_program(
        "Cardiovascular Disease",
        institution=mgh,
        specialty=cardiology,
        track_type="categorical",
        source=nrmp,
    )
    make_program("Pediatrics", institution=mgh, specialty=pediatrics, source=nrmp)
    make_program("Cardiology Rural Track", institution=rural, specialty=cardiology)
    alice = make_user("alice")
    try:
        from medmatch.goals.models import GoalProfile
    except ImportError:  # the goals app is not there: the page compares without the chart
        return alice
    GoalProfile.objects.create(
        student=alice,
        data={
            "format": "medmatch-goals/1",
            "specialties": {"interests": [{"specialty": "040", "weight": 5}], "weight": 5},
            "setting": {"value": "academic", "weight": 2},
            "hours": {"pace": "steady", "weight": 3},
        },
    )
    return alice


WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(el => !(el.parentElement && el.parentElement.closest('.table-wrap')))
  .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + el.getBoundingClientRect().right)
"""


def _assert_fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, page.evaluate(WIDE_ELEMENTS)


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_it_shortlists_edits_and_compares_programs(
    page, live_server, student, screenshot_dir, assert_accessible
):
    _log_in(page, live_server, student)
    page.goto(f"{live_server.url}/catalog/programs/?sort=name")
    page.evaluate("window.__same_page = true")
    results = page.locator(".result")
    expect(results).to_have_count(4)
    for index in (0, 1, 3):
        results.nth(index).get_by_role("button", name=re.compile("Add to shortlist")).click()
        expect(results.nth(index).locator(".shortlisted")).to_contain_text("On your shortlist")
    assert page.evaluate("window.__same_page") is True  # htmx, no reload
    assert_accessible(page, "the catalog search with shortlist buttons")
    page.screenshot(path=screenshot_dir / "shortlist-buttons.png", full_page=True)

    # The shortlist page; edit one item's note, tags and rating in place.
    page.get_by_role("link", name="Shortlist", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your shortlist")
    items = page.locator(".shortlist-item")
    expect(items).to_have_count(3)
    page.evaluate("window.__same_page = true")
    items.first.get_by_role("link", name=re.compile("Edit note")).click()
    page.get_by_label("Your note").fill("Ask residents about night float.")
    page.get_by_label("Tags").fill("Reach, near family")
    page.get_by_label("Your rating").select_option("4")
    page.get_by_role("button", name="Save").click()
    expect(items.first).to_contain_text("Ask residents about night float.")
    expect(items.first.locator(".tag")).to_have_text(["#near family", "#reach"])
    expect(items.first.locator(".rating")).to_contain_text("4/5")
    assert page.evaluate("window.__same_page") is True
    assert_accessible(page, "the shortlist")
    page.screenshot(path=screenshot_dir / "shortlist.png", full_page=True)

    # Compare all three: facts with unknowns, own notes, and the fit chart.
    for index in range(3):
        items.nth(index).get_by_role("checkbox", name=re.compile("^Compare")).check()
    page.get_by_role("button", name="Compare ticked programs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare your shortlist")
    expect(page.locator("#compare-table thead th")).to_have_count(4)
    expect(page.locator("#compare-table .unknown").first).to_be_visible()
    expect(page.locator("#compare-table")).to_contain_text("Ask residents about night")
    if page.locator("#fit-chart").count():
        expect(page.locator("#fit-chart")).to_have_attribute("data-rendered", "true")
        data = page.evaluate(
            "Chart.getChart(document.getElementById('fit-chart')).data.datasets.map(d => d.data)"
        )
        assert any(value is None for values in data for value in values)  # unknown: a gap
        expect(page.locator("table.scores-table .unknown").first).to_be_visible()
    assert_accessible(page, "the compare page")
    page.screenshot(path=screenshot_dir / "shortlist-compare.png", full_page=True)

    # On a phone: nothing wider than the screen (the tables scroll inside their region).
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    _assert_fits_the_screen(page)
    assert_accessible(page, "the compare page at 375 px")
    page.screenshot(path=screenshot_dir / "shortlist-compare-375.png", full_page=True)
    page.goto(f"{live_server.url}/research/")
    _assert_fits_the_screen(page)
    page.screenshot(path=screenshot_dir / "shortlist-375.png", full_page=True)

    # Remove one, after confirming, without a reload.
    page.on("dialog", lambda dialog: dialog.accept())
    page.evaluate("window.__same_page = true")
    items.last.get_by_role("button", name=re.compile("^Remove")).click()
    expect(items).to_have_count(2)
    assert page.evaluate("window.__same_page") is True


def test_it_explains_choosing_more_than_four(
    page, live_server, student, screenshot_dir, assert_accessible
):
    from medmatch.research.models import ShortlistItem

    items = [
        ShortlistItem.objects.create(student=student, program=program)
        for program in Program.objects.all()
    ]
    extra = make_program("Anesthesiology")
    items.append(ShortlistItem.objects.create(student=student, program=extra))
    _log_in(page, live_server, student)
    page.goto(f"{live_server.url}/research/compare/")
    for box in page.locator(".pick-list input").all():
        box.check()
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.locator(".form-errors")).to_contain_text("you chose 5")
    assert_accessible(page, "the compare page with too many programs")
