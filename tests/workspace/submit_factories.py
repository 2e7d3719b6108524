"""Factories and fixtures of the submit area's tests (imported by tests/workspace/test_submit*.py
and test_intake*.py): letters, statements, a form post for the submit page, and a private
MEDIA_ROOT per test."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from medmatch.applications.services import application_create, statement_create
from medmatch.letters.models import Letter, LetterRequest, Recommender
from tests.letters.conftest import pdf_bytes

SECRET = b"The finest intern I have supervised in twenty years"


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def logged_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def make_letter_request(student, name: str, *, waived=True, arrived=True) -> LetterRequest:
    recommender = Recommender.objects.create(student=student, name=name)
    request = LetterRequest.objects.create(
        student=student,
        recommender=recommender,
        waived=waived,
        status=LetterRequest.Status.SUBMITTED if arrived else LetterRequest.Status.ASKED,
    )
    if arrived:
        content = pdf_bytes(comment=SECRET + b" " + name.encode())
        letter = Letter(
            request=request,
            waived=waived,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            original_name=f"{name}-confidential.pdf",
        )
        letter.file.save(f"{request.pk}.pdf", ContentFile(content), save=False)
        letter.save()
    return request


def make_letters(student, count: int, **kwargs) -> list[LetterRequest]:
    return [make_letter_request(student, f"Dr. Writer {n}", **kwargs) for n in range(count)]


def make_application(student, program):
    return application_create(student=student, program=program)[0]


def make_statement(student, application=None, body="I want to train where patients teach me."):
    title = "Statement for this program" if application else "My personal statement"
    return statement_create(student=student, title=title, application=application, body=body)


def pdf_upload(name="document.pdf", content: bytes | None = None):
    return SimpleUploadedFile(name, content or pdf_bytes(), content_type="application/pdf")


def submit_data(*, statement=None, letters=(), answers=None, documents=None, **extra) -> dict:
    """What the submit page posts: a valid profile, the statement, the letters, the answers
    (question id -> text) and documents (kind -> upload)."""
    data = {
        "full_name": "Alice Example",
        "email": "alice@example.org",
        "school": "Rush Medical College",
        "graduation_year": "2026",
        "needs_visa": "no",
        "specialty_interest": "Internal Medicine",
        "letters": [str(request.pk) for request in letters],
        **extra,
    }
    if statement is not None:
        data["statement"] = str(statement.pk)
    for question_id, answer in (answers or {}).items():
        data[f"answer_{question_id}"] = answer
    for kind, upload in (documents or {}).items():
        data[f"document_{kind}"] = upload
    return data
