"""Security headers on every page, in tests as in production (lib/security.py, django-csp)."""

import pytest
from django.test import override_settings

from medmatch.lib.security import permissions_policy

pytestmark = pytest.mark.django_db


def _directives(policy: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in policy.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


@pytest.mark.parametrize("url", ["/", "/catalog/programs/", "/accounts/login/"])
def test_it_sends_the_security_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_it_allows_scripts_and_style_sheets_only_from_the_site(client):
    policy = _directives(client.get("/")["Content-Security-Policy"])
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["style-src-attr"] == "'unsafe-inline'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["form-action"] == "'self'"


def test_it_sends_the_policy_on_a_logged_in_page(client, alice):
    client.force_login(alice)
    response = client.get("/goals/questionnaire/objective/")
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_it_builds_the_permissions_policy_header():
    assert permissions_policy({"usb": [], "camera": [], "fullscreen": ["self"]}) == (
        "camera=(), fullscreen=(self), usb=()"
    )


@override_settings(PERMISSIONS_POLICY={})
def test_it_sends_no_permissions_policy_when_none_is_configured(client):
    assert "Permissions-Policy" not in client.get("/")
