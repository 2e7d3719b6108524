import pytest
from django.urls import reverse

from medmatch.accounts.models import User
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_creates_a_student_and_logs_them_in(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "erin",
            "email": "erin@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:account")
    user = User.objects.get(username="erin")
    assert user.role == User.Role.STUDENT
    assert user.password.startswith("md5$")  # tests use the fast hasher; production argon2
    assert client.get(reverse("accounts:account")).context["user"] == user


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
    client.post(
        reverse("accounts:signup"),
        {
            "username": "mallory",
            "email": "m@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": User.Role.MATCH_ADMIN,
        },
    )
    assert User.objects.get(username="mallory").role == User.Role.STUDENT


def test_it_refuses_a_taken_email_naming_the_field(client, alice):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "other",
            "email": "ALICE@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "An account with this email address already exists."
    ]
    assert not User.objects.filter(username="other").exists()


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


def test_it_can_hash_with_argon2_which_production_uses():
    # Tests use a fast hasher; production's first hasher is argon2 and must be installed.
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    assert encoded.startswith("argon2$")
    assert hasher.verify(PASSWORD, encoded)
