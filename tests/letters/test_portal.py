"""The recommender's upload page: no login, one request per link, PDFs checked by content, every
use logged, and every token that does not open this request a plain 404."""

import datetime
import io
import stat

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from medmatch.letters import ratelimit
from medmatch.letters.models import AccessLog, Letter, LetterRequest, Recommender, UploadLink
from medmatch.letters.services import link_create, link_revoke, request_save
from tests.letters.conftest import PDF_OBJECTS, days, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def portal(request_pk, token):
    return reverse("letters:portal", args=[request_pk, token])


def test_it_shows_the_upload_page_without_a_login(letter_request, token):
    response = Client().get(portal(letter_request.pk, token))
    assert response.status_code == 200
    assert b"Letter of recommendation for alice" in response.content
    assert b"Internal Medicine" in response.content and b"Cardiology" in response.content
    log = AccessLog.objects.get()
    assert (log.action, log.outcome, log.request) == ("view", "ok", letter_request)


def test_it_accepts_a_pdf_and_marks_the_request_submitted(letter_request, token, private_media):
    client = Client(enforce_csrf_checks=True)
    page = client.get(portal(letter_request.pk, token))
    csrf = page.context["csrf_token"]
    response = client.post(
        portal(letter_request.pk, token),
        {
            "letter": upload(pdf_bytes(), "Okafor - letter for Alice.pdf"),
            "csrfmiddlewaretoken": csrf,
        },
        REMOTE_ADDR="203.0.113.77",
    )
    assert response.status_code == 200
    assert b"your letter was received" in response.content
    letter_request.refresh_from_db()
    assert letter_request.status == LetterRequest.Status.SUBMITTED
    letter = Letter.objects.get()
    assert letter.original_name == "Okafor - letter for Alice.pdf"
    # Stored under a random name in the private folder, never the recommender's file name.
    assert letter.file.name.startswith("private/letters/") and "Okafor" not in letter.file.name
    assert (private_media / letter.file.name).read_bytes() == pdf_bytes()
    upload_log = AccessLog.objects.filter(action="upload").get()
    assert upload_log.ip_prefix == "203.0.113.0/24"
    assert mail.outbox[-1].to == ["alice@example.org"]
    assert "uploaded your letter" in mail.outbox[-1].body


def test_it_lets_the_recommender_replace_the_letter_until_the_due_date(
    letter_request, token, django_capture_on_commit_callbacks
):
    client = Client()
    client.post(portal(letter_request.pk, token), {"letter": upload(pdf_bytes())})
    first = Letter.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(portal(letter_request.pk, token), {"letter": upload(pdf_bytes(2000))})
    letter = Letter.objects.get()
    assert letter.replaced_count == 1 and letter.size == 2000
    assert AccessLog.objects.filter(action="replace").count() == 1
    assert not letter.file.storage.exists(first)


def test_it_refuses_a_replacement_after_the_due_date(letter_request, token):
    client = Client()
    client.post(portal(letter_request.pk, token), {"letter": upload(pdf_bytes())})
    LetterRequest.objects.filter(pk=letter_request.pk).update(due_on=days(-1))
    response = client.post(portal(letter_request.pk, token), {"letter": upload(pdf_bytes(3000))})
    assert response.status_code == 400
    assert b"can no longer be replaced" in response.content
    assert Letter.objects.get().replaced_count == 0


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            b"MZ\x90\x00" + b"\x00" * 500,
            "letter.pdf",
            "This file is not a PDF (it looks like a Windows program)",
        ),
        (b"", "letter.pdf", "The file is empty"),
        (
            pdf_bytes(6 * 1024 * 1024),
            "letter.pdf",
            "The file is 6.0 MB; letters can be at most 5 MB",
        ),
        (b"PK\x03\x04" + b"\x00" * 100, "letter.pdf", "it looks like a Word document"),
        (pdf_bytes()[:-8], "letter.pdf", "This PDF looks incomplete"),
    ],
    ids=["renamed exe", "empty", "6 MB", "docx renamed", "truncated"],
)
def test_it_refuses_what_is_not_a_pdf_with_a_clear_message(
    letter_request, token, content, name, message
):
    response = Client().post(portal(letter_request.pk, token), {"letter": upload(content, name)})
    assert response.status_code in (400, 413)
    assert message in response.content.decode()
    assert not Letter.objects.exists()
    assert LetterRequest.objects.get().status == LetterRequest.Status.ASKED
    assert message[:20] in AccessLog.objects.filter(action="refused").get().outcome


