import pytest
from django.urls import reverse

from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_it_logs_in_and_out(client, alice):
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 302


def test_it_refuses_logout_by_get(client, alice):
    client.force_login(alice)
    assert client.get(reverse("accounts:logout")).status_code == 405


def test_it_locks_out_after_repeated_failures(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "alice", "wrong password").status_code == 200
    locked = _login(client, "alice", "wrong password")
    assert locked.status_code == 429
    assert b"Too many failed log-ins" in locked.content
    # Even the right password is refused while the lockout lasts.
    assert _login(client, "alice", PASSWORD).status_code == 429


def test_it_does_not_lock_out_another_user(client, alice, bob, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "alice", "wrong password")
    assert _login(client, "bob", PASSWORD).status_code == 302


def test_it_requires_login_for_the_account_page(client):
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
