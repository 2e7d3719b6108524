"""A CaRMS stream's page in a browser (issue 11): the Royal College length and the Ontario
agreement's work-hour rules read as rules with their documents, pass axe and fit a phone."""

import pytest
from playwright.sync_api import expect
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_canadian_program_page_shows_its_rules_with_documents(
    page, live_server, transactional_db, screenshot_dir, assert_accessible
):
    from medmatch.catalog.importers import import_sources
    from medmatch.catalog.models import Specialty

    import_sources("rules-training-length")
    import_sources("rules-work-hours")
    carms = make_source(key="carms-programs", name="CaRMS 2025 R-1 program streams")
    school = make_institution(
        "McMaster University", kind="medical_school", city="Hamilton", region="ON", country="CA",
        source=carms,
    )  # fmt: skip
    medicine = make_specialty(
        "Internal Medicine", system=Specialty.System.CARMS, code="43", slug="im-carms"
    )
    program = make_program(
        "Internal Medicine — Hamilton (CMG Stream for CMG)", institution=school,
        specialty=medicine, country="CA", region="ON", city="Hamilton", site="Hamilton",
        carms_stream_id="27147", source=carms,
    )  # fmt: skip
    page.goto(f"{live_server.url}/catalog/programs/{program.pk}/")
    rules = page.locator(".fact-group.scope-rule")
    expect(rules).to_contain_text("4 years")
    expect(rules).to_contain_text("the Royal College requirement for Internal Medicine")
    expect(rules).to_contain_text("effective 1 Jul 2015")
    expect(rules).to_contain_text("PARO-CAHO rule for every resident in Ontario's teaching")
    expect(rules).to_contain_text("version date not recorded")
    expect(
        rules.get_by_role("link", name="Specialty Training Requirements in Internal Medicine")
    ).to_be_visible()
    # No ACGME rule on a Canadian page.
    expect(rules).not_to_contain_text("80 hours per week")
    assert_accessible(page, "a CaRMS program page with rule facts")
    page.screenshot(path=screenshot_dir / "catalog-carms-rules.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=screenshot_dir / "catalog-carms-rules-phone.png", full_page=True)