def test_it_refuses_a_huge_body_before_reading_it(letter_request, token):
    response = Client().post(
        portal(letter_request.pk, token),
        data=b"x",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "letters can be at most 5 MB" in response.content.decode()


def test_it_asks_for_a_file_when_none_is_sent(letter_request, token):
    response = Client().post(portal(letter_request.pk, token), {})
    assert response.status_code == 400
    assert not Letter.objects.exists()


def _other_request(letter_request):
    other = LetterRequest(student=letter_request.student, recommender=letter_request.recommender)
    return request_save(letter_request=other, applications=[])


def test_it_gives_404_to_every_token_that_does_not_open_this_request(letter_request, caplog):
    other = _other_request(letter_request)
    expired_token, expired = link_create(request=letter_request)
    UploadLink.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    revoked_token, revoked = link_create(request=letter_request)
    link_revoke(link=revoked)
    other_token, _ = link_create(request=other)
    guessed = UploadLink.new_token()
    cases = {
        "expired": (letter_request.pk, expired_token),
        "revoked": (letter_request.pk, revoked_token),
        "token of another request": (letter_request.pk, other_token),
        "guessed": (letter_request.pk, guessed),
        "guessed, no such request": (999999, guessed),
        "too long": (letter_request.pk, "x" * 200),
    }
    client = Client()
    for label, (pk, token) in cases.items():
        for method in ("get", "post"):
            response = getattr(client, method)(portal(pk, token), {"letter": upload(pdf_bytes())})
            assert response.status_code == 404, f"{label}: {method}"
            assert b"alice" not in response.content, label
    assert not Letter.objects.exists()
    # The request's own links, expired or revoked, are in its access log; anything else is in
    # the server's log, not attached to any request, so nobody can fill a student's log.
    outcomes = set(AccessLog.objects.values_list("outcome", flat=True))
    assert outcomes == {"expired", "revoked"}
    assert not AccessLog.objects.filter(request=None).exists()
    unknown = [r.getMessage() for r in caplog.records if r.name == "medmatch.letters.services"]
    assert len(unknown) == 8
    assert sum("(token of another request)" in line for line in unknown) == 2
    assert "on request 999999 from 127.0.0.0/24 (unknown token)" in " ".join(unknown)


def test_it_stores_only_the_hash_of_a_token(letter_request):
    token, link = link_create(request=letter_request)
    assert token not in link.token_hash and len(link.token_hash) == 64
    assert UploadLink.objects.filter(token_hash=UploadLink.hash_token(token)).exists()


def test_it_expires_a_link_two_weeks_after_the_due_date(letter_request):
    _, link = link_create(request=letter_request)
    local = timezone.localtime(link.expires_at)
    assert local.date() == letter_request.due_on + datetime.timedelta(days=15)
    assert (local.hour, local.minute) == (0, 0)


def test_it_refuses_to_make_a_link_that_would_be_dead_already(letter_request):
    from medmatch.letters.services import LetterError

    letter_request.due_on = days(-30)
    with pytest.raises(LetterError, match="Set a new due date first"):
        link_create(request=letter_request)


# --- what a PDF may hold ------------------------------------------------------------------------


def _written_by_pypdf(change=None, **encrypt) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    if change:
        change(writer)
    if encrypt:
        writer.encrypt(**encrypt)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _open_action(action: dict):
    def change(writer):
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject(k): v for k, v in action.items()}
        )

    return change


def _page_action(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {
            NameObject("/O"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject("app.alert(1)"),
                }
            )
        }
    )


