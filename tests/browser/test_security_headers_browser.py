"""Pages keep working under the Content-Security-Policy (tests/browser/conftest.py fails a test
on any violation Chromium reports): the public pages, htmx's set-up, and the admin."""

import pytest
from django.test import Client
from playwright.sync_api import expect
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty
from tests.personas import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def program(transactional_db):
    source = make_source(key="nrmp", name="NRMP program tracks", publisher="NRMP")
    institution = make_institution("Massachusetts General Hospital", region="MA", country="US")
    return make_program(
        "Pediatrics", institution=institution, specialty=make_specialty("Pediatrics"), source=source
    )


def test_it_runs_the_public_pages_and_htmx_under_the_policy(page, live_server, program):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in ["/", "/catalog/programs/", f"/catalog/programs/{program.pk}/", "/accounts/login/"]:
        response = page.goto(f"{live_server.url}{path}")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert page.evaluate("window.htmx.config.includeIndicatorStyles") is False
    page.goto(f"{live_server.url}/catalog/programs/")
    page.get_by_label("Search", exact=True).fill("Pediatrics")
    expect(page.locator("#result-count")).to_contain_text("1 program found")
    assert errors == []


def test_it_runs_the_admin_under_the_policy(page, live_server, program):
    admin = make_user("admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    for path in [
        "/admin/",
        "/admin/catalog/program/",
        f"/admin/catalog/program/{program.pk}/change/",
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("#content")).to_be_visible()
