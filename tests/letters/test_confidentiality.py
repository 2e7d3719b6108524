"""A waived letter is never shown to the student it is about: not on a page, not as a download,
not in the account export, not in an error message — only its status. Everyone but a permitted
reader gets the same 404."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from medmatch.accounts.services import account_delete, account_export
from medmatch.applications.models import Application
from medmatch.letters.models import Letter, LetterRequest
from medmatch.letters.permissions import can_read_letter
from tests.letters.conftest import pdf_bytes, upload

pytestmark = pytest.mark.django_db

SECRET = b"Alice is the finest intern I have supervised"


@pytest.fixture
def letter(letter_request, token):
    content = pdf_bytes().replace(b"trailer", b"% " + SECRET + b"\ntrailer")
    Client().post(
        reverse("letters:portal", args=[letter_request.pk, token]),
        {"letter": upload(content, "Okafor-confidential-Alice.pdf")},
    )
    return Letter.objects.get()


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_shows_the_waived_student_only_the_status(alice, letter_request, letter):
    client = _logged_in(alice)
    page = client.get(reverse("letters:request_detail", args=[letter_request.pk]))
    assert page.status_code == 200
    assert b"Submitted" in page.content
    assert b"You waived your right to see this letter." in page.content
    assert b"Okafor-confidential-Alice" not in page.content
    assert reverse("letters:letter_download", args=[letter_request.pk]).encode() not in page.content
    index = client.get(reverse("letters:index"))
    assert b"Okafor-confidential-Alice" not in index.content


def test_it_gives_the_waived_student_a_plain_404_for_the_download(alice, letter_request, letter):
    response = _logged_in(alice).get(reverse("letters:letter_download", args=[letter_request.pk]))
    assert response.status_code == 404
    body = b"".join(response) if response.streaming else response.content
    assert SECRET not in body and b"%PDF" not in body
    # The error says nothing a request without a letter would not say.
    missing = _logged_in(alice).get(reverse("letters:letter_download", args=[424242]))
    assert missing.status_code == 404
    assert b"waiv" not in body.lower() and b"Okafor" not in body


def test_it_leaves_the_waived_letter_out_of_the_export(alice, letter_request, letter):
    exported = json.dumps(account_export(user=alice))
    data = account_export(user=alice)["letters"]
    assert data["requests"][0]["status"] == "submitted"
    assert set(data["requests"][0]["letter"]) == {"uploaded_at"}
    for leak in ["Okafor-confidential-Alice", letter.sha256, letter.file.name, SECRET.decode()]:
        assert leak not in exported


def test_it_lets_a_student_who_did_not_waive_read_the_letter(alice, letter_request, token):
    LetterRequest.objects.filter(pk=letter_request.pk).update(waived=False)
    Client().post(
        reverse("letters:portal", args=[letter_request.pk, token]),
        {"letter": upload(pdf_bytes(), "Okafor.pdf")},
    )
    client = _logged_in(alice)
    page = client.get(reverse("letters:request_detail", args=[letter_request.pk]))
    assert b"Download Okafor.pdf" in page.content
    response = client.get(reverse("letters:letter_download", args=[letter_request.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert (
        account_export(user=alice)["letters"]["requests"][0]["letter"]["file_name"] == "Okafor.pdf"
    )


def test_it_hides_the_letter_from_other_students_and_anonymous(bob, letter_request, letter):
    for client in (_logged_in(bob), Client()):
        response = client.get(reverse("letters:letter_download", args=[letter_request.pk]))
        assert response.status_code == 404
    assert not can_read_letter(bob, letter)


def test_it_gives_a_coordinator_no_letter_here(carol, letter_request, letter, applications):
    # Programs read letters on the program side (workspace), never through the letters app:
    # even a submitted application's letter is a 404 at the letters download for a coordinator.
    Application.objects.filter(pk=applications[0].pk).update(status="submitted")
    assert not can_read_letter(carol, letter)
    response = _logged_in(carol).get(reverse("letters:letter_download", args=[letter_request.pk]))
    assert response.status_code == 404


def test_it_deletes_the_letter_file_with_the_account(
    alice, letter, private_media, django_capture_on_commit_callbacks
):
    path = private_media / letter.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=alice)
    assert not path.exists()
    assert not Letter.objects.exists()


def test_it_gives_private_files_no_url(letter):
    with pytest.raises(ValueError, match="no URL"):
        letter.file.url  # noqa: B018


def test_it_shows_a_waived_student_only_that_an_upload_was_refused(alice, letter_request, token):
    too_big = pdf_bytes(6 * 1024 * 1024)
    portal = reverse("letters:portal", args=[letter_request.pk, token])
    Client().post(portal, {"letter": upload(too_big, "Okafor-confidential-Alice.pdf")})
    page = _logged_in(alice).get(reverse("letters:request_detail", args=[letter_request.pk]))
    text = page.content.decode()
    assert "Upload refused" in text and "Not accepted" in text
    assert "6.0 MB" not in text and "Okafor-confidential-Alice" not in text


def test_it_shows_the_refusal_reason_when_the_student_may_read_the_letter(
    alice, letter_request, token
):
    LetterRequest.objects.filter(pk=letter_request.pk).update(waived=False)
    portal = reverse("letters:portal", args=[letter_request.pk, token])
    Client().post(portal, {"letter": upload(pdf_bytes(6 * 1024 * 1024))})
    page = _logged_in(alice).get(reverse("letters:request_detail", args=[letter_request.pk]))
    assert "The file is 6.0 MB" in page.content.decode()