CATALOG_WITH_ACTION = b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\nnot a PDF at all\n%%EOF\n", "cannot be read as one"),
        (b"\n" + pdf_bytes(), "This file is not a PDF"),
        (b"<html>%PDF-1.4" + pdf_bytes()[8:], "This file is not a PDF"),
        (b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n", "web-page"),
        (pdf_bytes(comment=b"<script>fetch('/letters/')</script>"), "web-page code"),
        (pdf_bytes(comment=b"<body onload=alert(1)>"), "web-page code"),
        (
            pdf_bytes(
                objects=[
                    b"<</Type/Catalog/Pages 2 0 R/Names<</JavaScript<</Names[(a) 4 0 R]>>>>>>",
                    PDF_OBJECTS[1],
                    PDF_OBJECTS[2],
                    b"<</S/JavaScript/JS(app.alert(1))>>",
                ]
            ),
            "contains JavaScript",
        ),
        (
            _written_by_pypdf(lambda writer: writer.add_open_action(JavaScript("app.alert(1)"))),
            "contains JavaScript",
        ),
        (_written_by_pypdf(_page_action), "contains JavaScript"),
        (
            # Names may be written with #hex escapes: /J#61vaScript is /JavaScript.
            pdf_bytes(
                objects=[
                    CATALOG_WITH_ACTION,
                    PDF_OBJECTS[1],
                    PDF_OBJECTS[2],
                    b"<</S/J#61vaScript/J#53(app.alert(1))>>",
                ]
            ),
            "contains JavaScript",
        ),
        (
            _written_by_pypdf(
                _open_action({"/S": NameObject("/Launch"), "/F": TextStringObject("calc.exe")})
            ),
            "/Launch",
        ),
        (
            _written_by_pypdf(lambda writer: writer.add_attachment("run.exe", b"MZ")),
            "files embedded or attached",
        ),
        (_written_by_pypdf(user_password="secret", owner_password="secret"), "password"),
        (
            pdf_bytes(objects=[PDF_OBJECTS[0], b"<</Type/Pages/Kids[]/Count 0>>"]),
            "has no pages",
        ),
    ],
    ids=[
        "unparseable",
        "not at the start",
        "html first",
        "html polyglot",
        "script in a comment",
        "html at the start",
        "document javascript",
        "open action javascript",
        "page action javascript",
        "escaped name",
        "launch",
        "embedded file",
        "password",
        "no pages",
    ],
)
def test_it_refuses_pdfs_that_are_not_just_a_letter(letter_request, token, content, message):
    response = Client().post(portal(letter_request.pk, token), {"letter": upload(content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Letter.objects.exists()
    assert message[:10] in AccessLog.objects.filter(action="refused").get().outcome


@pytest.mark.parametrize(
    "content",
    [_written_by_pypdf(), _written_by_pypdf(user_password="", owner_password="no edits")],
    ids=["plain", "owner password only"],
)
def test_it_accepts_a_pdf_a_real_writer_made(letter_request, token, content):
    response = Client().post(portal(letter_request.pk, token), {"letter": upload(content)})
    assert response.status_code == 200
    assert Letter.objects.get().size == len(content)


# --- bad input and odd names -----------------------------------------------------------------


@pytest.mark.parametrize("length", ["abc", "-1", "1e6", "١٢٣"])
def test_it_answers_a_broken_content_length_with_a_400(letter_request, token, length):
    response = Client().post(
        portal(letter_request.pk, token), {"letter": upload(pdf_bytes())}, CONTENT_LENGTH=length
    )
    # lib.middleware refuses it for every URL before the portal runs; the portal checks again.
    assert response.status_code == 400
    assert "Content-Length" in response.content.decode()
    assert not Letter.objects.exists()


def test_it_takes_a_letter_when_the_recommenders_name_has_a_newline(letter_request, token):
    # Stored before names were refused control characters: the upload still succeeds and the
    # student's email has a one-line subject.
    Recommender.objects.update(name="Dr. Eve\r\nBcc: evil@example.org")
    response = Client().post(portal(letter_request.pk, token), {"letter": upload(pdf_bytes())})
    assert response.status_code == 200
    assert b"your letter was received" in response.content
    assert "Dr. Eve Bcc: evil@example.org" in response.content.decode()
    assert mail.outbox[-1].subject == "Dr. Eve Bcc: evil@example.org uploaded a letter"


def test_it_stores_letters_readable_by_the_server_alone(letter_request, token, private_media):
    Client().post(portal(letter_request.pk, token), {"letter": upload(pdf_bytes())})
    path = private_media / Letter.objects.get().file.name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700  # private/letters
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700  # private


# --- how often the portal answers -----------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    now = {"t": 1_000_000.0}
    monkeypatch.setattr(ratelimit, "_clock", lambda: now["t"])
    return now


def test_it_limits_how_often_one_link_is_used(letter_request, token, settings, clock):
    settings.LETTERS_PORTAL_PER_TOKEN = 3
    client = Client()
    statuses = [client.get(portal(letter_request.pk, token)).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert AccessLog.objects.count() == 3  # nothing written past the limit
    response = client.get(portal(letter_request.pk, token))
    assert "Too many attempts" in response.content.decode()
    assert response["Retry-After"] == "60"
    clock["t"] += 60  # the next window
    assert client.get(portal(letter_request.pk, token)).status_code == 200


def test_it_limits_how_often_one_address_tries_tokens(letter_request, settings, clock, caplog):
    settings.LETTERS_PORTAL_PER_ADDRESS = 4
    client = Client(REMOTE_ADDR="198.51.100.7")
    statuses = [
        client.get(portal(letter_request.pk, UploadLink.new_token())).status_code for _ in range(6)
    ]
    assert statuses == [404, 404, 404, 404, 429, 429]
    # Guesses are not the request's business: none is in its access log, four in the server's.
    assert not AccessLog.objects.exists()
    guesses = [r for r in caplog.records if r.name == "medmatch.letters.services"]
    assert len(guesses) == 4
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert other.get(portal(letter_request.pk, UploadLink.new_token())).status_code == 404


def test_it_accepts_a_real_letter_with_fonts_and_links(letter_request, token):
    # The packet is a real PDF (WeasyPrint: embedded fonts, compressed streams, link annotations).
    from medmatch.letters.packet import build_packet

    content = build_packet(letter_request)
    response = Client().post(portal(letter_request.pk, token), {"letter": upload(content)})
    assert response.status_code == 200, response.content.decode()[:2000]
    assert Letter.objects.get().sha256


def test_it_counts_each_recommender_behind_a_trusted_proxy_apart(letter_request, settings, clock):
    settings.LETTERS_PORTAL_PER_ADDRESS = 2
    settings.TRUSTED_PROXY_IPS = ["10.0.0.1"]
    first = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    second = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    guess = UploadLink.new_token
    assert [first.get(portal(letter_request.pk, guess())).status_code for _ in range(3)] == [
        404,
        404,
        429,
    ]
    # The same proxy, another recommender: not limited by the first one's guesses.
    assert second.get(portal(letter_request.pk, guess())).status_code == 404


def test_it_names_the_student_on_the_upload_page(letter_request, token, alice):
    alice.full_name = "Olúwáṣeun Adébáyọ̀"
    alice.save()
    response = Client().get(portal(letter_request.pk, token))
    content = response.content.decode()
    assert "Letter of recommendation for Olúwáṣeun Adébáyọ̀" in content
    assert "alice" not in content.replace("alice@example.org", "")


def test_it_never_promises_a_replacement_for_a_letter_uploaded_after_the_due_date(
    letter_request, token
):
    LetterRequest.objects.filter(pk=letter_request.pk).update(due_on=days(-3))
    client = Client()
    page = client.get(portal(letter_request.pk, token)).content.decode()
    assert "once uploaded, the letter cannot be replaced" in page
    assert "you can upload a new version" not in page
    response = client.post(portal(letter_request.pk, token), {"letter": upload(pdf_bytes())})
    content = response.content.decode()
    assert "your letter was received" in content
    assert "this version is final and can no longer be replaced" in content
    assert "You can replace it until" not in content
    assert content.count("can no longer be replaced") == 1
