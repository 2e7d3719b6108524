import json

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from medmatch.accounts.models import User
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_exports_the_account_as_json(client, alice):
    client.force_login(alice)
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert 'filename="medmatch-alice.json"' in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["format"] == "medmatch-account-export"
    assert data["account"]["username"] == "alice"
    assert data["account"]["email"] == "alice@example.org"
    assert "password" not in json.dumps(data)
    assert response["Cache-Control"] == "private, no-store"


def test_it_exports_only_the_logged_in_users_data(client, alice, bob):
    client.force_login(bob)
    data = json.loads(client.get(reverse("accounts:export")).content)
    assert data["account"]["username"] == "bob"
    assert "alice" not in json.dumps(data)


def test_it_deletes_the_account_after_the_password_is_confirmed(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(username="alice").exists()
    assert client.get(reverse("accounts:account")).status_code == 302  # logged out


def test_it_keeps_the_account_when_the_password_is_wrong(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:delete"), {"password": "not mine"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"] == ["That is not your password."]
    assert User.objects.filter(username="alice").exists()


@pytest.mark.parametrize("name", ["accounts:account", "accounts:export", "accounts:delete"])
def test_it_sends_anonymous_visitors_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def _logged_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _session_user_ids() -> list[str]:
    return [session.get_decoded().get("_auth_user_id") for session in Session.objects.all()]


def test_it_deletes_every_session_of_a_deleted_account(alice, bob):
    laptop, phone, bobs = _logged_in("alice"), _logged_in("alice"), _logged_in("bob")
    alice_id = str(alice.pk)
    assert _session_user_ids().count(alice_id) == 2
    assert phone.post(reverse("accounts:delete"), {"password": PASSWORD}).status_code == 302
    assert alice_id not in _session_user_ids()  # the laptop's session row is gone too
    assert laptop.get(reverse("accounts:account")).status_code == 302
    assert str(bob.pk) in _session_user_ids()
    assert bobs.get(reverse("accounts:account")).status_code == 200
