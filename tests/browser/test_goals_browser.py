"""A new student signs up, answers the goals questionnaire and sees ranked programs."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from tests.goals.conftest import catalog  # noqa: F401

from medmatch.goals import fitting
from medmatch.goals.models import GoalProfile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_takes_a_new_student_from_sign_up_to_recommendations(
    page,
    live_server,
    catalog,  # noqa: F811
    screenshot_dir,
    assert_accessible,
):
    fitting.clear_cache()
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Username").fill("newstudent")
    page.get_by_label("Email").fill("newstudent@example.org")
    page.locator("#id_password1").fill("a long enough passphrase 42")
    page.locator("#id_password2").fill("a long enough passphrase 42")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    link = re.search(r"http://\S+/accounts/signup/confirm/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_label("Password").fill("a long enough passphrase 42")
    page.get_by_role("button", name="Confirm and log in").click()
    page.get_by_role("link", name="My goals").click()

    expect(page.get_by_role("heading", level=2)).to_contain_text("Step 1 of 6")
    assert_accessible(page, "the first questionnaire step")
    page.get_by_label("Hands-on clinical skills").check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=2)).to_contain_text("Specialties")
    page.get_by_label("Specialty 1", exact=True).select_option("140")
    page.get_by_label("Specialty 2", exact=True).select_option("320")
    page.get_by_label("Interest in specialty 2 (1 to 5)").select_option("1")
    page.screenshot(path=screenshot_dir / "goals-specialties.png", full_page=True)
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=2)).to_contain_text("Setting and place")
    page.get_by_label("Near (US ZIP code or city)").fill("99999")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".field-errors")).to_contain_text(
        "Location: ZIP code 99999 is not a known US ZIP code."
    )
    assert_accessible(page, "the place step with an error")
    page.screenshot(path=screenshot_dir / "goals-place-error.png", full_page=True)
    page.get_by_label("Near (US ZIP code or city)").fill("Boston, MA")
    page.get_by_label("Within (km)").fill("50")
    page.get_by_role("button", name="Save and see recommendations").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Programs for you")
    titles = page.locator(".recommendation .result-title a")
    expect(titles.first).to_have_text("Internal Medicine")
    expect(page.locator(".score-parts").first).to_contain_text("Internal Medicine is")
    expect(page.locator(".score-parts").first).to_contain_text("Score = 100")
    assert_accessible(page, "the recommendations")
    page.screenshot(path=screenshot_dir / "goals-recommendations.png", full_page=True)

    # A what-if weight re-orders the list without a reload and without saving.
    page.evaluate("window.__same_page = true")
    saved = GoalProfile.objects.get(student__username="newstudent").data
    page.get_by_text("Re-weight your goals").click()
    # Each slider starts at the saved weight and shows its number.
    expect(page.locator("#id_w_location_value")).to_have_text(str(saved["location"]["weight"]))
    expect(page.get_by_label("Location")).to_have_value(str(saved["location"]["weight"]))
    page.get_by_label("Specialties of interest").fill("0")
    page.get_by_label("Specialties of interest").dispatch_event("input")
    expect(page.locator("#id_w_specialties_value")).to_have_text("0")
    page.get_by_label("Specialties of interest").dispatch_event("change")
    expect(page.locator("#results")).to_contain_text("re-weighted: not saved")
    expect(page).to_have_url(re.compile(r"w_specialties=0"))
    assert "csrfmiddlewaretoken" not in page.url
    assert page.evaluate("window.__same_page") is True
    page.screenshot(path=screenshot_dir / "goals-what-if.png", full_page=True)
    page.get_by_role("button", name="Save these weights").click()
    expect(page.locator(".messages")).to_contain_text("Your new weights are saved.")
    after = GoalProfile.objects.get(student__username="newstudent").data
    assert after["specialties"]["weight"] == 0
    assert after["location"] == saved["location"]
    assert after["objective"] == saved["objective"]
    expect(page.get_by_label("Specialties of interest")).to_have_value("0")

    # Why not this one? A program the countries or place rule pushes down is explained.
    page.get_by_label("Program, hospital or city").fill("Toronto")
    page.get_by_role("button", name="Explain").click()
    expect(page.locator("#why-not-result")).to_contain_text("Internal Medicine (CMG stream)")
    page.screenshot(path=screenshot_dir / "goals-why-not.png", full_page=True)

    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=screenshot_dir / "goals-recommendations-375.png", full_page=True)
