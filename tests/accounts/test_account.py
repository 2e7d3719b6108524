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


PROFILE = {
    "full_name": "Nguyễn Thị Minh Khai",
    "preferred_name": "Khai",
    "phone": "+84 28 3822 0100",
    "postal_address": "1 Lê Duẩn\nQuận 1\nHo Chi Minh City",
    "licensing_exams": "usmle",
    "licensing_exam_status": "Step 1 Pass; Step 2 CK 251",
    "ecfmg_status": "certified",
    "ecfmg_details": "certified 12 May 2025",
}


def test_it_saves_the_name_and_cv_contact_details_on_the_account_page(client, alice):
    client.force_login(alice)
    page = client.get(reverse("accounts:account"))
    assert b"Add your name" in page.content
    response = client.post(reverse("accounts:account"), PROFILE)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.display_name == "Nguyễn Thị Minh Khai"
    assert alice.get_short_name() == "Khai"
    assert alice.contact_lines() == [
        "alice@example.org · +84 28 3822 0100",
        "1 Lê Duẩn",
        "Quận 1",
        "Ho Chi Minh City",
        "USMLE: Step 1 Pass; Step 2 CK 251",
        "ECFMG: ECFMG certified (certified 12 May 2025)",
    ]
    assert b"Add your name" not in client.get(reverse("accounts:account")).content


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("full_name", "Alice\r\nBcc: eve@example.org", "Full name: use a single line"),
        ("phone", "call me maybe", "phone: use digits"),
        ("phone", "+1 ٣١٢ 555 0100", "phone: use digits"),
        ("postal_address", "a\nb\nc\nd\ne\nf\ng", "postal address: at most 6 lines"),
        ("postal_address", "a\tb", "postal address: remove the tabs"),
        ("licensing_exams", "step9", "Select a valid choice"),
        ("ecfmg_status", "x" * 30, "Select a valid choice"),
    ],
)
def test_it_refuses_bad_contact_details_with_the_field_named(client, alice, field, value, message):
    client.force_login(alice)
    response = client.post(reverse("accounts:account"), {**PROFILE, field: value})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    alice.refresh_from_db()
    assert alice.full_name == ""


def test_it_exports_and_deletes_the_name_and_contact_details(client, alice):
    User.objects.filter(pk=alice.pk).update(**PROFILE)
    client.force_login(alice)
    account = json.loads(client.get(reverse("accounts:export")).content)["account"]
    for field, value in PROFILE.items():
        assert account[field] == value
    client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert not User.objects.filter(full_name=PROFILE["full_name"]).exists()
    assert not User.objects.filter(phone=PROFILE["phone"]).exists()
