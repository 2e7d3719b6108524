import re

import pytest
from django.core import mail
from django.urls import reverse

from medmatch.accounts.models import User
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new long passphrase"


def _ask(client, email, remote="198.51.100.9"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=remote)


def _reset_through_the_link(client, message):
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    return link


def test_it_resets_a_password_through_the_emailed_link(client, alice):
    response = _ask(client, "alice@example.org")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    link = _reset_through_the_link(client, message)
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    # The link works once.
    assert client.get(link, follow=True).context["validlink"] is False


def test_it_sends_nothing_for_an_unknown_address_without_saying_so(client):
    response = _ask(client, "nobody@example.org")
    assert response.status_code == 302
    assert mail.outbox == []


def test_it_lifts_a_lockout_when_the_password_is_reset(client, alice, settings):
    login = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "alice", "password": "wrong password"})
    assert client.post(login, {"username": "alice", "password": PASSWORD}).status_code == 429
    _ask(client, "alice@example.org")
    _reset_through_the_link(client, mail.outbox[0])
    response = client.post(login, {"username": "alice", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("start")


def test_it_sends_at_most_three_reset_emails_an_hour_to_one_address(client, alice, settings):
    responses = [_ask(client, "alice@example.org", f"198.51.100.{n}") for n in range(5)]
    assert len(mail.outbox) == settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR == 3
    # The page says the same whether or not an email went out.
    assert {(r.status_code, r["Location"]) for r in responses} == {
        (302, reverse("accounts:password_reset_done"))
    }


def test_it_limits_reset_emails_from_one_client(client, settings):
    settings.ACCOUNT_EMAILS_PER_CLIENT_PER_HOUR = 2
    for name in ("erin", "frank", "grace"):
        make_user(name)
        _ask(client, f"{name}@example.org")
    assert [m.to for m in mail.outbox] == [["erin@example.org"], ["frank@example.org"]]
    _ask(client, "grace@example.org", remote="192.0.2.50")  # another client is not held back
    assert mail.outbox[-1].to == ["grace@example.org"]


def test_it_confirms_a_waiting_sign_up_by_its_reset(client):
    user = make_user("erin", is_active=False, email_confirmed=False)
    _ask(client, "erin@example.org")
    _reset_through_the_link(client, mail.outbox[0])
    user.refresh_from_db()
    assert user.is_active and user.email_confirmed


def test_it_sends_nothing_to_an_account_staff_switched_off(client):
    make_user("erin", is_active=False)
    _ask(client, "erin@example.org")
    assert mail.outbox == []
    assert not User.objects.get(username="erin").is_active
