"""The API tokens page (make, see once, revoke) on a phone and a laptop, with axe; and the API's
docs page (Swagger UI from the site's own static files) running under the CSP."""

import pytest
from django.test import Client
from playwright.sync_api import expect
from tests.personas import make_user

from medmatch.api.models import AccessToken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 800)])
def test_it_makes_shows_once_and_revokes_a_token(
    page, live_server, assert_accessible, screenshot_dir, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    alice = make_user("alice")
    log_in(page, live_server, alice)
    page.goto(f"{live_server.url}/accounts/")
    page.get_by_role("link", name="make and revoke personal access tokens").click()
    page.get_by_label("Name").fill("deadline spreadsheet")
    page.get_by_label(
        "Applications, their checklists, CV entries and personal statements: read", exact=True
    ).check()
    page.get_by_role("button", name="Make the token").click()
    secret = page.locator(".token-secret")
    expect(secret).to_contain_text("mm_")
    token = AccessToken.objects.get(user=alice)
    assert token.token_hash == AccessToken.hash(secret.inner_text().strip())
    assert_accessible(page, f"the tokens page at {width} px")
    page.screenshot(path=screenshot_dir / f"api-tokens-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Revoke deadline spreadsheet").click()
    expect(page.get_by_role("cell", name="revoked")).to_be_visible()
    expect(page.locator(".token-secret")).to_have_count(0)


def test_the_docs_page_runs_swagger_ui_under_the_policy(page, live_server, screenshot_dir):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.get_by_text("/api/v1/applications").first).to_be_visible()
    page.screenshot(path=screenshot_dir / "api-docs.png")
    assert errors == []
    assert all(url.startswith(live_server.url) for url in requested), requested
