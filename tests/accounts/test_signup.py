import re

import pytest
from django.core import mail
from django.urls import reverse

from medmatch.accounts.models import User
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SENT = reverse("accounts:signup_sent")


def _sign_up(client, username="erin", email="erin@example.org", **extra):
    data = {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("accounts:signup"), data | extra)


def _link(message) -> str:
    return re.search(r"http://testserver(/accounts/signup/confirm/\S+/)", message.body).group(1)


def test_it_creates_a_waiting_student_and_emails_a_confirmation_link(client):
    response = _sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == SENT
    assert "Check your email" in client.get(SENT).content.decode()
    user = User.objects.get(username="erin")
    assert user.role == User.Role.STUDENT
    assert not user.is_active and not user.email_confirmed
    assert user.password.startswith("md5$")  # tests use the fast hasher; production argon2
    (message,) = mail.outbox
    assert message.to == ["erin@example.org"]
    assert message.subject == "Confirm your medmatch account"
    assert client.get(reverse("accounts:account")).status_code == 302  # not logged in yet


def test_it_logs_in_once_the_link_and_the_password_confirm_the_account(client):
    _sign_up(client)
    link = _link(mail.outbox[0])
    assert "Confirm your account" in client.get(link).content.decode()
    response = client.post(link, {"password": PASSWORD})
    assert response["Location"] == reverse("start")
    user = User.objects.get(username="erin")
    assert user.is_active and user.email_confirmed
    assert client.get(reverse("accounts:account")).context["user"] == user
    # The link works once.
    assert client.get(link).status_code == 404


def test_it_confirms_nothing_without_the_password_chosen_at_sign_up(client):
    # Whoever typed someone else's address cannot have that person confirm their account.
    _sign_up(client)
    response = client.post(_link(mail.outbox[0]), {"password": "a guess at it"})
    assert response.status_code == 200
    (error,) = response.context["form"].errors["password"]
    assert error.startswith("password: not the one chosen at sign-up.")
    assert not User.objects.get(username="erin").is_active


def test_it_refuses_a_broken_confirmation_link(client):
    _sign_up(client)
    link = _link(mail.outbox[0])
    uid = link.split("/")[-3]
    for url in (f"/accounts/signup/confirm/{uid}/c0-wrong/", "/accounts/signup/confirm/!!/x/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
    assert client.post(link[:-6] + "/", {"password": PASSWORD}).status_code == 404
    assert not User.objects.get(username="erin").is_active


def test_it_does_not_reveal_a_taken_email_and_tells_its_owner(client, alice):
    new = _sign_up(client)
    taken = _sign_up(client, username="other", email="ALICE@example.org")
    assert (taken.status_code, taken["Location"]) == (new.status_code, new["Location"])
    assert not User.objects.filter(username="other").exists()
    notice = mail.outbox[-1]
    assert notice.to == ["alice@example.org"]
    assert notice.subject == "Someone tried to sign up with your email address"
    assert 'username "alice"' in notice.body
    assert "http://testserver/accounts/login/" in notice.body


def test_it_sends_a_fresh_link_when_a_waiting_account_signs_up_again(client):
    _sign_up(client)
    _sign_up(client, username="erin2")
    notice = mail.outbox[-1]
    assert notice.subject == "Someone tried to sign up with your email address"
    client.post(_link(notice), {"password": PASSWORD})
    assert User.objects.get(username="erin").is_active
    assert not User.objects.filter(username="erin2").exists()


def test_it_says_a_username_is_taken(client, alice):
    response = _sign_up(client, username="alice", email="new@example.org")
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "A user with that username already exists."
    ]
    assert mail.outbox == []


def test_it_limits_sign_up_emails_to_one_address(client, settings):
    for n in range(5):
        response = _sign_up(client, username=f"erin{n}", REMOTE_ADDR=f"198.51.100.{n}")
        assert response["Location"] == SENT
    assert len(mail.outbox) == settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR


def test_it_refuses_to_log_in_a_waiting_account(client):
    _sign_up(client)
    response = client.post(reverse("accounts:login"), {"username": "erin", "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_it_refuses_a_line_break_in_the_username(client):
    # The only name an account has; Django's username validator already refuses control characters.
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "erin\r\nBcc",
            "email": "erin@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["username"]
    assert not User.objects.exists()


def test_it_ignores_a_role_sent_with_the_signup_form(client):
    _sign_up(client, username="mallory", email="m@example.org", role=User.Role.MATCH_ADMIN)
    assert User.objects.get(username="mallory").role == User.Role.STUDENT


def test_it_refuses_a_weak_password(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "weak",
            "email": "w@example.org",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert "password2" in response.context["form"].errors
    assert not User.objects.filter(username="weak").exists()


def test_it_keeps_accounts_made_by_staff_confirmed():
    assert make_user("staffmade").email_confirmed


def test_it_can_hash_with_argon2_which_production_uses():
    # Tests use a fast hasher; production's first hasher is argon2 and must be installed.
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    assert encoded.startswith("argon2$")
    assert hasher.verify(PASSWORD, encoded)


def test_it_says_where_the_link_went_when_no_mail_server_is_configured(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert "printed in the terminal" in client.get(reverse("accounts:signup_sent")).text
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert "printed in the terminal" not in client.get(reverse("accounts:signup_sent")).text


def test_it_takes_the_name_at_sign_up_in_any_script(client):
    assert _sign_up(client, full_name="김민준", preferred_name="Min-jun").status_code == 302
    user = User.objects.get(username="erin")
    assert (user.display_name, user.get_short_name()) == ("김민준", "Min-jun")


def test_it_signs_up_without_a_name(client):
    assert _sign_up(client).status_code == 302
    assert User.objects.get(username="erin").display_name == "erin"


def test_it_refuses_a_line_break_in_the_name_at_sign_up(client):
    response = _sign_up(client, full_name="Erin\nBcc: eve@example.org")
    assert response.status_code == 200
    assert "Full name: use a single line" in response.context["form"].errors["full_name"][0]
    assert not User.objects.filter(username="erin").exists()
