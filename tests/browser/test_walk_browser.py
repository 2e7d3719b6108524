"""What a new student met walking the merged issue-11 pages (walk): the recommendations' filters
offer only program kinds that exist and name countries; a program page's unknown facts fit a
phone screen as one short list."""

import pytest
from django.test import Client
from playwright.sync_api import expect
from tests.catalog.factories import make_institution, make_program
from tests.goals.conftest import catalog, give_goals  # noqa: F401
from tests.personas import make_user

from medmatch.goals import fitting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_recommendation_filters_offer_what_exists_with_country_names(
    page,
    live_server,
    catalog,  # noqa: F811
    screenshot_dir,
    assert_accessible,
):
    fitting.clear_cache()
    student = make_user("walker")
    give_goals(student)
    _log_in(page, live_server, student)
    page.goto(f"{live_server.url}/goals/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programs for you")
    kinds = page.get_by_label("Program type").locator("option").all_inner_texts()
    assert kinds == ["Any type", "Residency track"], kinds
    countries = page.get_by_label("Country").locator("option").all_inner_texts()
    assert countries == ["Any country", "Canada", "United States"], countries
    page.get_by_label("Country").select_option(label="Canada")
    assert_accessible(page, "the recommendations' filters")
    page.screenshot(path=screenshot_dir / "walk-recommendation-filters.png", full_page=False)


def test_a_program_pages_unknown_facts_fit_a_phone(
    page, live_server, screenshot_dir, assert_accessible
):
    sponsor = make_institution("Walk Sponsor", city="Chicago", region="IL", country="US")
    program = make_program("Internal Medicine", institution=sponsor, country="US")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/catalog/programs/{program.pk}/")
    unknown = page.locator(".fact-group.scope-unknown")
    expect(unknown.get_by_role("heading", level=3)).to_contain_text("Not known yet (")
    expect(unknown.locator(".unknown-list li").first).to_be_visible()
    assert unknown.locator(".unknown-list li").count() >= 15
    # Two or three labels a line: a row each (about 30 px a fact at 375 px) filled whole screens.
    unknown.screenshot(path=screenshot_dir / "walk-unknown-facts-375.png")
    count = unknown.locator(".unknown-list li").count()
    assert unknown.bounding_box()["height"] < 22 * count, (unknown.bounding_box(), count)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page, "a program page's unknown facts at 375 px")
    unknown.screenshot(path=screenshot_dir / "walk-unknown-facts-375.png")
