"""Search the catalog in a browser: type, filter, watch htmx update the list, open a program."""

import re

import pytest
from playwright.sync_api import expect
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalog(transactional_db):
    nrmp = make_source(key="nrmp", name="NRMP program tracks", publisher="NRMP")
    cms = make_source(key="cms", name="CMS Hospital General Information", publisher="CMS")
    cardiology = make_specialty("Cardiovascular Disease", slug="cardiovascular-disease")
    pediatrics = make_specialty("Pediatrics")
    columbia = make_institution(
        "NewYork-Presbyterian Hospital",
        kind="academic",
        city="New York",
        region="NY",
        country="US",
        latitude=40.8404,
        longitude=-73.9419,
        coordinates_precision="address",
        coordinates_source=cms,
        is_teaching=True,
        resident_fte=1649.0,
        teaching_source=cms,
        source=cms,
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
        source=cms,
    )
    make_program(
        "Cardiovascular Disease",
        institution=columbia,
        specialty=cardiology,
        track_type="categorical",
        source=nrmp,
    )
    make_program(
        "Cardiovascular Disease Preliminary",
        institution=columbia,
        specialty=cardiology,
        track_type="preliminary",
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
    rural = make_institution("Rural Health Sponsor", kind="sponsor", region="NY", country="US")
    make_program("Cardiovascular Disease Rural", institution=rural, specialty=cardiology)


def test_it_searches_filters_and_opens_a_program(
    page, live_server, catalog, screenshot_dir, assert_accessible
):
    page.goto(f"{live_server.url}/catalog/programs/")
    expect(page.locator("#result-count")).to_contain_text("5 programs found")
    assert_accessible(page, "the program list")

    # Typing searches without reloading the page, and the address follows the search.
    page.evaluate("window.__same_page = true")
    page.get_by_label("Search", exact=True).fill("cardio")
    expect(page.locator("#result-count")).to_contain_text("4 programs found")
    expect(page).to_have_url(re.compile(r"q=cardio"))
    page.get_by_label("Near (ZIP code or city)").fill("10032")
    expect(page.locator("#result-count")).to_contain_text("distances from 10032")
    expect(page.locator(".result .distance").first).to_contain_text("km")
    expect(page.locator(".result .distance.unknown")).to_have_text("distance unknown")

    # A filter inside "More filters" narrows the list, still without a reload.
    page.get_by_text("More filters and sort").click()
    page.get_by_label("Track type").select_option("preliminary")
    expect(page.locator("#result-count")).to_contain_text("1 program found")
    expect(page).to_have_url(re.compile(r"track_type=preliminary"))
    assert page.evaluate("window.__same_page") is True
    page.get_by_label("Track type").select_option("")
    expect(page.locator("#result-count")).to_contain_text("4 programs found")
    page.screenshot(path=screenshot_dir / "catalog-search.png", full_page=True)

    # A bad place is named, with its field.
    page.get_by_label("Near (ZIP code or city)").fill("99999")
    expect(page.locator(".form-errors")).to_contain_text("near: ZIP code 99999 is not a known")
    page.get_by_label("Near (ZIP code or city)").fill("10032")
    expect(page.locator("#result-count")).to_contain_text("4 programs found")
    assert_accessible(page, "the program list with results")

    # The shared URL reproduces the search on a fresh load.
    page.reload()
    expect(page.locator("#result-count")).to_contain_text("4 programs found")

    # Open the nearest program: its facts carry sources; unknowns are marked.
    page.locator(".result-title a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cardiovascular Disease")
    expect(page.locator(".fact-groups")).to_contain_text("NewYork-Presbyterian Hospital")
    expect(page.locator(".source-list")).to_contain_text("NRMP program tracks")
    expect(page.locator(".source-list")).to_contain_text("CMS Hospital General Information")
    expect(page.locator(".scope-unknown .unknown-list li").first).to_be_visible()
    expect(page.get_by_role("heading", name="Questions to ask")).to_be_visible()
    assert_accessible(page, "the program page")
    page.screenshot(path=screenshot_dir / "catalog-program.png", full_page=True)

    # On a phone: nothing wider than the screen.
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=screenshot_dir / "catalog-program-375.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.go_back()
    expect(page.locator("#result-count")).to_contain_text("4 programs found")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page, "the program list at 375 px")
    page.screenshot(path=screenshot_dir / "catalog-search-375.png", full_page=True)


