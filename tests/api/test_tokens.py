"""Personal access tokens: made on the account page (shown once, only a hash stored), scoped per
area and read/write, revocable, expiring, rate limited, and their last use recorded."""

import datetime
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medmatch.api.models import AccessToken
from tests.api.conftest import bearer, make_token

pytestmark = pytest.mark.django_db


def test_it_makes_a_token_shown_once_and_stores_only_its_hash(client, alice):
    client.force_login(alice)
    data = {"name": "spreadsheet", "scopes": ["applications:read"], "expires_in_days": "30"}
    response = client.post(reverse("tokens:list"), data)
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("mm_") and len(secret) > 40
    assert secret.encode() in response.content
    token = AccessToken.objects.get(user=alice)
    assert token.token_hash == AccessToken.hash(secret) and secret not in token.token_hash
    assert token.prefix == secret[:10]
    assert token.scopes == ["applications:read"]
    assert response["Cache-Control"].startswith("max-age=0")
    again = client.get(reverse("tokens:list"))
    assert secret.encode() not in again.content
    assert token.prefix.encode() in again.content


def test_it_refuses_a_token_without_scope_or_with_a_long_life(client, alice):
    client.force_login(alice)
    data = {"name": "x", "expires_in_days": "999"}
    response = client.post(reverse("tokens:list"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "scopes" in errors and "expires_in_days" in errors
    assert not AccessToken.objects.exists()


def test_the_account_page_links_to_the_tokens(client, alice):
    client.force_login(alice)
    assert reverse("tokens:list").encode() in client.get(reverse("accounts:account")).content


def test_it_revokes_a_token_and_the_api_answers_401(client, alice, application):
    secret = make_token(alice)
    api = Client()
    assert api.get("/api/v1/applications", **bearer(secret)).status_code == 200
    client.force_login(alice)
    token = AccessToken.objects.get(user=alice)
    response = client.post(reverse("tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    response = api.get("/api/v1/applications", **bearer(secret))
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "This token was revoked."


@pytest.mark.parametrize("who", ["another student", "coordinator", "anonymous"])
def test_nobody_else_revokes_a_token(outsiders, alice, who):
    make_token(alice)
    token = AccessToken.objects.get(user=alice)
    response = outsiders[who].post(reverse("tokens:revoke", args=[token.pk]))
    assert response.status_code == (302 if who == "anonymous" else 404)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_expired_token_gets_401(alice, application):
    secret = make_token(alice)
    AccessToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = Client().get("/api/v1/applications", **bearer(secret))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert response["WWW-Authenticate"] == "Bearer"


def test_an_unknown_token_gets_401_even_beside_a_session(client, alice):
    client.force_login(alice)
    response = client.get("/api/v1/applications", **bearer("mm_" + "x" * 43))
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Unknown token."


def test_a_read_token_cannot_write(alice, catalog):
    secret = make_token(alice, scopes=["applications:read"])
    api = Client()
    assert api.get("/api/v1/applications", **bearer(secret)).status_code == 200
    program = catalog["programs"][0]
    response = api.post(
        "/api/v1/applications",
        {"program_id": program.pk},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 403
    assert "applications:write" in response.json()["error"]["message"]
    assert not alice.applications.exists()


def test_a_token_reaches_only_its_areas(alice, goals):
    secret = make_token(alice, scopes=["applications:write"])
    response = Client().get("/api/v1/goals", **bearer(secret))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_it_records_the_last_use(alice, application):
    secret = make_token(alice)
    assert AccessToken.objects.get().last_used_at is None
    Client().get("/api/v1/applications", **bearer(secret))
    assert AccessToken.objects.get().last_used_at is not None


def test_it_rate_limits_each_token_with_retry_after(settings, alice, application, monkeypatch):
    settings.API_TOKEN_REQUESTS = 3
    settings.API_TOKEN_WINDOW_SECONDS = 60
    # 30 s into a window, whatever the clock: the requests cannot straddle two windows.
    monkeypatch.setattr("medmatch.api.auth.time", SimpleNamespace(time=lambda: 1_800_000_030.0))
    secret, other = make_token(alice), make_token(alice)
    api = Client()
    statuses = [api.get("/api/v1/applications", **bearer(secret)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/applications", **bearer(secret))
    body = response.json()["error"]
    assert body["status"] == 429 and body["code"] == "rate_limited"
    assert int(response["Retry-After"]) == 30
    assert api.get("/api/v1/applications", **bearer(other)).status_code == 200


def test_the_session_needs_csrf_to_write(alice, catalog):
    api = Client(enforce_csrf_checks=True)
    api.force_login(alice)
    program = catalog["programs"][0]
    response = api.post(
        "/api/v1/applications", {"program_id": program.pk}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert not alice.applications.exists()
    assert api.get("/api/v1/applications").status_code == 200


def test_the_export_lists_tokens_without_their_hash(alice):
    from medmatch.accounts.services import account_export

    secret = make_token(alice)
    exported = account_export(user=alice)["api"]["access_tokens"]
    assert exported[0]["prefix"] == secret[:10]
    assert AccessToken.objects.get().token_hash not in str(exported)


def test_an_anonymous_write_without_csrf_is_a_401_not_a_403(catalog):
    api = Client(enforce_csrf_checks=True)
    response = api.post(
        "/api/v1/applications",
        {"program_id": catalog["programs"][0].pk},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
