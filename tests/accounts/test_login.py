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


PROXY = "10.0.0.1"


def _login_via(client, username, password, *, remote=PROXY, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def test_it_locks_out_only_the_client_behind_a_trusted_proxy(client, alice, settings):
    # Behind the README's TLS proxy every request comes from the proxy's address; one attacker's
    # failures must not lock alice out everywhere.
    settings.TRUSTED_PROXY_IPS = [PROXY]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login_via(client, "alice", "wrong password", forwarded="198.51.100.9")
    assert _login_via(client, "alice", PASSWORD, forwarded="198.51.100.9").status_code == 429
    assert _login_via(client, "alice", PASSWORD, forwarded="192.0.2.50").status_code == 302


def test_it_ignores_a_spoofed_left_most_forwarded_address(client, alice, settings):
    # The attacker claims to be alice's address; the proxy appends the attacker's real one.
    settings.TRUSTED_PROXY_IPS = [PROXY]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login_via(client, "alice", "wrong password", forwarded="192.0.2.50, 198.51.100.9")
    assert _login_via(client, "alice", PASSWORD, forwarded="192.0.2.50").status_code == 302


def test_it_ignores_x_forwarded_for_from_an_untrusted_address(client, alice, settings):
    # Without a trusted proxy, a new X-Forwarded-For per attempt buys no new attempts.
    settings.TRUSTED_PROXY_IPS = []
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login_via(
            client, "alice", "wrong password", remote="198.51.100.9", forwarded=f"192.0.2.{n}"
        )
    response = _login_via(client, "alice", PASSWORD, remote="198.51.100.9", forwarded="192.0.2.99")
    assert response.status_code == 429


def test_it_refuses_an_overlong_username_before_authenticating(client, db):
    from axes.models import AccessAttempt

    response = client.post(reverse("accounts:login"), {"username": "x" * 300, "password": "p"})
    assert response.status_code == 200
    assert "at most 150 characters" in response.text
    # Nothing reached django-axes, whose attempt row holds 255 characters (PostgreSQL refused it).
    assert not AccessAttempt.objects.exists()