def test_it_compares_ticked_programs(page, live_server, catalog, screenshot_dir, assert_accessible):
    page.goto(f"{live_server.url}/catalog/programs/?q=cardiovascular")
    boxes = page.get_by_role("checkbox")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Compare ticked programs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare programs")
    expect(page.locator("table.compare thead th")).to_have_count(3)
    expect(page.locator("table.compare .unknown").first).to_be_visible()
    assert_accessible(page, "the compare page")
    page.screenshot(path=screenshot_dir / "catalog-compare.png", full_page=True)


def test_it_finds_names_and_places_as_people_type_them(
    page, live_server, catalog, screenshot_dir, assert_accessible
):
    stroger = make_institution(
        "JOHN H STROGER JR HOSPITAL", kind="academic", city="CHICAGO", region="IL", country="US"
    )
    cook_county = make_institution(
        "Cook County Health and Hosps Sys-IL", kind="sponsor", region="IL", country="US",
        hospital=stroger,
    )  # fmt: skip
    make_program("Internal Medicine", institution=cook_county)
    page.goto(f"{live_server.url}/catalog/programs/")
    page.get_by_label("Search", exact=True).fill("Stroger")
    expect(page.locator("#result-count")).to_contain_text("1 program found")
    expect(page.locator(".result-where")).to_contain_text("Cook County Health and Hosps Sys-IL")

    # A shared city name is asked about, with each city a link.
    page.get_by_label("Search", exact=True).fill("")
    page.get_by_label("Near (ZIP code or city)").fill("Springfield")
    expect(page.locator(".form-errors")).to_contain_text("Several cities are called")
    expect(page.locator(".place-choices a").first).to_be_visible()
    assert_accessible(page, "the program list asking which Springfield")
    page.screenshot(path=screenshot_dir / "catalog-search-which-springfield.png", full_page=True)
    page.get_by_role("link", name="Springfield, IL").click()
    expect(page.locator("#result-count")).to_contain_text("distances from Springfield, IL")

    # Full state names as regions; the missing specialties are explained beside the filter.
    page.goto(f"{live_server.url}/catalog/programs/?region=Massachusetts&q=ophthalmology")
    expect(page.locator(".notice").first).to_contain_text("SF Match")
    page.get_by_text("More filters and sort").click()
    expect(page.locator(".field-specialty .hint")).to_contain_text("AUA Urology Match")
    page.goto(f"{live_server.url}/catalog/programs/?region=Massachusetts")
    expect(page.locator("#result-count")).to_contain_text("2 programs found")
    page.screenshot(path=screenshot_dir / "catalog-search-region-name.png", full_page=True)


def test_it_shows_hospital_facts_sponsor_programs_and_only_real_program_types(
    page, live_server, catalog, screenshot_dir, assert_accessible
):
    stroger = make_institution(
        "JOHN H STROGER JR HOSPITAL", kind="academic", city="CHICAGO", region="IL", country="US",
        beds=464, cms_star_rating=3, resident_fte=431.5, is_teaching=True,
    )  # fmt: skip
    cook = make_institution(
        "Cook County Health and Hosps Sys-IL", kind="sponsor", region="IL", country="US",
        hospital=stroger,
    )  # fmt: skip
    masonic = make_institution(
        "Advocate Illinois Masonic Med Ctr", kind="sponsor", city="Chicago", region="IL",
        country="US",
    )  # fmt: skip
    first = make_program("Internal Medicine", institution=cook, track_type="categorical")
    second = make_program("Internal Medicine", institution=masonic, track_type="categorical")
    make_program("Emergency Medicine", institution=cook, track_type="categorical")
    make_institution(
        "DR. B.R.A. Institute Rotary Cancer Hospital", kind="international", country="IN",
        country_name="India", latitude=28.566628, longitude=77.211457,
    )  # fmt: skip

    page.goto(f"{live_server.url}/catalog/compare/?p={first.pk}&p={second.pk}")
    head = page.locator("table.compare thead")
    expect(head).to_contain_text("Cook County Health and Hosps Sys-IL")
    expect(head).to_contain_text("Advocate Illinois Masonic Med Ctr")
    expect(page.locator("table.compare")).to_contain_text("JOHN H STROGER JR HOSPITAL")
    assert_accessible(page, "the compare page headed by institution")
    page.screenshot(path=screenshot_dir / "catalog-compare-institutions.png", full_page=True)

    page.goto(f"{live_server.url}/catalog/hospitals/{stroger.pk}/")
    expect(page.locator("#sponsor-programs-h")).to_contain_text("(2)")
    expect(page.locator("main")).not_to_contain_text("No training program is listed")
    expect(page.locator("main")).not_to_contain_text("the program's")
    page.screenshot(path=screenshot_dir / "catalog-hospital-sponsor-programs.png", full_page=True)

    page.goto(f"{live_server.url}/catalog/hospitals/?q=Rotary")
    expect(page.locator(".result-where")).to_contain_text("Delhi (nearest city, from coordinates)")
    page.screenshot(path=screenshot_dir / "catalog-hospital-nearest-city.png", full_page=True)

    page.goto(f"{live_server.url}/catalog/programs/")
    page.get_by_text("More filters and sort").click()
    options = page.get_by_label("Program type").locator("option")
    expect(options).to_have_text(["Any", "Residency track (8)"])
    expect(page.locator(".field-program_type .hint")).to_contain_text("observerships")
    assert_accessible(page, "the program filters")
    page.screenshot(path=screenshot_dir / "catalog-program-type-filter.png", full_page=True)


def test_a_program_page_shows_each_fact_s_scope_source_and_date(
    page, live_server, transactional_db, screenshot_dir, assert_accessible
):
    """Issue 11: facts grouped by whose they are; a rule says it is a rule, with its document."""
    from medmatch.catalog.importers import import_sources

    import_sources("rules-training-length")
    import_sources("rules-work-hours")
    nrmp = make_source(key="nrmp", name="NRMP program tracks", publisher="NRMP")
    cms = make_source(key="cms", name="CMS Hospital General Information", publisher="CMS")
    hospital = make_institution(
        "RUSH UNIVERSITY MEDICAL CENTER", kind="academic", city="CHICAGO", region="IL",
        country="US", beds=575, cms_star_rating=5, is_teaching=True, resident_fte=615.7,
        teaching_source=cms, source=cms,
    )  # fmt: skip
    rush = make_institution(
        "Rush University Med Ctr", kind="sponsor", city="CHICAGO", region="IL", country="US",
        hospital=hospital, source=nrmp,
    )  # fmt: skip
    medicine = make_specialty("Internal Medicine", code="140", slug="internal-medicine")
    program = make_program(
        "Internal Medicine", institution=rush, specialty=medicine, track_type="categorical",
        country="US", city="CHICAGO", region="IL", nrmp_code="1147140C0", source=nrmp,
    )  # fmt: skip
    page.goto(f"{live_server.url}/catalog/programs/{program.pk}/")
    own = page.locator(".fact-group.scope-program")
    expect(own.get_by_role("heading", level=3)).to_have_text("From the program's own listing")
    expect(own).to_contain_text("1147140C0")
    hospital_group = page.locator(".fact-group.scope-institution")
    expect(hospital_group).to_contain_text("Hospital: RUSH UNIVERSITY MEDICAL CENTER")
    rules = page.locator(".fact-group.scope-rule")
    expect(rules.get_by_role("heading", level=3)).to_have_text(
        "Rules for every program of its kind"
    )
    expect(rules).to_contain_text("3 years")
    expect(rules).to_contain_text("the ACGME requirement for a categorical Internal Medicine")
    expect(rules).to_contain_text("at most 80 hours per week, averaged over four weeks")
    expect(rules).to_contain_text("effective 1 Jul 2023")
    expect(
        rules.get_by_role("link", name="ACGME Common Program Requirements").first
    ).to_be_visible()
    expect(page.locator(".fact-group.scope-unknown")).to_contain_text("Weekly hours")
    expect(page.locator(".source-list")).to_contain_text("Training length by specialty and track")
    assert_accessible(page, "a program page with rule facts")
    page.screenshot(path=screenshot_dir / "catalog-program-scopes.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page, "a program page with rule facts at 375 px")
    page.screenshot(path=screenshot_dir / "catalog-program-scopes-375.png", full_page=True)
    page.goto(f"{live_server.url}/catalog/compare/?p={program.pk}")
    expect(page.locator("table.compare")).to_contain_text("rule for every program of its kind")
    assert_accessible(page, "the compare page with rule facts")
